import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest request body the simulator reads (WAHA session bodies are tiny). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A request body that could not be read as JSON; answered with a 400. */
export class BadRequestBody extends Error {
  override readonly name = 'BadRequestBody';
}

/**
 * Reads the body as JSON. An empty body reads as `undefined`; a body that is not JSON
 * (or too large) rejects with {@link BadRequestBody}.
 */
export function readJsonBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BadRequestBody('request entity too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (error) => reject(new BadRequestBody(error.message)));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (text === '') {
        resolve(undefined);
        return;
      }
      try {
        resolve(JSON.parse(text));
      } catch (error) {
        reject(new BadRequestBody(error instanceof Error ? error.message : 'invalid JSON'));
      }
    });
  });
}

/**
 * Writes answers and reports each status to `onStatus` *before* the bytes leave, so a
 * test that awaited the answer always finds it in the request log.
 */
export class Reply {
  private readonly res: ServerResponse;
  private readonly onStatus: (status: number) => void;
  private readonly extraHeaders: Record<string, string>;

  constructor(res: ServerResponse, onStatus: (status: number) => void = () => {}, extraHeaders: Record<string, string> = {}) {
    this.res = res;
    this.onStatus = onStatus;
    this.extraHeaders = extraHeaders;
  }

  /** True once an answer was written (or the client went away). */
  get done(): boolean {
    return this.res.headersSent || this.res.writableEnded || this.res.destroyed;
  }

  /** JSON answer (`null` is written as `null`). */
  json(status: number, body: unknown): void {
    this.send(status, 'application/json; charset=utf-8', Buffer.from(JSON.stringify(body) ?? 'null', 'utf8'));
  }

  /** Answer without a body (what NestJS sends for a `void` handler). */
  empty(status: number): void {
    if (this.done) return;
    this.onStatus(status);
    this.res.writeHead(status, { ...this.extraHeaders, 'content-length': '0' });
    this.res.end();
  }

  /** Binary answer. */
  bytes(status: number, contentType: string, body: Buffer): void {
    this.send(status, contentType, body);
  }

  /** NestJS's error shape: `{statusCode, message, error}`. */
  nestError(status: number, message: string | string[], error: string): void {
    this.json(status, { statusCode: status, message, error });
  }

  private send(status: number, contentType: string, body: Buffer): void {
    if (this.done) return;
    this.onStatus(status);
    this.res.writeHead(status, { ...this.extraHeaders, 'content-type': contentType, 'content-length': String(body.length) });
    this.res.end(body);
  }
}

/** True when `value` is a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Splits a path into decoded segments; null when a segment is not valid percent-encoding. */
export function pathSegments(pathname: string): string[] | null {
  try {
    return pathname.split('/').filter((segment) => segment !== '').map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
}
