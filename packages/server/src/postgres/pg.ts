/**
 * The part of node-postgres (`pg`) this entry uses, described structurally: a
 * `pg.Pool` fits as it is, and neither `pg` nor `@types/pg` is needed to import
 * the types (the application that passes a pool has them).
 */

/** A query as node-postgres takes it: SQL text with `$n` placeholders and their values. */
export interface PgQueryConfig {
  /** SQL text; values are always `$n` parameters, never spliced in. */
  text: string;
  /** The parameters. */
  values?: unknown[];
}

/** One row as node-postgres gives it (column name → value). */
export type PgRow = Record<string, unknown>;

/** What node-postgres resolves a query with. */
export interface PgQueryResult<Row> {
  /** The rows. */
  rows: Row[];
  /** Rows affected or returned (`null` for commands that count nothing). */
  rowCount: number | null;
}

/** A `NOTIFY` received on a connection that `LISTEN`s. */
export interface PgNotification {
  /** The channel. */
  channel: string;
  /** The payload, when one was sent. */
  payload?: string | undefined;
  /** The backend process that sent it. */
  processId: number;
}

/** One connection lent by the pool (`pg.PoolClient`). */
export interface PgPoolClient {
  /** Runs one query. */
  query(config: PgQueryConfig): Promise<PgQueryResult<PgRow>>;
  /** Gives the connection back; with an error, the pool closes it instead of reusing it. */
  release(error?: Error | boolean): void;
  /** Notifications of the channels this connection listens to. */
  on(event: 'notification', listener: (message: PgNotification) => void): unknown;
  /** The connection failed (e.g. the server terminated it). */
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** The connection ended. */
  on(event: 'end', listener: () => void): unknown;
  /** Removes a listener added with `on`. */
  removeListener(event: 'notification', listener: (message: PgNotification) => void): unknown;
  /** Removes a listener added with `on`. */
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
  /** Removes a listener added with `on`. */
  removeListener(event: 'end', listener: () => void): unknown;
}

/** A connection pool (`pg.Pool`). */
export interface PgPool {
  /** Lends a connection; give it back with `release()`. */
  connect(): Promise<PgPoolClient>;
}
