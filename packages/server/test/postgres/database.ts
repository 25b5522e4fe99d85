// One PostgreSQL database per test file, on the server scripts/test-node.mjs provides
// through DATABASE_URL (a throwaway embedded server unless you set your own).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  /** The connection string of this file's database. */
  url: string;
  /** A pool on it, closed by `drop()`. */
  pool: pg.Pool;
  /** Another pool on it (e.g. a second instance), closed by `drop()`. */
  newPool(config?: pg.PoolConfig): pg.Pool;
  /** Runs SQL on this database as the server's admin user (e.g. `pg_terminate_backend`, `CREATE SCHEMA`). */
  admin(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  /** Closes every pool and drops the database. */
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run PostgreSQL tests through `npm run test:node`, which provides a server.');
  return url;
}

/** Creates a fresh database for the calling test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = serverUrl();
  const name = `wac_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Pool({ connectionString: base, max: 2 });
  // Pools whose connections the tests kill on purpose must not crash the process.
  admin.on('error', () => {});
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const pools: pg.Pool[] = [];
  const newPool = (config: pg.PoolConfig = {}): pg.Pool => {
    const pool = new pg.Pool({ connectionString: url.toString(), max: 10, ...config });
    pool.on('error', () => {});
    pools.push(pool);
    return pool;
  };
  const pool = newPool();
  const adminHere = newPool({ max: 2 });
  let dropped = false;
  return {
    url: url.toString(),
    pool,
    newPool,
    admin: (text, values) => adminHere.query(text, values),
    async drop() {
      if (dropped) return;
      dropped = true;
      await Promise.all(pools.map((p) => p.end().catch(() => {})));
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
