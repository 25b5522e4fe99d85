import { backoffDelay } from './backoff.js';
import { isTerminalStatus } from './contract/status.js';
import type { BackoffOptions, CadenceOptions } from './options.js';
import type { SessionSnapshot } from './snapshot.js';

/** The polling defaults: 8 s while waiting, 30 s while connected. */
export const DEFAULT_CADENCE: Readonly<CadenceOptions> = Object.freeze({ waitingMs: 8000, connectedMs: 30_000 });

/** The default safety-net interval while a push stream is open. */
export const DEFAULT_STREAM_FALLBACK_MS = 60_000;

/** Everything the cadence rule needs besides the snapshot. */
export interface CadenceConfig {
  /** Polling intervals. */
  readonly cadence: CadenceOptions;
  /** Failure backoff. */
  readonly backoff: BackoffOptions;
  /** Interval while a push stream is open. */
  readonly streamFallbackMs: number;
  /** Random source in `[0, 1)` for the jitter. */
  readonly random: () => number;
}

/** Why a delay was chosen (for logs and tests). */
export type PollDelayReason = 'initial' | 'waiting' | 'connected' | 'stream' | 'backoff' | 'retry-after';

/** The delay before the next poll and why. */
export interface PollDelay {
  /** Milliseconds from now. */
  readonly delayMs: number;
  /** Why this delay. */
  readonly reason: PollDelayReason;
}

/**
 * The cadence rule: when should the next automatic `GET` happen, given a
 * snapshot? `null` means "do not poll": the client is stopped, an action is
 * running, the caller is not authorized, or the session is `FAILED` / `ERROR`
 * (polling resumes only after an action or `refresh()`).
 *
 * Order of precedence: failures back off (a `Retry-After` wins over the
 * exponential delay); then 8 s while waiting, 30 s while `WORKING`, the stream
 * fallback while a push stream is open.
 *
 * @example
 * ```ts
 * nextPollDelay(snapshot, { cadence: DEFAULT_CADENCE, backoff: DEFAULT_BACKOFF, streamFallbackMs: 60000, random: Math.random });
 * // → { delayMs: 8000, reason: 'waiting' } for a SCAN_QR snapshot
 * ```
 */
export function nextPollDelay(snapshot: SessionSnapshot, config: CadenceConfig): PollDelay | null {
  if (!snapshot.polling || snapshot.pendingAction !== null || snapshot.phase === 'unauthorized') return null;
  if (snapshot.consecutiveFailures > 0) {
    const retryAfterMs = snapshot.error?.retryAfterMs;
    // Honour Retry-After, but never retry faster than the first backoff step (`Retry-After: 0` in a loop).
    if (retryAfterMs !== undefined) return { delayMs: Math.max(retryAfterMs, config.backoff.initialMs), reason: 'retry-after' };
    return { delayMs: backoffDelay(snapshot.consecutiveFailures, config.backoff, config.random), reason: 'backoff' };
  }
  if (snapshot.status === null) return { delayMs: 0, reason: 'initial' };
  if (isTerminalStatus(snapshot.status)) return null;
  if (snapshot.streaming) return { delayMs: config.streamFallbackMs, reason: 'stream' };
  if (snapshot.status === 'WORKING') return { delayMs: config.cadence.connectedMs, reason: 'connected' };
  return { delayMs: config.cadence.waitingMs, reason: 'waiting' };
}
