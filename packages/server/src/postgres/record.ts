import type { SessionRecord } from '../store.js';
import type { PgRow } from './pg.js';

type Kind = 'text' | 'boolean' | 'epoch';

/**
 * Every field of a {@link SessionRecord} and its column. Typed over all the
 * record's keys, so a field added to the record fails to compile here until it
 * has a column (and a migration).
 */
export const RECORD_COLUMNS: { readonly [K in keyof Required<SessionRecord>]: readonly [column: string, kind: Kind] } = {
  sessionName: ['session_name', 'text'],
  connected: ['connected', 'boolean'],
  wahaUrl: ['waha_url', 'text'],
  status: ['status', 'text'],
  statusSince: ['status_since', 'epoch'],
  previousStatus: ['previous_status', 'text'],
  reason: ['reason', 'text'],
  attemptStartedAt: ['attempt_started_at', 'epoch'],
  qrSeenAt: ['qr_seen_at', 'epoch'],
  linkedAt: ['linked_at', 'epoch'],
  lastError: ['last_error', 'text'],
  eventAt: ['event_at', 'epoch'],
  eventId: ['event_id', 'text'],
};

const FIELDS = Object.keys(RECORD_COLUMNS) as (keyof SessionRecord)[];

/** The record's columns, in {@link recordValues} order. */
export const COLUMN_LIST: readonly string[] = FIELDS.map((field) => RECORD_COLUMNS[field][0]);

/** PostgreSQL's text cannot hold NUL; nothing the server stores legitimately contains one. */
export const hasNul = (value: string): boolean => value.includes('\u0000');

function columnValue(value: unknown, kind: Kind): unknown {
  if (value === undefined || value === null) return null;
  switch (kind) {
    case 'boolean':
      return value === true;
    case 'epoch':
      return typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : null;
    case 'text':
      return typeof value === 'string' && !hasNul(value) ? value : null;
  }
}

/** The record as statement parameters, in {@link COLUMN_LIST} order (what a column cannot hold becomes `NULL`). */
export function recordValues(record: SessionRecord): unknown[] {
  return FIELDS.map((field) => {
    const [, kind] = RECORD_COLUMNS[field];
    return columnValue(record[field], kind);
  });
}

/**
 * A row back as a record. `sessionName` and `connected` are always present;
 * optional fields appear when the column has a value, so a record read back
 * equals the record written (absent and `null` alike read as absent).
 */
export function rowToRecord(row: PgRow): SessionRecord {
  const record: SessionRecord = { sessionName: typeof row.session_name === 'string' ? row.session_name : null, connected: row.connected === true };
  for (const field of FIELDS) {
    if (field === 'sessionName' || field === 'connected') continue;
    const [column, kind] = RECORD_COLUMNS[field];
    const value = row[column];
    if (value === null || value === undefined) continue;
    // node-postgres reads bigint as a string (it may exceed 2^53; epoch ms never do).
    (record as unknown as Record<string, unknown>)[field] = kind === 'epoch' ? Number(value) : value;
  }
  return record;
}
