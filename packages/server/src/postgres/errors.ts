/**
 * What went wrong with PostgreSQL:
 * - `timeout`: no answer within the call's deadline (the server is slow, or unreachable without an error);
 * - `unavailable`: no connection (refused, terminated, the pool is closed);
 * - `conflict`: an atomic update lost to concurrent writers too many times in a row;
 * - `schema`: the tables are missing, older than this code (run `migrate`), or newer (upgrade the code);
 * - `query`: PostgreSQL refused a statement (e.g. a value it cannot store).
 */
export type PostgresErrorKind = 'timeout' | 'unavailable' | 'conflict' | 'schema' | 'query';

/** The one error type of `@whatsapp-connector/server/postgres`; the original error, if any, is its `cause`. */
export class PostgresError extends Error {
  /** What went wrong. */
  readonly kind: PostgresErrorKind;
  /** PostgreSQL's SQLSTATE, when the server answered with one (e.g. `57P01`). */
  readonly sqlState: string | undefined;

  constructor(kind: PostgresErrorKind, message: string, options: { cause?: unknown; sqlState?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PostgresError';
    this.kind = kind;
    this.sqlState = options.sqlState;
  }
}

/** `true` for a {@link PostgresError}, also across bundle copies. */
export function isPostgresError(value: unknown): value is PostgresError {
  return value instanceof PostgresError || (typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'PostgresError');
}

/** SQLSTATE classes that mean "the connection or the server is gone", not "this statement is wrong". */
const UNAVAILABLE_CLASSES = ['08', '53', '57'];

/** SQLSTATEs that mean the tables are not there (or not as this code expects). */
const SCHEMA_STATES = new Set(['42P01', '42703', '3F000']);

/** Turns whatever node-postgres threw into a {@link PostgresError} that says what it means. */
export function toPostgresError(error: unknown, doing: string): PostgresError {
  if (isPostgresError(error)) return error;
  const sqlState = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  const detail = error instanceof Error ? error.message : String(error);
  const options = { cause: error, ...(sqlState ? { sqlState } : {}) };
  if (sqlState && SCHEMA_STATES.has(sqlState)) {
    return new PostgresError('schema', `PostgreSQL could not ${doing}: ${detail}. Run migrate() (or the wac-postgres-migrate command) first.`, options);
  }
  // A five-character SQLSTATE is PostgreSQL's own answer; anything else (ECONNREFUSED,
  // "Connection terminated", a closed pool) is the connection failing.
  if (sqlState && /^[0-9A-Z]{5}$/.test(sqlState) && !UNAVAILABLE_CLASSES.includes(sqlState.slice(0, 2))) {
    return new PostgresError('query', `PostgreSQL refused to ${doing}: ${detail}`, options);
  }
  return new PostgresError('unavailable', `PostgreSQL is unavailable (could not ${doing}): ${detail}`, options);
}
