/**
 * The opt-in extras of a session client: metrics (counters and derived figures:
 * polls, errors, status changes, flaps, link attempts, success rate, time to
 * connect, actions) and structured logs ({@link withLogger}). A client that
 * does not import this entry point carries none of it.
 *
 * @example
 * ```ts
 * import { createSessionClient } from '@whatsapp-connector/client';
 * import { createMetricsRecorder } from '@whatsapp-connector/client/metrics';
 *
 * const metrics = createMetricsRecorder();
 * const client = createSessionClient({ endpoint: '/api/whatsapp/session', inspect: metrics.record });
 * // later
 * console.log(metrics.read().successRate);
 * ```
 *
 * @packageDocumentation
 * @module @whatsapp-connector/client/metrics
 */
import { isTerminalStatus } from './contract/status.js';
import type { SessionAction } from './contract/types.js';
import { isFlapTransition } from './machine.js';
import type { Transition } from './options.js';

export { withLogger } from './log.js';

/** Counters and derived figures of one client. */
export interface SessionMetrics {
  /** GET requests sent. */
  readonly polls: number;
  /** GET requests that failed. */
  readonly pollErrors: number;
  /** Status changes observed (the first answer counts as one, like the `status-change` event). */
  readonly statusChanges: number;
  /** Flaps observed (`STOPPED` → `WORKING` returns, see `isFlapTransition`), one per round trip. */
  readonly flaps: number;
  /**
   * Attempts to link: each `reconnect` / `change_number` action, and each QR
   * that appears while no attempt is open (the backend created the session on `GET`).
   */
  readonly connectAttempts: number;
  /** Attempts that reached `WORKING` (a flapping session coming back does not count). */
  readonly successfulConnects: number;
  /** `successfulConnects / connectAttempts`, or `null` while no attempt was made. */
  readonly successRate: number | null;
  /** Milliseconds from the first QR of an attempt to `WORKING`, for each successful link (most recent last). */
  readonly timeToConnectMs: readonly number[];
  /** Actions sent, by type. */
  readonly actions: Readonly<Record<SessionAction, number>>;
}

/** Accumulates {@link SessionMetrics} from the client's transitions. */
export interface MetricsRecorder {
  /** Records one transition: give it to the client as its `inspect` option. */
  readonly record: (transition: Transition) => void;
  /** The figures so far (a new frozen object). */
  read(): SessionMetrics;
}

/** How many `timeToConnectMs` samples are kept (the most recent ones). */
export const MAX_TIME_TO_CONNECT_SAMPLES = 50;

/**
 * Creates a metrics recorder; pass its `record` as the client's `inspect` option.
 *
 * An *attempt to link* begins with a `reconnect` / `change_number` action, or
 * when a QR appears while no attempt is open (the backend created the session
 * on `GET`); it succeeds when `WORKING` follows and fails on `FAILED` / `ERROR`.
 * Time to connect runs from the attempt's first QR to `WORKING`.
 */
export function createMetricsRecorder(): MetricsRecorder {
  let polls = 0;
  let pollErrors = 0;
  let statusChanges = 0;
  let flaps = 0;
  let connectAttempts = 0;
  let successfulConnects = 0;
  const timeToConnectMs: number[] = [];
  const actions: Record<SessionAction, number> = { reconnect: 0, logout: 0, change_number: 0, request_code: 0 };
  let attempt: { firstQrAt: number | null } | null = null;

  function openAttempt(): void {
    connectAttempts += 1;
    attempt = { firstQrAt: null };
  }

  return {
    record({ event, prev, next }) {
      if (event.type === 'request') {
        if (event.action === null) polls += 1;
        else {
          actions[event.action] += 1;
          if (event.action === 'reconnect' || event.action === 'change_number') openAttempt();
        }
        return;
      }
      if (event.type === 'failure' && event.source === 'poll' && prev !== next && event.error.code !== 'aborted') pollErrors += 1;
      if (next.status === null || next.status === prev.status) return;

      statusChanges += 1;
      if (next.status === 'SCAN_QR') {
        if (attempt === null) openAttempt();
        if (attempt !== null && attempt.firstQrAt === null) attempt.firstQrAt = event.at;
      }
      if (next.status === 'WORKING') {
        // A flap as the machine defines it, counted once per round trip: on the way back.
        if (isFlapTransition(prev.status, next.status)) flaps += 1;
        if (attempt !== null) {
          successfulConnects += 1;
          if (attempt.firstQrAt !== null) {
            timeToConnectMs.push(event.at - attempt.firstQrAt);
            if (timeToConnectMs.length > MAX_TIME_TO_CONNECT_SAMPLES) timeToConnectMs.shift();
          }
          attempt = null;
        }
      }
      if (isTerminalStatus(next.status)) attempt = null;
    },
    read() {
      return Object.freeze({
        polls,
        pollErrors,
        statusChanges,
        flaps,
        connectAttempts,
        successfulConnects,
        successRate: connectAttempts === 0 ? null : successfulConnects / connectAttempts,
        timeToConnectMs: Object.freeze([...timeToConnectMs]),
        actions: Object.freeze({ ...actions }),
      });
    },
  };
}
