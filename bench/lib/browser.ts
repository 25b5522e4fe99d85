// Headless Debian Chromium for the browser benchmarks, and the element bundled in
// memory by esbuild (no build step needed). Nothing here downloads a browser.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import puppeteer, { type Browser } from 'puppeteer-core';
import { CHROMIUM_ARGS } from '../../scripts/chromium.mjs';

const root = new URL('../../', import.meta.url).pathname;

/** The shared headless flags (scripts/chromium.mjs) plus no background throttling. */
export const CHROMIUM_FLAGS = [
  ...CHROMIUM_ARGS,
  // Several benchmark pages run side by side: none of them may be throttled as a background tab.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/** A running Chromium with its throwaway profile. */
export interface ChromiumHandle {
  readonly browser: Browser;
  /** Closes the browser and deletes the profile. */
  close(): Promise<void>;
}

// A signal (the orchestrator's timeout sends SIGTERM) becomes a normal exit, so the 'exit' hook runs.
for (const [signal, number] of [['SIGTERM', 15], ['SIGINT', 2], ['SIGHUP', 1]] as const) process.once(signal, () => process.exit(128 + number));

/** Launches `/usr/bin/chromium` (or `CHROME_PATH`) with a fresh temporary user-data-dir; the browser never outlives this process. */
export async function launchChromium(): Promise<ChromiumHandle> {
  const profile = mkdtempSync(join(tmpdir(), 'wac-bench-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`],
    protocolTimeout: 120_000,
    // Our own handlers below end the process and the browser together.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  // If this process ends without close() (a signal, an uncaught error), take the browser with it.
  const killOnExit = () => {
    browser.process()?.kill('SIGKILL');
    rmSync(profile, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  return {
    browser,
    async close() {
      process.off('exit', killOnExit);
      await browser.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Bundles `<whatsapp-connector>` (its `define` entry, with the client, Lit and the
 * QR encoder) into one ES module, from the sources, in memory.
 */
export async function bundleElement(): Promise<string> {
  const result = await build({
    entryPoints: [join(root, 'packages/element/src/define.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['source', 'browser'],
    // Lit's decorators need the legacy (experimental) transform from the base tsconfig.
    tsconfigRaw: readFileSync(join(root, 'tsconfig.base.json'), 'utf8'),
    write: false,
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output');
  return file.text;
}

/** The page HTML with one or more elements; `head` runs before the bundle. */
export function pageHtml(body: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>${head}<script type="module" src="/element.js"></script></head><body>${body}</body></html>`;
}

/** A loopback HTTP server; `route` answers what it knows and returns `false` for the rest (404). */
export async function serveLoopback(
  route: (req: IncomingMessage, res: ServerResponse) => boolean,
): Promise<{ server: Server; origin: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (!route(req, res)) {
      res.statusCode = 404;
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a JavaScript module. */
export function sendScript(res: ServerResponse, code: string): void {
  res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
  res.end(code);
}

/** Sends an HTML page. */
export function sendHtml(res: ServerResponse, html: string): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}
