import { LockBusyError, type ActionLock } from '../lock.js';
import { DEFAULT_TIMEOUT_MS, withDeadline, type PostgresOptions } from './connection.js';
import { toPostgresError } from './errors.js';
import type { PgPoolClient } from './pg.js';

/** Options of {@link createPostgresLock}. */
export type PostgresLockOptions = Omit<PostgresOptions, 'schema'>;

/** PostgreSQL's SQLSTATE for "lock_timeout expired". */
const LOCK_NOT_AVAILABLE = '55P03';

/** The advisory lock key of `key`: one 64-bit number, hashed by PostgreSQL; the prefix keeps it apart from other advisory locks. */
const KEY_SQL = `hashtextextended('wac_action:' || $1, 0)`;

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * An {@link ActionLock} on PostgreSQL advisory locks: one action per
 * organization at a time across every instance on the database.
 *
 * The lock is held by a connection of the pool for the length of the task (size
 * the pool for the actions that may run at once), and released when the task
 * ends — or when its holder dies: PostgreSQL drops a session's advisory locks
 * with its connection, so a crashed instance never blocks an organization.
 * Waiting is bounded by `waitMs` (`lock_timeout`; `0` tries once), after which
 * `run` rejects with {@link LockBusyError}. Failing to reach PostgreSQL rejects
 * with a {@link PostgresError} within `timeoutMs`.
 *
 * @example
 * ```ts
 * const handler = createSessionHandler({ getOrganizationId, store, bus, lock: createPostgresLock({ pool }) });
 * ```
 */
export function createPostgresLock(options: PostgresLockOptions): ActionLock {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  /** Takes the lock on `client`; `false` when another holder kept it past `waitMs`. */
  async function acquire(client: PgPoolClient, key: string, waitMs: number): Promise<boolean> {
    if (waitMs <= 0) {
      const rows = await withDeadline(client.query({ text: `SELECT pg_try_advisory_lock(${KEY_SQL}) AS locked`, values: [key] }), timeoutMs);
      return rows.rows[0]?.locked === true;
    }
    // lock_timeout bounds the wait on the server; the client-side deadline covers a server that does not answer at all.
    await withDeadline(client.query({ text: `SELECT set_config('lock_timeout', $1, false)`, values: [`${Math.ceil(waitMs)}ms`] }), timeoutMs);
    let locked = true;
    try {
      await withDeadline(client.query({ text: `SELECT pg_advisory_lock(${KEY_SQL})`, values: [key] }), waitMs + timeoutMs);
    } catch (error) {
      // Anything but "still held" leaves the connection in doubt: the caller discards it.
      if ((error as { code?: unknown }).code !== LOCK_NOT_AVAILABLE) throw error;
      locked = false;
    }
    // The connection goes back to the pool: leave no session setting behind.
    await withDeadline(client.query({ text: `RESET lock_timeout` }), timeoutMs);
    return locked;
  }

  return {
    async run(key, task, { waitMs }) {
      let client: PgPoolClient;
      try {
        client = await withDeadline(options.pool.connect(), timeoutMs, (late) => late.release());
      } catch (error) {
        throw toPostgresError(error, 'take an action lock');
      }
      // An error on the idle connection while the task runs must not crash the process;
      // the lock is gone with the connection, which the release below discards.
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken = error;
      };
      client.on('error', onError);
      let locked: boolean;
      try {
        locked = await acquire(client, key, waitMs);
      } catch (error) {
        client.removeListener('error', onError);
        client.release(asError(error));
        throw toPostgresError(error, 'take an action lock');
      }
      if (!locked) {
        client.removeListener('error', onError);
        client.release();
        throw new LockBusyError(key);
      }
      try {
        return await task();
      } finally {
        let releaseError = broken;
        if (!releaseError) {
          try {
            await withDeadline(client.query({ text: `SELECT pg_advisory_unlock(${KEY_SQL})`, values: [key] }), timeoutMs);
          } catch (error) {
            // Closing the connection releases the lock as surely as unlocking does.
            releaseError = asError(error);
          }
        }
        client.removeListener('error', onError);
        client.release(releaseError);
      }
    },
  };
}
