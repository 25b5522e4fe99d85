import { PostgresError } from './errors.js';

/** A plain SQL identifier: the only text of ours that is spliced into SQL (values never are). */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Quotes `name` as an identifier after checking it is a plain one (letters, digits, `_`). */
export function identifier(name: string, what: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new PostgresError('query', `${what} must be a plain SQL identifier (letters, digits and _, at most 63), got ${JSON.stringify(name.slice(0, 80))}.`);
  }
  return `"${name}"`;
}

/** The quoted, schema-qualified names of every table the entry owns. */
export interface TableNames {
  /** The version of the tables (one row). */
  readonly version: string;
  /** One session record per organization. */
  readonly sessions: string;
  /** Bus messages too large for a `NOTIFY` payload. */
  readonly busPayloads: string;
  /** Leases (the watcher's). */
  readonly leases: string;
  /** Counters of the metrics. */
  readonly counters: string;
  /** Connect attempts awaiting their outcome (metrics). */
  readonly attempts: string;
  /** Gauges of the metrics (sessions by status). */
  readonly gauges: string;
  /** The watcher's health state per watched session. */
  readonly health: string;
}

/** Table names in `schema` (the `search_path` when none). */
export function tableNames(schema: string | undefined): TableNames {
  const prefix = schema === undefined ? '' : `${identifier(schema, 'The schema')}.`;
  const name = (table: string) => `${prefix}"${table}"`;
  return {
    version: name('wac_schema_version'),
    sessions: name('wac_sessions'),
    busPayloads: name('wac_bus_payloads'),
    leases: name('wac_leases'),
    counters: name('wac_metric_counters'),
    attempts: name('wac_connect_attempts'),
    gauges: name('wac_metric_gauges'),
    health: name('wac_watcher_health'),
  };
}
