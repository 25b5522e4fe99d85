import { sameWaha, type WahaConfig, type WahaConfigResolver } from '../config.js';
import type { SessionRecord, SessionRecordUpdate, SessionRecordUpdateResult, SessionStore, StoredSession } from '../store.js';
import { DEFAULT_TIMEOUT_MS, inTransaction, withConnection, type Connection, type PostgresOptions } from './connection.js';
import { isPostgresError, PostgresError } from './errors.js';
import type { PgRow } from './pg.js';
import { COLUMN_LIST, hasNul, recordValues, rowToRecord } from './record.js';
import { identifier, tableNames } from './tables.js';

/** The columns of your table, by role (defaults: the original system's `ai_agent_config`). */
export interface OwnTableColumns {
  /** The organization id (default `organization_id`); any type PostgreSQL can compare with the id's text. */
  organization?: string;
  /** The WAHA session name, text (default `whatsapp_session_name`). */
  sessionName?: string;
  /** The linked flag, boolean (default `whatsapp_connected`). */
  connected?: string;
  /** JSONB settings carrying `waha_api_url` and `waha_api_key` (default `policies`). */
  policies?: string;
}

/** Options of {@link createOwnTableStore}. */
export interface OwnTableStoreOptions extends PostgresOptions {
  /** Your table, optionally schema-qualified (`app.ai_agent_config`); default `ai_agent_config`. */
  table?: string;
  /** Its columns, when they are not named as in the original schema. */
  columns?: OwnTableColumns;
  /**
   * Keep the record's other fields (status and since when, expiry reason, link
   * times, last error…) in the side table `wac_sessions` (created by
   * `migrate`, in `schema`), keyed by organization id. Default `true`. With
   * `false` only the session name and the linked flag survive a restart.
   */
  sideTable?: boolean;
}

/** A {@link SessionStore} over your own table, plus the per-organization WAHA settings it holds. */
export interface OwnTableStore extends Required<SessionStore> {
  /**
   * Reads the organization's WAHA URL and key from the policies column
   * (`policies->>'waha_api_url'`, `policies->>'waha_api_key'`); pass it as the
   * handler's `resolveWahaConfig`. Missing values fall back to the server's defaults.
   */
  resolveWahaConfig: WahaConfigResolver;
}

/** Splits and checks `schema.table` or `table`. */
function qualifiedTable(name: string): string {
  const parts = name.split('.');
  if (parts.length > 2) throw new PostgresError('query', `The table must be "table" or "schema.table", got ${JSON.stringify(name.slice(0, 80))}.`);
  return parts.map((part) => identifier(part, 'The table name')).join('.');
}

const storableName = (name: string | null | undefined): string | null => (typeof name === 'string' && !hasNul(name) ? name : null);

/** The SQLSTATE of a value that does not parse as the column's type (an id `abc` for an integer column). */
const INVALID_TEXT = '22P02';

/**
 * A {@link SessionStore} over the table your application already has — by
 * default the original system's `ai_agent_config`, whose `whatsapp_session_name`
 * and `whatsapp_connected` columns hold the session name and the linked flag,
 * and whose `policies` JSONB carries `waha_api_url` / `waha_api_key` (read by
 * {@link OwnTableStore.resolveWahaConfig}).
 *
 * Your table has no column for the record's other fields; they go to the side
 * table `wac_sessions` (run `migrate` first), keyed by organization id, and
 * your two columns stay the truth for the name and the flag. With
 * `sideTable: false` they are dropped: after a restart the server no longer
 * knows the last status, since when, the `qr_expired` reason or the link times.
 *
 * The store only updates rows of your table, never inserts them: an
 * organization without a row is kept in the side table alone (or, without the
 * side table, not at all: make sure the row exists). Writes run in a
 * transaction holding the organization's advisory lock, so two instances never
 * lose an update.
 *
 * @example
 * ```ts
 * const own = createOwnTableStore({ pool });
 * await migrate({ pool }); // the side table
 * const handler = createSessionHandler({ getOrganizationId, store: own, resolveWahaConfig: own.resolveWahaConfig });
 * ```
 */
