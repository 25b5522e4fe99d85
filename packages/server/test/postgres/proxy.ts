// A loopback TCP proxy in front of PostgreSQL that a test can stall (a slow or
// black-holed database) or cut (the database went away), without touching the server.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface DatabaseProxy {
  /** DATABASE_URL-style URL going through the proxy. */
  url: string;
  /** Stops forwarding in both directions (bytes wait, connections stay open). */
  stall(): void;
  /** Forwards again, including what waited. */
  resume(): void;
  /** Closes every proxied connection (as a crashed or restarted server would). */
  cut(): void;
  /** Refuses new connections (`ECONNREFUSED`) until `reopen()`; cuts the open ones. */
  down(): Promise<void>;
  /** Accepts connections again on the same port. */
  reopen(): Promise<void>;
  /** Open proxied connections. */
  connections(): number;
  close(): Promise<void>;
}

export async function createDatabaseProxy(databaseUrl: string): Promise<DatabaseProxy> {
  const target = new URL(databaseUrl);
  const pairs = new Set<[Socket, Socket]>();
  let stalled = false;

  function onConnection(client: Socket): void {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
    if (stalled) {
      client.pause();
      upstream.pause();
    }
  }

  let server: Server = createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);

  const each = (f: (socket: Socket) => void) => {
    for (const [a, b] of pairs) {
      f(a);
      f(b);
    }
  };
  const cut = () => {
    for (const [a, b] of [...pairs]) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
  };
  const closeServer = () => new Promise<void>((resolve) => server.close(() => resolve()));

  return {
    url: url.toString(),
    stall() {
      stalled = true;
      each((s) => s.pause());
    },
    resume() {
      stalled = false;
      each((s) => s.resume());
    },
    cut,
    async down() {
      cut();
      await closeServer();
    },
    async reopen() {
      server = createServer(onConnection);
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    connections: () => pairs.size,
    async close() {
      cut();
      if (server.listening) await closeServer();
    },
  };
}
