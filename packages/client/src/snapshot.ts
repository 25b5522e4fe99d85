import type { SessionError } from './contract/errors.js';
import type { SessionStatus } from './contract/status.js';
import type { SessionAction, SessionMe } from './contract/types.js';

/**
 * What the UI should show, derived from the session status and the client's own
 * situation (never started, loading, cannot reach the backend…).
 *
 * | phase | when |
 * |---|---|
 * | `idle` | the client is not started (or was stopped) and has no answer yet |
 * | `loading` | the first answer is on its way |
 * | `starting` | `STARTING` |
 * | `qr` | `SCAN_QR` (a QR or a pairing code is waiting to be used) |
 * | `passkey` | `PASSKEY_REQUIRED` / `PASSKEY_CONFIRMATION_REQUIRED`: confirm on the phone |
 * | `connected` | `WORKING` |
 * | `reconnecting` | `STOPPED` (transient; the last known number stays in `me`) |
 * | `failed` | `FAILED` / `ERROR` (polling stopped; offer reconnect / change number) |
 * | `qr-expired` | `FAILED` right after `SCAN_QR`: the QR was never scanned |
 * | `checking` | a status this version does not know |
 * | `unreachable` | the last request failed (network, timeout, 5xx, bad body); retrying with backoff |
 * | `unauthorized` | `401` / `403`; polling stopped |
 *
 * A running action is not a phase: see {@link SessionSnapshot.pendingAction}.
 */
export type SessionPhase =
  | 'idle'
  | 'loading'
  | 'starting'
  | 'qr'
  | 'passkey'
  | 'connected'
  | 'reconnecting'
  | 'failed'
  | 'qr-expired'
  | 'checking'
  | 'unreachable'
  | 'unauthorized';

/** Overall health of the link, for badges and monitoring. */
export type HealthLevel = 'unknown' | 'healthy' | 'degraded' | 'down';

/**
 * Why the health is what it is.
 *
 * - `connected`: `WORKING` and stable.
 * - `waiting`: waiting for a scan, a start or a confirmation (not a fault).
 * - `reconnecting`: `STOPPED`, expected to heal by itself.
 * - `flapping`: `WORKING` ↔ `STOPPED` more than twice within a minute.
 * - `failed`: `FAILED` / `ERROR`.
 * - `qr-expired`: the QR was not scanned in time.
 * - `unreachable`: the backend cannot be reached or answers badly.
 * - `unauthorized`: the backend refused the caller.
 */
export type HealthReason =
  | 'connected'
  | 'waiting'
  | 'reconnecting'
  | 'flapping'
  | 'failed'
  | 'qr-expired'
  | 'unreachable'
  | 'unauthorized';

/** Health of the link with its reason. */
export interface SessionHealth {
  /** The level. */
  readonly level: HealthLevel;
  /** The reason, or `null` while nothing is known. */
  readonly reason: HealthReason | null;
}

/**
 * An immutable picture of the session as the client knows it. The client hands
 * out the same object until something changes, so it can be compared by
 * reference (React's `useSyncExternalStore`, Lit's change detection).
 */
export interface SessionSnapshot {
  /** What the UI should show. */
  readonly phase: SessionPhase;
  /** The normalized status of the last answer, or `null` before the first one. */
  readonly status: SessionStatus | null;
  /** The status string exactly as the backend sent it, or `null`. */
  readonly rawStatus: string | null;
  /** The status before the last status change, or `null`. */
  readonly previousStatus: SessionStatus | null;
  /** The WAHA session name, e.g. `eagles_42`, or `null`. */
  readonly sessionName: string | null;
  /** The backend's persisted "linked" flag (`false` until an answer says otherwise). */
  readonly connected: boolean;
  /** The raw QR payload while `SCAN_QR`, else `null`. */
  readonly qr: string | null;
  /** A safe QR image data URL while `SCAN_QR`, else `null`. */
  readonly qrImage: string | null;
  /** The pairing code of a `request_code` action while `SCAN_QR`, else `null`. */
  readonly pairingCode: string | null;
  /** The linked account; kept through `STOPPED` so the UI can still show the number. */
  readonly me: SessionMe | null;
  /** The last error (request failure, or the backend's reason for `FAILED` / `ERROR`), or `null`. */
  readonly error: SessionError | null;
  /** Health of the link. */
  readonly health: SessionHealth;
  /** The action being performed, or `null`. While set, polling is paused and action buttons should be disabled. */
  readonly pendingAction: SessionAction | null;
  /** `true` while the client is started and polling is not stopped by `FAILED` / `ERROR` / `401`. */
  readonly polling: boolean;
  /** `true` while a push stream (Server-Sent Events) of the session is open; polling then slows to a safety net. */
  readonly streaming: boolean;
  /** Epoch milliseconds of the next scheduled poll, or `null` when none is scheduled. */
  readonly nextPollAt: number | null;
  /** Epoch milliseconds of the last usable answer, or `null`. */
  readonly lastUpdatedAt: number | null;
  /**
   * Epoch milliseconds of the answer that first reported the current `status`, or
   * `null` before the first answer: `lastUpdatedAt - statusSince` is how long the
   * status has lasted (e.g. a `STOPPED` that does not come back). It counts only
   * what was watched: it starts again after `start()` and after answers more than
   * `STATUS_CONTINUITY_MS` (90 s) apart, since the status may have changed unseen.
   */
  readonly statusSince: number | null;
  /**
   * `true` once the session has stayed `STOPPED` for `STALLED_AFTER_MS` (two minutes)
   * of watching, counted like {@link SessionSnapshot.statusSince}. A flap heals within
   * seconds; a `STOPPED` that lasts minutes will not heal by itself (e.g. WAHA restarted
   * without restoring its sessions), so a UI may then offer to link again. It turns
   * `true` at that exact moment, not at the next poll.
   */
  readonly stalled: boolean;
  /** Consecutive failed requests since the last success (drives the backoff). */
  readonly consecutiveFailures: number;
}
