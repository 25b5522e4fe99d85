/**
 * Session statuses as the client understands them.
 *
 * WAHA spells the QR status `SCAN_QR_CODE`; the contract also allows `SCAN_QR`.
 * Both normalize to `SCAN_QR`. `ERROR` is not a WAHA status but backends may
 * report it. Any string this version does not know normalizes to `UNKNOWN`
 * (the raw string is kept next to it, see {@link SessionAnswer.rawStatus}).
 */
export type SessionStatus =
  | 'STARTING'
  | 'SCAN_QR'
  | 'WORKING'
  | 'STOPPED'
  | 'FAILED'
  | 'ERROR'
  | 'PASSKEY_REQUIRED'
  | 'PASSKEY_CONFIRMATION_REQUIRED'
  | 'UNKNOWN';

/** Every status the client knows by name, in a stable order (useful for tables and tests). */
export const SESSION_STATUSES: readonly SessionStatus[] = Object.freeze([
  'STARTING',
  'SCAN_QR',
  'WORKING',
  'STOPPED',
  'FAILED',
  'ERROR',
  'PASSKEY_REQUIRED',
  'PASSKEY_CONFIRMATION_REQUIRED',
  'UNKNOWN',
]);

/**
 * Maps any value a backend may send as `status` to a {@link SessionStatus}.
 * Case and surrounding white space are ignored; unknown or non-string values
 * become `UNKNOWN` rather than an exception.
 *
 * @example
 * ```ts
 * normalizeStatus('SCAN_QR_CODE'); // 'SCAN_QR'
 * normalizeStatus(' working ');    // 'WORKING'
 * normalizeStatus('REBOOTING');    // 'UNKNOWN'
 * ```
 */
export function normalizeStatus(raw: unknown): SessionStatus {
  if (typeof raw !== 'string') return 'UNKNOWN';
  const upper = raw.trim().toUpperCase();
  // WAHA's spelling of SCAN_QR.
  if (upper === 'SCAN_QR_CODE') return 'SCAN_QR';
  return (SESSION_STATUSES as readonly string[]).includes(upper) ? (upper as SessionStatus) : 'UNKNOWN';
}

/** `true` for the statuses in which polling stops until a person acts (`FAILED`, `ERROR`); `false` for none (`null`). */
export function isTerminalStatus(status: SessionStatus | null): boolean {
  return status === 'FAILED' || status === 'ERROR';
}

/** `true` for the statuses in which the session waits for the phone (the waiting cadence applies). */
export function isWaitingStatus(status: SessionStatus): boolean {
  return status !== 'WORKING' && !isTerminalStatus(status);
}
