import type { SessionMetrics } from './client-types.js';
import { isTerminalStatus } from './contract/status.js';
import type { SessionAction } from './contract/types.js';
import { isFlapTransition, type MachineEvent } from './machine.js';
import type { SessionSnapshot } from './snapshot.js';

/** Accumulates {@link SessionMetrics} from the client's transitions. */
export interface MetricsRecorder {
  /** Records one reduced event (`prev` and `next` are the snapshots around it). */
  record(prev: SessionSnapshot, next: SessionSnapshot, event: MachineEvent): void;
  /** The figures so far (a new frozen object). */
  read(): SessionMetrics;
}

/** How many `timeToConnectMs` samples are kept (the most recent ones). */
export const MAX_TIME_TO_CONNECT_SAMPLES = 50;

/**
 * Creates a metrics recorder.
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
    record(prev, next, event) {
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