export function createOwnTableStore(options: OwnTableStoreOptions): OwnTableStore {
  const own = qualifiedTable(options.table ?? 'ai_agent_config');
  const col = {
    org: identifier(options.columns?.organization ?? 'organization_id', 'The organization column'),
    name: identifier(options.columns?.sessionName ?? 'whatsapp_session_name', 'The session name column'),
    connected: identifier(options.columns?.connected ?? 'whatsapp_connected', 'The connected column'),
    policies: identifier(options.columns?.policies ?? 'policies', 'The policies column'),
  };
  const side = options.sideTable === false ? null : tableNames(options.schema).sessions;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const run = <T>(doing: string, work: (connection: Connection) => Promise<T>) => withConnection(options.pool, timeoutMs, doing, work);

  const ownFields = `o.${col.name} AS own_name, o.${col.connected} AS own_connected, o.${col.policies}->>'waha_api_url' AS policy_url, (o.${col.org} IS NOT NULL) AS own_row`;
  const sideFields = side ? `, s.org_id AS side_org, ${COLUMN_LIST.map((c) => `s.${c}`).join(', ')}` : '';
  // $1 meets your organization column (PostgreSQL reads it as that column's type), $2 the side table's text.
  const sideJoin = side ? `LEFT JOIN ${side} s ON s.org_id = $2::text` : '';
  const keys = (orgId: string): string[] => (side ? [orgId, orgId] : [orgId]);
  const selectOne = `SELECT ${ownFields}${sideFields} FROM (SELECT 1) AS one LEFT JOIN ${own} o ON o.${col.org} = $1 ${sideJoin}`;

  /**
   * Reads the organization's row in a transaction holding its advisory lock: every
   * writer of this store takes it first, so two instances never interleave a
   * read-change-write (row locks cannot cover a row that does not exist yet).
   */
  async function readLocked(connection: Connection, orgId: string): Promise<PgRow | undefined> {
    await connection.sql(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`wac_own_table:${orgId}`]);
    return (await connection.sql(selectOne, keys(orgId)))[0];
  }

  /** A joined row as a record: your columns win over the side table's copy; `null` when neither has the organization. */
  function toRecord(row: PgRow | undefined): SessionRecord | null {
    if (!row) return null;
    const hasOwn = row.own_row === true;
    const hasSide = side !== null && row.side_org !== null && row.side_org !== undefined;
    if (!hasOwn && !hasSide) return null;
    const record: SessionRecord = hasSide ? rowToRecord(row) : { sessionName: null, connected: false };
    if (hasOwn) {
      record.sessionName = typeof row.own_name === 'string' ? row.own_name : null;
      record.connected = row.own_connected === true;
      if (!record.wahaUrl && typeof row.policy_url === 'string' && row.policy_url !== '') record.wahaUrl = row.policy_url;
    }
    return record;
  }

  async function write({ exec }: Connection, orgId: string, record: SessionRecord, hadOwn: boolean): Promise<boolean> {
    const ownWritten = hadOwn
      ? (await exec(`UPDATE ${own} SET ${col.name} = $2, ${col.connected} = $3 WHERE ${col.org} = $1`, [orgId, storableName(record.sessionName), record.connected === true])) > 0
      : false;
    if (!side) return ownWritten;
    const columns = COLUMN_LIST.join(', ');
    const values = COLUMN_LIST.map((_, index) => `$${index + 2}`).join(', ');
    await exec(
      `INSERT INTO ${side} (org_id, ${columns}) VALUES ($1, ${values})
       ON CONFLICT (org_id) DO UPDATE SET ${COLUMN_LIST.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, version = ${side}.version + 1, updated_at = now()`,
      [orgId, ...recordValues(record)],
    );
    return true;
  }

  /** Runs `work`, answering `fallback` when the id cannot even be compared with your organization column. */
  async function guarded<T>(orgId: string, fallback: T, work: () => Promise<T>): Promise<T> {
    if (typeof orgId !== 'string' || hasNul(orgId)) return fallback;
    try {
      return await work();
    } catch (error) {
      if (isPostgresError(error) && error.sqlState === INVALID_TEXT) return fallback;
      throw error;
    }
  }

  const store: OwnTableStore = {
    get: (orgId) => guarded(orgId, null, async () => toRecord((await run('read a session record', ({ sql }) => sql(selectOne, keys(orgId))))[0])),

    async set(orgId, record) {
      const stored = await guarded(orgId, false, () =>
        inTransaction(options.pool, timeoutMs, 'save a session record', async (connection) => {
          const row = await readLocked(connection, orgId);
          return write(connection, orgId, record, row?.own_row === true);
        }),
      );
      if (!stored) throw new PostgresError('query', 'The organization has no row in the table, and the side table is off: nothing could be saved.');
    },

    update(orgId: string, change: SessionRecordUpdate): Promise<SessionRecordUpdateResult> {
      const nothing: SessionRecordUpdateResult = { before: null, after: null, written: false };
      return guarded(orgId, nothing, () =>
        inTransaction(options.pool, timeoutMs, 'update a session record', async (connection) => {
          const row = await readLocked(connection, orgId);
          const before = toRecord(row);
          const next = change(before === null ? null : { ...before });
          if (next === null) return { before, after: before, written: false };
          const written = await write(connection, orgId, next, row?.own_row === true);
          return written ? { before, after: { ...next }, written: true } : { before, after: before, written: false };
        }),
      );
    },

    async findOrganization(sessionName, wahaUrl) {
      if (typeof sessionName !== 'string' || hasNul(sessionName)) return null;
      const rows = await run('find an organization by session', ({ sql }) =>
        sql(
          // Your rows first (they are the truth for the name), then the side table's, each in a fixed order.
          `SELECT org_id, url FROM (
             SELECT 0 AS source, o.${col.org}::text AS org_id, o.${col.policies}->>'waha_api_url' AS url, NULL::timestamptz AS created_at FROM ${own} o WHERE o.${col.name} = $1
             ${side ? `UNION ALL SELECT 1, s.org_id, s.waha_url, s.created_at FROM ${side} s WHERE s.session_name = $1` : ''}
           ) AS candidates ORDER BY source, created_at, org_id`,
          [sessionName],
        ),
      );
      // URLs compared as URLs (a trailing slash or a capital letter is the same WAHA).
      const fits = (url: unknown) => !wahaUrl || typeof url !== 'string' || url === '' || sameWaha(url, wahaUrl);
      const exact = rows.find((row) => wahaUrl && typeof row.url === 'string' && sameWaha(row.url, wahaUrl));
      const match = exact ?? rows.find((row) => fits(row.url));
      return match ? String(match.org_id) : null;
    },

    async list(): Promise<StoredSession[]> {
      const rows = await run('list the session records', ({ sql }) =>
        sql(
          side
            ? `SELECT coalesce(o.${col.org}::text, s.org_id) AS org, ${ownFields}${sideFields}
               FROM ${own} o FULL JOIN ${side} s ON s.org_id = o.${col.org}::text
               WHERE o.${col.name} IS NOT NULL OR s.org_id IS NOT NULL ORDER BY 1`
            : `SELECT o.${col.org}::text AS org, ${ownFields} FROM ${own} o WHERE o.${col.name} IS NOT NULL ORDER BY 1`,
        ),
      );
      return rows.flatMap((row) => {
        const record = toRecord(row);
        return record ? [{ orgId: String(row.org), record }] : [];
      });
    },

    resolveWahaConfig: async (orgId) =>
      guarded(orgId, null, async () => {
        const row = (
          await run('read the WAHA settings', ({ sql }) =>
            sql(`SELECT ${col.policies}->>'waha_api_url' AS url, ${col.policies}->>'waha_api_key' AS api_key FROM ${own} WHERE ${col.org} = $1`, [orgId]),
          )
        )[0];
        if (!row) return null;
        const config: Partial<WahaConfig> = {};
        if (typeof row.url === 'string' && row.url.trim() !== '') config.url = row.url.trim();
        if (typeof row.api_key === 'string' && row.api_key !== '') config.apiKey = row.api_key;
        return config;
      }),
  };
  return store;
}
