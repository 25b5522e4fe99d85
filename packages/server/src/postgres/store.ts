import type { SessionRecordUpdate, SessionRecordUpdateResult, SessionStore, StoredSession } from '../store.js';
import { DEFAULT_TIMEOUT_MS, withConnection, type Connection, type PostgresOptions } from './connection.js';
import { PostgresError } from './errors.js';
import { COLUMN_LIST, hasNul, recordValues, rowToRecord } from './record.js';
import { tableNames } from './tables.js';

/** Options of {@link createPostgresStore}. */
export interface PostgresStoreOptions extends PostgresOptions {
  /**
   * How many times {@link SessionStore.update}, having locked the row, may still
   * lose to a concurrent insert of the same organization before it gives up
   * with a `conflict` {@link PostgresError} (default 10; one is lost at most
   * once in practice).
   */
  maxUpdateAttempts?: number;
}

/** A {@link SessionStore} on PostgreSQL, with every optional method. */
export interface PostgresSessionStore extends Required<SessionStore> {
  /** Removes the organization's record (e.g. when the organization is deleted); resolves whether there was one. */
  delete(orgId: string): Promise<boolean>;
}

/** Optimistic tries of an update before it locks the row. */
const OPTIMISTIC_ATTEMPTS = 2;

/** Placeholders `$from … $(from + count - 1)`. */
const placeholders = (from: number, count: number): string => Array.from({ length: count }, (_, index) => `$${from + index}`).join(', ');

