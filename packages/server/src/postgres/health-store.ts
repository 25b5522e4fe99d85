import type { SessionHealth } from '../watcher-health.js';
import type { StoredHealth, WatcherHealthStore } from '../watcher-state.js';
import { DEFAULT_TIMEOUT_MS, withConnection, type Connection, type PostgresOptions } from './connection.js';
import { hasNul } from './record.js';
import { tableNames } from './tables.js';

/** A saved health record read back, or `null` when it is not one (a hand-edited row). */
function toHealth(value: unknown): SessionHealth | null {
  const health = value as Partial<SessionHealth> | null;
  if (!health || typeof health.status !== 'string' || !['ok', 'failed', 'flapping'].includes(String(health.health))) return null;
  const drops = Array.isArray(health.drops) ? health.drops.filter((drop): drop is number => typeof drop === 'number' && Number.isFinite(drop)) : [];
  const workingSince = typeof health.workingSince === 'number' && Number.isFinite(health.workingSince) ? health.workingSince : null;
  return { status: health.status, health: health.health as SessionHealth['health'], drops, workingSince };
}

/**
 * A {@link WatcherHealthStore} in the `wac_watcher_health` table (created by
 * `migrate`): each watched session's health survives the lease moving to
 * another instance, and saves are compare-and-set on a version, so a transition
 * is reported once even if two watchers overlap.
 *
 * @example
 * ```ts
 * watchSessions({ store, lease: createPostgresLease({ pool }), healthStore: createPostgresHealthStore({ pool }) });
 * ```
 */
export function createPostgresHealthStore(options: PostgresOptions): WatcherHealthStore {
  const t = tableNames(options.schema);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const run = <T>(doing: string, work: (connection: Connection) => Promise<T>) => withConnection(options.pool, timeoutMs, doing, work);
  const storable = (...texts: string[]) => texts.every((text) => typeof text === 'string' && !hasNul(text));

  return {
    async load(scope) {
      const saved = new Map<string, StoredHealth>();
      if (!storable(scope)) return saved;
      const rows = await run("read the sessions' health", ({ sql }) => sql(`SELECT session, health, version FROM ${t.health} WHERE scope = $1`, [scope]));
      for (const row of rows) {
        const health = toHealth(row.health);
        if (health) saved.set(String(row.session), { health, version: Number(row.version) });
      }
      return saved;
    },
    async save(scope, session, health, version) {
      if (!storable(scope, session)) return null;
      const rows = await run("save a session's health", ({ sql }) =>
        version === 0
          ? sql(`INSERT INTO ${t.health} (scope, session, health, version) VALUES ($1, $2, $3, 1) ON CONFLICT DO NOTHING RETURNING version`, [scope, session, JSON.stringify(health)])
          : sql(`UPDATE ${t.health} SET health = $3, version = version + 1 WHERE scope = $1 AND session = $2 AND version = $4 RETURNING version`, [
              scope,
              session,
              JSON.stringify(health),
              version,
            ]),
      );
      return rows[0] ? Number(rows[0].version) : null;
    },
    async remove(scope, sessions) {
      if (sessions.length === 0 || !storable(scope)) return;
      await run("forget sessions' health", ({ exec }) => exec(`DELETE FROM ${t.health} WHERE scope = $1 AND session = ANY($2::text[])`, [scope, sessions.filter((s) => storable(s))]));
    },
  };
}
