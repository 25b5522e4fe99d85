import { randomUUID } from 'node:crypto';
import type { WatcherLease } from '../watcher-lease.js';
import { DEFAULT_TIMEOUT_MS, withConnection, type PostgresOptions } from './connection.js';
import { tableNames } from './tables.js';

/** Options of {@link createPostgresLease}. */
export interface PostgresLeaseOptions extends PostgresOptions {
  /** The lease's name (default `watcher`): instances sharing a name share the lease. */
  name?: string;
  /** This instance's name in the lease table (default: a random id); shows who holds it. */
  holder?: string;
}

/** A {@link WatcherLease} in PostgreSQL, with the holder it names. */
export interface PostgresLease extends WatcherLease {
  /** This instance's holder id. */
  readonly holder: string;
  /** Who holds the lease now and until when (epoch ms), or `null` when nobody does. */
  current(): Promise<{ holder: string; expiresAt: number } | null>;
}

/**
 * A {@link WatcherLease} held in the `wac_leases` table (created by `migrate`):
 * one row per lease, taken by an upsert that succeeds only for its holder or once
 * it expired. Expiry is judged by the database's clock, so instances whose
 * clocks disagree still agree on the holder. Pass it to `watchSessions` on every
 * instance: one watches, the others stand by and take over within one renewal
 * period after the holder dies.
 *
 * @example
 * ```ts
 * const watcher = watchSessions({ store, lease: createPostgresLease({ pool }), metrics });
 * ```
 */
export function createPostgresLease(options: PostgresLeaseOptions): PostgresLease {
  const t = tableNames(options.schema);
  const name = options.name ?? 'watcher';
  const holder = options.holder ?? randomUUID();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    holder,
    async acquire(ttlMs) {
      const rows = await withConnection(options.pool, timeoutMs, 'take the lease', ({ sql }) =>
        sql(
          `INSERT INTO ${t.leases} AS lease (name, holder, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
           ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
           WHERE lease.holder = EXCLUDED.holder OR lease.expires_at <= now()
           RETURNING holder`,
          [name, holder, Math.max(1, Math.round(ttlMs))],
        ),
      );
      return rows.length === 1;
    },
    async release() {
      await withConnection(options.pool, timeoutMs, 'release the lease', ({ exec }) =>
        exec(`DELETE FROM ${t.leases} WHERE name = $1 AND holder = $2`, [name, holder]),
      ).catch(() => {
        // Unreachable: the lease simply expires.
      });
    },
    async current() {
      const rows = await withConnection(options.pool, timeoutMs, 'read the lease', ({ sql }) =>
        sql(`SELECT holder, (extract(epoch FROM expires_at) * 1000)::bigint AS expires_at FROM ${t.leases} WHERE name = $1 AND expires_at > now()`, [name]),
      );
      return rows[0] ? { holder: String(rows[0].holder), expiresAt: Number(rows[0].expires_at) } : null;
    },
  };
}