/**
 * A {@link SessionStore} over its own table (`wac_sessions`, created by
 * `migrate`): every field of the `SessionRecord` per organization, so that a
 * restart or another instance answers exactly as this one would.
 *
 * Safe with several instances: `set` is an upsert, and `update` is a
 * compare-and-set on the row's version (the change runs again on the fresh
 * record when another instance wrote in between; after two such losses it
 * locks the row), so no update is lost. Every
 * call fails within `timeoutMs` with a {@link PostgresError} when the database is
 * down or slow. Organization ids, session names and WAHA URLs are always
 * statement parameters.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { createPostgresStore, migrate } from '@whatsapp-connector/server/postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * await migrate({ pool });
 * const handler = createSessionHandler({ getOrganizationId, store: createPostgresStore({ pool }) });
 * ```
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresSessionStore {
  const t = tableNames(options.schema);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxAttempts = Math.max(1, options.maxUpdateAttempts ?? 10);
  const run = <T>(doing: string, work: (connection: Connection) => Promise<T>) => withConnection(options.pool, timeoutMs, doing, work);

  const columns = COLUMN_LIST.join(', ');
  const selectOne = `SELECT ${columns}, version FROM ${t.sessions} WHERE org_id = $1`;
  const upsert = `INSERT INTO ${t.sessions} (org_id, ${columns}) VALUES ($1, ${placeholders(2, COLUMN_LIST.length)})
    ON CONFLICT (org_id) DO UPDATE SET ${COLUMN_LIST.map((column) => `${column} = EXCLUDED.${column}`).join(', ')},
      version = ${t.sessions}.version + 1, updated_at = now()`;
  const insertNew = `INSERT INTO ${t.sessions} (org_id, ${columns}) VALUES ($1, ${placeholders(2, COLUMN_LIST.length)}) ON CONFLICT (org_id) DO NOTHING`;
  const versionParam = COLUMN_LIST.length + 2;
  const updateIfUnchanged = `UPDATE ${t.sessions} SET ${COLUMN_LIST.map((column, index) => `${column} = $${index + 2}`).join(', ')},
      version = version + 1, updated_at = now() WHERE org_id = $1 AND version = $${versionParam}`;

  /**
   * Reads the record (`lock`: `FOR UPDATE` inside a transaction), runs `change`, and
   * writes if the row is as read; `null` when another writer came first.
   */
  async function attemptUpdate(
    { sql, exec }: Connection,
    orgId: string,
    change: SessionRecordUpdate,
    lock: '' | ' FOR UPDATE',
  ): Promise<SessionRecordUpdateResult | null> {
    const rows = await sql(selectOne + lock, [orgId]);
    const row = rows[0];
    const before = row ? rowToRecord(row) : null;
    const next = change(before === null ? null : { ...before });
    if (next === null) return { before, after: before, written: false };
    const written = row
      ? await exec(updateIfUnchanged, [orgId, ...recordValues(next), row.version])
      : await exec(insertNew, [orgId, ...recordValues(next)]);
    return written === 1 ? { before, after: { ...next }, written: true } : null;
  }

  /** An organization id PostgreSQL cannot store cannot have a record. */
  const storable = (orgId: string): boolean => typeof orgId === 'string' && !hasNul(orgId);

  return {
    async get(orgId) {
      if (!storable(orgId)) return null;
      const rows = await run('read a session record', ({ sql }) => sql(selectOne, [orgId]));
      return rows[0] ? rowToRecord(rows[0]) : null;
    },

    async set(orgId, record) {
      if (!storable(orgId)) throw new PostgresError('query', 'An organization id cannot contain a NUL character.');
      await run('save a session record', ({ exec }) => exec(upsert, [orgId, ...recordValues(record)]));
    },

    async update(orgId: string, change: SessionRecordUpdate): Promise<SessionRecordUpdateResult> {
      if (!storable(orgId)) throw new PostgresError('query', 'An organization id cannot contain a NUL character.');
      return run('update a session record', async (connection) => {
        // Optimistic first (two statements, no lock held while `change` runs): writes
        // only if nobody wrote since our read. Under contention, lock the row instead,
        // so that a busy organization cannot starve its own updates.
        for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
          const result = await attemptUpdate(connection, orgId, change, '');
          if (result) return result;
        }
        for (let attempt = 0; attempt < maxAttempts; attempt++) {
          await connection.sql('BEGIN');
          try {
            const result = await attemptUpdate(connection, orgId, change, ' FOR UPDATE');
            await connection.sql(result ? 'COMMIT' : 'ROLLBACK');
            if (result) return result;
          } catch (error) {
            await connection.sql('ROLLBACK').catch(() => {});
            throw error;
          }
        }
        throw new PostgresError('conflict', `The session record of an organization kept changing under ${maxAttempts} locked update attempts.`);
      });
    },

    async findOrganization(sessionName, wahaUrl) {
      if (typeof sessionName !== 'string' || hasNul(sessionName)) return null;
      const url = typeof wahaUrl === 'string' && wahaUrl !== '' && !hasNul(wahaUrl) ? wahaUrl : null;
      // A record on another WAHA is another session that happens to share the name;
      // one whose WAHA is unknown may be ours. The exact WAHA wins over the unknown one,
      // then the earliest created record (two organizations racing to claim a
      // single-session WAHA's `default` both see the same owner).
      const rows = await run('find an organization by session', ({ sql }) =>
        sql(
          `SELECT org_id FROM ${t.sessions}
           WHERE session_name = $1 AND ($2::text IS NULL OR waha_url IS NULL OR waha_url = $2)
           ORDER BY (waha_url IS NOT NULL AND waha_url = $2) DESC, created_at, org_id LIMIT 1`,
          [sessionName, url],
        ),
      );
      return rows[0] ? String(rows[0].org_id) : null;
    },

    async list(): Promise<StoredSession[]> {
      const rows = await run('list the session records', ({ sql }) => sql(`SELECT org_id, ${columns} FROM ${t.sessions} ORDER BY org_id`));
      return rows.map((row) => ({ orgId: String(row.org_id), record: rowToRecord(row) }));
    },

    async delete(orgId) {
      if (!storable(orgId)) return false;
      return (await run('delete a session record', ({ exec }) => exec(`DELETE FROM ${t.sessions} WHERE org_id = $1`, [orgId]))) === 1;
    },
  };
}

