/**
 * The demo on PostgreSQL (`DATABASE_URL=postgres://… npm start`): the tables are
 * migrated at startup, and the store, bus, action lock and metrics come from
 * `createPostgresDeployment`, as on each instance of a multi-instance deployment
 * (docs/server.md, "Several instances on PostgreSQL"). Two demos on one database
 * share their organizations' records and push each other's changes.
 */
import pg from 'pg';
import { createPostgresDeployment, migrate } from '@whatsapp-connector/server/postgres';
import type { DemoOptions } from './server.js';

export interface DemoPostgres {
  /** For `startDemo({ shared })`. */
  shared: NonNullable<DemoOptions['shared']>;
  /** `host:port/database`, never the password. */
  where: string;
  /** The schema version migrate() found and left. */
  migrated: { from: number; to: number };
  /** Closes the bus, writes the last metrics, ends the pool. */
  close(): Promise<void>;
}

/** Connects to `databaseUrl`, migrates, and wires the demo's shared truth. */
export async function connectDemoPostgres(databaseUrl: string): Promise<DemoPostgres> {
  const url = new URL(databaseUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, application_name: 'wac-demo' });
  // An idle connection that dies (a database restart) must not crash the demo: the deployment reconnects.
  pool.on('error', () => {});
  try {
    const { from, to } = await migrate({ pool });
    const deployment = createPostgresDeployment({ pool, instanceName: `demo-${process.pid}` });
    const { store, bus, lock, metrics } = deployment;
    return {
      shared: { store, bus, lock, metrics },
      where: `${url.hostname}:${url.port || '5432'}${url.pathname}`,
      migrated: { from, to },
      async close() {
        await deployment.close();
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
}
