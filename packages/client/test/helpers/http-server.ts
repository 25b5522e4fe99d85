import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the test server received. */
export interface ServerRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real local HTTP server on 127.0.0.1 and a free port, with a replaceable handler. */
export interface TestServer {
  readonly url: string;
  readonly port: number;
  readonly requests: ServerRequest[];
  /** Replaces the handler; it receives the request with its body already read. */
  handle(handler: (req: ServerRequest, res: ServerResponse) => void): void;
  /** Resolves once `count` requests have arrived (real I/O, not cadence time). */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Sends a JSON body. */
export function sendJson(res: ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startServer(path = '/api/whatsapp/session'): Promise<TestServer> {
  let handler: (req: ServerRequest, res: ServerResponse) => void = (_req, res) => sendJson(res, { status: 'STARTING' });
  const requests: ServerRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: ServerRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      open.add(res);
      res.on('close', () => open.delete(res));
      handler(recorded, res);
      for (const waiter of [...waiters]) {
        if (requests.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    port,
    requests,
    handle(next) {
      handler = next;
    },
    waitForRequests(count) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
