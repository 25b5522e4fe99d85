import { PostgresError, toPostgresError } from './errors.js';
import type { PgPool, PgPoolClient, PgRow } from './pg.js';

/** Settings every part of the postgres entry shares. */
export interface PostgresOptions {
  /** A node-postgres pool (`new pg.Pool({ connectionString })`); the entry never closes it. */
  pool: PgPool;
  /**
   * The PostgreSQL schema holding the tables (default: the connection's
   * `search_path`, usually `public`). Letters, digits and `_` only.
   */
  schema?: string;
  /**
   * Deadline of each call, in ms, from asking the pool for a connection to the
   * last row (default 3 000). Past it the call fails with a `timeout`
   * {@link PostgresError} and the connection is closed rather than reused, so a
   * slow or unreachable database costs a bounded wait, never a hung request.
   */
  timeoutMs?: number;
}

/** Default of {@link PostgresOptions.timeoutMs}. */
export const DEFAULT_TIMEOUT_MS = 3_000;

/** Runs SQL on one connection (values always as parameters). */
export type Sql = (text: string, values?: unknown[]) => Promise<PgRow[]>;

/** What a unit of work receives: the statement runner and the raw connection. */
export interface Connection {
  /** Runs one statement. */
  sql: Sql;
  /** Runs one statement; resolves the number of rows it affected. */
  exec(text: string, values?: unknown[]): Promise<number>;
}

function realTimer(callback: () => void, ms: number): () => void {
  const handle = setTimeout(callback, ms);
  handle.unref?.();
  return () => clearTimeout(handle);
}

/**
 * Runs `work` on a connection of `pool` within `timeoutMs`. A connection whose work
 * failed or overran is closed, not returned to the pool: it may be broken, or
 * still busy with a statement nobody waits for.
 */
export function withConnection<T>(pool: PgPool, timeoutMs: number, doing: string, work: (connection: Connection) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let client: PgPoolClient | undefined;
    let finished = false;
    const finish = (error: Error | undefined): void => {
      if (finished) return;
      finished = true;
      cancel();
      if (client) {
        client.removeListener('error', onError);
        client.release(error ?? undefined);
      }
    };
    // A connection that dies while idle between our statements emits 'error':
    // without a listener that would crash the process.
    const onError = (error: Error): void => {
      finish(error);
      reject(toPostgresError(error, doing));
    };
    const cancel = realTimer(() => {
      const error = new PostgresError('timeout', `PostgreSQL did not answer within ${timeoutMs} ms (${doing}).`);
      finish(error);
      reject(error);
    }, timeoutMs);

    pool.connect().then(
      (connected) => {
        if (finished) {
          // The deadline passed while we waited for the pool: give the connection back untouched.
          connected.release();
          return;
        }
        client = connected;
        connected.on('error', onError);
        const sql: Sql = async (text, values = []) => (await connected.query({ text, values })).rows;
        const exec = async (text: string, values: unknown[] = []) => (await connected.query({ text, values })).rowCount ?? 0;
        work({ sql, exec }).then(
          (value) => {
            if (finished) return;
            finish(undefined);
            resolve(value);
          },
          (error: unknown) => {
            if (finished) return;
            finish(error instanceof Error ? error : new Error(String(error)));
            reject(toPostgresError(error, doing));
          },
        );
      },
      (error: unknown) => {
        if (finished) return;
        finished = true;
        cancel();
        reject(toPostgresError(error, doing));
      },
    );
  });
}

/** Runs `work` in a transaction on one connection (see {@link withConnection}); rolls back when it throws. */
export function inTransaction<T>(pool: PgPool, timeoutMs: number, doing: string, work: (connection: Connection) => Promise<T>): Promise<T> {
  return withConnection(pool, timeoutMs, doing, async (connection) => {
    await connection.sql('BEGIN');
    let value: T;
    try {
      value = await work(connection);
    } catch (error) {
      // The connection is closed after a failure anyway (which rolls back); this makes it explicit.
      await connection.sql('ROLLBACK').catch(() => {});
      throw error;
    }
    await connection.sql('COMMIT');
    return value;
  });
}

/**
 * Resolves `promise`, or rejects after `ms` (then hands a late value to `late`,
 * e.g. to give back a connection nobody waits for any more).
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, late?: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new Error(`No answer within ${ms} ms.`));
    }, ms);
    timer.unref?.();
    promise.then(
      (value) => {
        if (done) {
          late?.(value);
          return;
        }
        done = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
