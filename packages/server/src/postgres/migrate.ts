import { DEFAULT_TIMEOUT_MS, inTransaction, withConnection, type PostgresOptions } from './connection.js';
import { PostgresError } from './errors.js';
import { identifier, tableNames, type TableNames } from './tables.js';

/** One step of the schema: the statements that take it from `version - 1` to `version`. */
interface Migration {
  version: number;
  statements: (t: TableNames) => string[];
}

/**
 * Every step, in order. Never edit a step that has been released: add one.
 * Times are epoch milliseconds (`bigint`), exactly as the server's records hold them.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    statements: (t) => [
      `CREATE TABLE ${t.sessions} (
        org_id text PRIMARY KEY,
        session_name text,
        connected boolean NOT NULL DEFAULT false,
        waha_url text,
        status text,
        status_since bigint,
        previous_status text,
        reason text,
        attempt_started_at bigint,
        qr_seen_at bigint,
        linked_at bigint,
        last_error text,
        event_at bigint,
        event_id text,
        version bigint NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      // Webhooks find their organization by session name.
      `CREATE INDEX wac_sessions_session_name ON ${t.sessions} (session_name)`,
    ],
  },
  {
    version: 2,
    statements: (t) => [
      // Bus messages over NOTIFY's 8,000-byte payload limit travel by reference.
      `CREATE TABLE ${t.busPayloads} (id bigserial PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
      // Leases (the watcher runs on one instance at a time); the database's clock decides expiry.
      `CREATE TABLE ${t.leases} (name text PRIMARY KEY, holder text NOT NULL, expires_at timestamptz NOT NULL)`,
    ],
  },
  {
    version: 3,
    statements: (t) => [
      // The watcher's judgement per session, so the next lease holder continues it.
      `CREATE TABLE ${t.health} (scope text NOT NULL, session text NOT NULL, health jsonb NOT NULL, version bigint NOT NULL, PRIMARY KEY (scope, session))`,
    ],
  },
  {
    version: 4,
    statements: (t) => [
      // The metrics, summed over the instances and kept across restarts.
      `CREATE TABLE ${t.counters} (name text PRIMARY KEY, value double precision NOT NULL DEFAULT 0)`,
      `CREATE TABLE ${t.gauges} (name text PRIMARY KEY, value jsonb NOT NULL)`,
      `CREATE TABLE ${t.attempts} (session text PRIMARY KEY, started_at bigint NOT NULL)`,
    ],
  },
];

/** The schema version this code reads and writes. */
export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** What {@link migrate} did. */
export interface MigrateResult {
  /** The version found (0: no tables yet). */
  from: number;
  /** The version now ({@link SCHEMA_VERSION}). */
  to: number;
  /** The versions applied by this call (empty when there was nothing to do). */
  applied: number[];
}

/** Any fixed key: serializes concurrent migrations (several instances starting at once). */
const MIGRATE_LOCK = 0x7761635f6d6967n; // "wac_mig"

function tooNew(found: number): PostgresError {
  return new PostgresError(
    'schema',
    `The database's whatsapp-connector tables are at version ${found}, newer than this code knows (${SCHEMA_VERSION}). Upgrade @whatsapp-connector/server on this instance; never run an older version against a newer schema.`,
  );
}

async function versionOf(sql: (text: string, values?: unknown[]) => Promise<Record<string, unknown>[]>, t: TableNames): Promise<number> {
  const exists = await sql(`SELECT to_regclass($1) IS NOT NULL AS present`, [t.version]);
  if (exists[0]?.present !== true) return 0;
  const rows = await sql(`SELECT version FROM ${t.version} WHERE id = 1`);
  return rows.length === 0 ? 0 : Number(rows[0]!.version);
}

/**
 * Creates or upgrades the tables (and `schema`, when given and missing) of `@whatsapp-connector/server/postgres` to
 * {@link SCHEMA_VERSION}, in one transaction under an advisory lock, so that
 * instances starting together migrate once. Running it again is a no-op. A
 * database whose tables are newer than this code rejects with a `schema`
 * {@link PostgresError} (deploy the newer code everywhere instead).
 *
 * Also available as a command: `npx wac-postgres-migrate` (reads `DATABASE_URL`).
 *
 * @example
 * ```ts
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * await migrate({ pool });
 * const store = createPostgresStore({ pool });
 * ```
 */
export async function migrate(options: PostgresOptions): Promise<MigrateResult> {
  const t = tableNames(options.schema);
  // Creating tables may wait behind another instance's migration: allow more than one call's time.
  const timeoutMs = Math.max(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 30_000);
  return inTransaction(options.pool, timeoutMs, 'migrate the tables', async ({ sql }) => {
    await sql(`SELECT pg_advisory_xact_lock($1)`, [MIGRATE_LOCK.toString()]);
    if (options.schema !== undefined) await sql(`CREATE SCHEMA IF NOT EXISTS ${identifier(options.schema, 'The schema')}`);
    const from = await versionOf(sql, t);
    if (from > SCHEMA_VERSION) throw tooNew(from);
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (migration.version <= from) continue;
      for (const statement of migration.statements(t)) await sql(statement);
      applied.push(migration.version);
    }
    if (applied.length > 0) {
      await sql(`CREATE TABLE IF NOT EXISTS ${t.version} (id integer PRIMARY KEY CHECK (id = 1), version integer NOT NULL, migrated_at timestamptz NOT NULL DEFAULT now())`);
      await sql(
        `INSERT INTO ${t.version} (id, version) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, migrated_at = now()`,
        [SCHEMA_VERSION],
      );
    }
    return { from, to: SCHEMA_VERSION, applied };
  });
}

/**
 * Checks, without changing anything, that the tables are at {@link SCHEMA_VERSION}:
 * for instances that do not migrate themselves (migrations run as a deploy step).
 * Rejects with a `schema` {@link PostgresError} saying what to do otherwise.
 */
export async function checkSchema(options: PostgresOptions): Promise<void> {
  const t = tableNames(options.schema);
  const found = await withConnection(options.pool, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'read the schema version', ({ sql }) => versionOf(sql, t));
  if (found > SCHEMA_VERSION) throw tooNew(found);
  if (found < SCHEMA_VERSION) {
    throw new PostgresError(
      'schema',
      `The database's whatsapp-connector tables are at version ${found}, this code needs ${SCHEMA_VERSION}. Run migrate() or \`npx wac-postgres-migrate\`.`,
    );
  }
}
