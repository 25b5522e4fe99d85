import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';

/**
 * The page's policy: everything from this origin, nothing inline. The widget,
 * the demo script and the styles must all work under it.
 */
export const CONTENT_SECURITY_POLICY = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Headers sent with every answer of the demo server. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
});

/** One file served as is. */
export interface StaticFile {
  readonly contentType: string;
  readonly body: Uint8Array;
}

const PUBLIC_DIR = new URL('public/', import.meta.url);

/** The page's own files (not the script, which is bundled), by URL path. */
export async function loadPublicFiles(): Promise<Map<string, StaticFile>> {
  const files: [string, string, string][] = [
    ['/', 'index.html', 'text/html; charset=utf-8'],
    ['/demo.css', 'demo.css', 'text/css; charset=utf-8'],
    ['/favicon.svg', 'favicon.svg', 'image/svg+xml'],
  ];
  const loaded = new Map<string, StaticFile>();
  for (const [path, name, contentType] of files) {
    loaded.set(path, { contentType, body: await readFile(new URL(name, PUBLIC_DIR)) });
  }
  return loaded;
}

/** Writes a whole answer with the security headers. */
export function send(res: ServerResponse, status: number, contentType: string, body: Uint8Array | string, headers: Record<string, string> = {}): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': contentType,
    'content-length': String(bytes.byteLength),
    'cache-control': 'no-cache',
    ...headers,
  });
  res.end(bytes);
}

/** Writes a JSON answer. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}
