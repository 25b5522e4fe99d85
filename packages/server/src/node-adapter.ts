import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FetchHandler } from './handler.js';

const nodeRequests = new WeakMap<Request, IncomingMessage>();

/**
 * The Node request behind a Fetch `Request` built by {@link toNodeHandler}, so
 * that `getOrganizationId` can read what Express / Passport / your session
 * middleware attached to it.
 *
 * @example
 * ```ts
 * getOrganizationId: (request) => (getNodeRequest(request) as AuthedRequest | undefined)?.user?.orgId ?? null
 * ```
 */
export function getNodeRequest(request: Request): IncomingMessage | undefined {
  return nodeRequests.get(request);
}

/** A Node `http` / Express request listener; `next` (Express) receives unexpected errors. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
}

function requestBody(req: IncomingMessage): BodyInit | undefined {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  // Express body parsers may have consumed the stream already: re-serialize what they parsed.
  const parsed = (req as IncomingMessage & { body?: unknown }).body;
  if (parsed !== undefined && req.readableEnded) {
    if (typeof parsed === 'string') return parsed;
    if (parsed instanceof Uint8Array) return new TextDecoder().decode(parsed);
    return JSON.stringify(parsed);
  }
  return bodyStream(req);
}

/**
 * The request body as a web stream, with backpressure. Cancelling it (the
 * handler stopped reading, e.g. a 413) drains and discards the rest instead of
 * leaving the request half-read. (Node 20's `Readable.toWeb` throws on data that
 * arrives after a cancel.)
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let finished = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        if (finished) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once('end', () => {
        if (finished) return;
        finished = true;
        controller.close();
      });
      req.once('error', (error) => {
        if (finished) return;
        finished = true;
        controller.error(error);
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      finished = true;
      req.resume();
    },
  });
}

/** Builds the Fetch `Request` of a Node request; aborts its signal when the client goes away. */
export function toFetchRequest(req: IncomingMessage, res: ServerResponse): Request {
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const host = req.headers.host ?? 'localhost';
  // Express's `app.use(path, …)` strips its mount path from `req.url`; `originalUrl` keeps the path the browser called.
  const path = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  const url = new URL(path, `${encrypted ? 'https' : 'http'}://${host}`);
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  const body = requestBody(req);
  const init: RequestInit & { duplex?: 'half' } = { method: req.method ?? 'GET', headers: toHeaders(req), signal: controller.signal };
  if (body !== undefined) {
    init.body = body;
    init.duplex = 'half';
  }
  const request = new Request(url, init);
  nodeRequests.set(request, req);
  return request;
}

/** Resolves when `res` can take more data, or when it closed (then nothing more is written). */
function writable(res: ServerResponse): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Writes a Fetch `Response` to a Node response, streaming the body (SSE included)
 * with backpressure: after a write Node could not take at once, the next chunk is
 * read only once the socket drained. So a paused reader holds at most Node's write
 * buffer here, and the rest waits in the body stream, whose producer decides
 * (the SSE stream drops a reader that falls too far behind). A body that fails
 * midway destroys the connection: a cut answer must not look complete.
 */
export async function writeFetchResponse(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  if (!response.body) {
    res.end();
    return;
  }
  res.flushHeaders();
  const reader = response.body.getReader();
  res.on('close', () => {
    reader.cancel().catch(() => {});
  });
  // Settles only if the body fails, so that a failure while waiting for `drain`
  // (the SSE stream dropping this slow reader) ends the connection at once.
  const failed = reader.closed.then(
    () => new Promise<never>(() => {}),
    () => 'failed' as const,
  );
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return;
      if (!res.write(value) && (await Promise.race([writable(res), failed])) === 'failed') throw new Error('The body failed.');
    }
  } catch {
    res.destroy();
    return;
  }
  res.end();
}

/**
 * Adapts a Fetch handler to Node's `http.createServer` and Express.
 *
 * @example
 * ```ts
 * app.all('/api/whatsapp/session*', toNodeHandler(handler));
 * http.createServer(toNodeHandler(handler)).listen(3000);
 * ```
 */
export function toNodeHandler(handler: FetchHandler): NodeHandler {
  return (req, res, next) => {
    const run = async () => {
      const streamed = req.method !== 'GET' && req.method !== 'HEAD' && !req.readableEnded;
      const request = toFetchRequest(req, res);
      const response = await handler(request);
      if (streamed && !req.readableEnded) {
        // Answered without reading the whole body (e.g. 413): the rest of it is still
        // on the wire, so this connection cannot carry another request. Close it after
        // the answer, and stop the body stream from holding the request open.
        res.setHeader('connection', 'close');
        request.body?.cancel().catch(() => {});
      }
      await writeFetchResponse(response, res);
    };
    run().catch((error: unknown) => {
      if (next) {
        next(error);
        return;
      }
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ error: { code: 'internal_error', message: 'Internal error.' } }));
      } else {
        res.destroy();
      }
    });
  };
}
