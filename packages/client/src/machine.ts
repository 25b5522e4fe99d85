import { SessionError } from './contract/errors.js';
import { isTerminalStatus, SESSION_STATUSES, type SessionStatus } from './contract/status.js';
import type { SessionAction, SessionAnswer, SessionFailureReason } from './contract/types.js';
import type { HealthReason, SessionHealth, SessionPhase, SessionSnapshot } from './snapshot.js';

/** Where an answer came from. */
export type AnswerSource = 'poll' | 'action' | 'push';

/** `start()` was called. */
export interface StartEvent {
  /** Discriminant. */
  readonly type: 'start';
  /** Epoch milliseconds. */
  readonly at: number;
}

/** `stop()` was called. */
export interface StopEvent {
  /** Discriminant. */
  readonly type: 'stop';
  /** Epoch milliseconds. */
  readonly at: number;
}

/** A request was sent: a poll (`action: null`) or an action. An action request is a barrier: older requests become stale. */
export interface RequestEvent {
  /** Discriminant. */
  readonly type: 'request';
  /** Epoch milliseconds. */
  readonly at: number;
  /** The request's sequence number (increasing). */
  readonly seq: number;
  /** The action, or `null` for a poll. */
  readonly action: SessionAction | null;
}

/** A usable session answer arrived. */
export interface AnswerEvent {
  /** Discriminant. */
  readonly type: 'answer';
  /** Epoch milliseconds. */
  readonly at: number;
  /** The sequence number of the request (or push message) it answers. */
  readonly seq: number;
  /** Where it came from. */
  readonly source: AnswerSource;
  /** The parsed answer. */
  readonly answer: SessionAnswer;
  /** The action it answers, when `source` is `'action'`. */
  readonly action?: SessionAction | undefined;
}

/** A request failed. */
export interface FailureEvent {
  /** Discriminant. */
  readonly type: 'failure';
  /** Epoch milliseconds. */
  readonly at: number;
  /** The sequence number of the failed request. */
  readonly seq: number;
  /** A poll or an action. */
  readonly source: 'poll' | 'action';
  /** What went wrong. */
  readonly error: SessionError;
  /** The action that failed, when `source` is `'action'`. */
  readonly action?: SessionAction | undefined;
}

/** The client scheduled the next poll (or none). */
export interface ScheduleEvent {
  /** Discriminant. */
  readonly type: 'schedule';
  /** Epoch milliseconds. */
  readonly at: number;
  /** Epoch milliseconds of the next poll, or `null`. */
  readonly nextPollAt: number | null;
}

/** The push stream opened or closed. */
export interface StreamEvent {
  /** Discriminant. */
  readonly type: 'stream';
  /** Epoch milliseconds. */
  readonly at: number;
  /** `true` when it opened. */
  readonly open: boolean;
}

/** The clock reached a moment a time rule waits for (see {@link stalledAt}). */
export interface TickEvent {
  /** Discriminant. */
  readonly type: 'tick';
  /** Epoch milliseconds. */
  readonly at: number;
}

/**
 * Everything that can happen to a client, as data. Every event carries `at`
 * (epoch milliseconds); request results carry the `seq` of their request so
 * that late answers can be recognized and discarded.
 */
export type MachineEvent = StartEvent | StopEvent | RequestEvent | AnswerEvent | FailureEvent | ScheduleEvent | StreamEvent | TickEvent;

/** The names of {@link MachineEvent}s. */
export type MachineEventType = MachineEvent['type'];

/** Time window and threshold of the flapping rule: more than twice within a minute. */
export const FLAP_WINDOW_MS = 60_000;
/** Transitions WORKING ↔ STOPPED within {@link FLAP_WINDOW_MS} above which the session is flapping. */
export const FLAP_THRESHOLD = 2;

/** The machine's state: the public snapshot plus the bookkeeping the rules need. */
export interface MachineState {
  /** What the client publishes. */
  readonly snapshot: SessionSnapshot;
  /** `true` between `start()` and `stop()`. */
  readonly running: boolean;
  /** The highest request `seq` whose result (or action barrier) has been applied; older results are stale. */
  readonly appliedSeq: number;
  /** Times of the WORKING ↔ STOPPED transitions inside the flapping window. */
  readonly flapTransitions: readonly number[];
}

const UNKNOWN_HEALTH: SessionHealth = Object.freeze({ level: 'unknown', reason: null });

/** The snapshot of a client that has not started. */
export const initialSnapshot: SessionSnapshot = Object.freeze({
  phase: 'idle',
  status: null,
  rawStatus: null,
  previousStatus: null,
  sessionName: null,
  connected: false,
  qr: null,
  qrImage: null,
  pairingCode: null,
  me: null,
  error: null,
  health: UNKNOWN_HEALTH,
  pendingAction: null,
  polling: false,
  streaming: false,
  nextPollAt: null,
  lastUpdatedAt: null,
  statusSince: null,
  stalled: false,
  consecutiveFailures: 0,
});

/** The state of a client that has not started. */
export const initialState: MachineState = Object.freeze({
  snapshot: initialSnapshot,
  running: false,
  appliedSeq: 0,
  flapTransitions: Object.freeze([]) as readonly number[],
});

/** `true` when a result of request `seq` arrives after a newer result or action and must be discarded. */
export function isStale(state: MachineState, seq: number): boolean {
  return seq < state.appliedSeq;
}

/** The phase of each status, in the order of {@link SESSION_STATUSES} (a `switch` or a keyed table costs more bytes). */
const PHASES: readonly SessionPhase[] = ['starting', 'qr', 'connected', 'reconnecting', 'failed', 'failed', 'passkey', 'passkey', 'checking'];

/**
 * The UI phase for a status. `FAILED` right after `SCAN_QR` is an expired QR; so is
 * a `FAILED` the backend marks `qr_expired` (a page opened after the QR expired
 * never saw the `SCAN_QR`).
 */
export function phaseForStatus(status: SessionStatus, previousStatus: SessionStatus | null, reason: SessionFailureReason | null = null): SessionPhase {
  return status === 'FAILED' && (previousStatus === 'SCAN_QR' || reason === 'qr_expired') ? 'qr-expired' : PHASES[SESSION_STATUSES.indexOf(status)]!;
}

/** The health level of the phases that have one of their own; the others are waiting (`unknown`). */
const HEALTH_LEVELS: Partial<Record<SessionPhase, SessionHealth['level']>> = {
  connected: 'healthy',
  reconnecting: 'degraded',
  failed: 'down',
  'qr-expired': 'down',
  unreachable: 'down',
  unauthorized: 'down',
};

/**
 * Health of the link for a phase. Waiting for a scan is not a fault, so its
 * level is `unknown` (not linked, nothing wrong); flapping degrades a
 * connected or reconnecting session. The reason of the other phases is the
 * phase itself (`failed`, `qr-expired`, `unreachable`, `unauthorized`).
 */
export function healthFor(phase: SessionPhase, flapping: boolean): SessionHealth {
  if (phase === 'idle' || phase === 'loading') return UNKNOWN_HEALTH;
  const level = HEALTH_LEVELS[phase];
  if (level === undefined) return { level: 'unknown', reason: 'waiting' };
  if (flapping && level !== 'down') return { level: 'degraded', reason: 'flapping' };
  return { level, reason: phase as HealthReason };
}

/** A flat record (`me`, `health`) or `null` as JSON with its fields in sorted order: the same fields, in any order, give the same text. */
const sortedJson = (record: object | null) => JSON.stringify(record, Object.keys(record ?? 0).sort());

/**
 * `base` itself when `changes` change nothing, else a new frozen copy with the
 * changed fields: the identity of a snapshot (and of a state) is the "something
 * changed" signal. `me` and `health` are compared by their fields.
 */
function merge<T extends object>(base: T, changes: Partial<T>): T {
  let next: T | undefined;
  for (const key in changes) {
    const value = changes[key];
    const same = key === 'me' || key === 'health' ? sortedJson(base[key] as object | null) === sortedJson(value as object | null) : Object.is(base[key], value);
    if (!same) (next ??= { ...base })[key] = value as T[typeof key];
  }
  return next === undefined ? base : Object.freeze(next);
}

/** The state with `changes` to its snapshot and `extra` to its bookkeeping; `state` itself when nothing changes. */
function update(state: MachineState, changes: Partial<SessionSnapshot>, extra: Partial<MachineState> = {}): MachineState {
  const next = { ...state, ...extra };
  const { status, consecutiveFailures, phase } = { ...state.snapshot, ...changes };
  // `polling` and `health` follow from the rest: one rule each, applied to every change.
  const derived = {
    polling: pollingAllowed(next.running, status, consecutiveFailures, phase),
    health: healthFor(phase, next.flapTransitions.length > FLAP_THRESHOLD),
  };
  return merge(state, { ...extra, snapshot: merge(state.snapshot, { ...changes, ...derived }) });
}

/**
 * The one definition of a flap: a `WORKING` ↔ `STOPPED` transition. More than
 * {@link FLAP_THRESHOLD} of them within {@link FLAP_WINDOW_MS} make the session flapping.
 */
export function isFlapTransition(from: SessionStatus | null, to: SessionStatus | null): boolean {
  return (from === 'WORKING' && to === 'STOPPED') || (from === 'STOPPED' && to === 'WORKING');
}

function pruneFlaps(transitions: readonly number[], at: number, added: boolean): readonly number[] {
  const kept = transitions.filter((time) => at - time < FLAP_WINDOW_MS);
  if (added) kept.push(at);
  return kept.length === transitions.length && !added ? transitions : Object.freeze(kept);
}

function pollingAllowed(running: boolean, status: SessionStatus | null, failures: number, phase: SessionPhase): boolean {
  if (!running || phase === 'unauthorized') return false;
  return failures > 0 || !isTerminalStatus(status);
}

function sessionFailedError(previous: SessionError | null, phase: SessionPhase, reason: string | null): SessionError {
  const message = reason ?? (phase === 'qr-expired' ? 'QR code expired' : 'session failed');
  if (previous?.code === 'session_failed' && previous.message === message) return previous;
  return new SessionError({ code: 'session_failed', message, serverMessage: reason ?? undefined });
}

/**
 * Answers further apart than this leave a gap in which the status may have changed
 * and changed back unseen (a hidden tab, a stop, an outage): `statusSince` starts
 * again. Longer than every default interval (8 s, 30 s, the stream's 60 s safety
 * net, the 60 s backoff cap).
 */
export const STATUS_CONTINUITY_MS = 90_000;

type Watch = Pick<SessionSnapshot, 'status' | 'statusSince' | 'lastUpdatedAt'>;

function observedWithoutGap(prev: Watch, at: number): boolean {
  return prev.statusSince !== null && prev.lastUpdatedAt !== null && at - prev.lastUpdatedAt <= STATUS_CONTINUITY_MS;
}

/** How long a session may stay `STOPPED` before it counts as stalled (see {@link SessionSnapshot.stalled}). */
export const STALLED_AFTER_MS = 120_000;

/** `stalled` as of `at`: `STOPPED` for {@link STALLED_AFTER_MS}, watched without a gap up to `at`. */
function isStalled(snapshot: Watch, at: number): boolean {
  return snapshot.status === 'STOPPED' && observedWithoutGap(snapshot, at) && at - snapshot.statusSince! >= STALLED_AFTER_MS;
}

/**
 * When `stalled` will turn `true` if nothing else happens first: the moment to
 * dispatch a `tick` at, or `null` when no such moment is due (not running, not
 * `STOPPED`, already stalled, or the watch would have a gap by then, in which
 * case the next answer decides). The machine stays pure: its driver owns the timer.
 */
export function stalledAt(state: MachineState): number | null {
  const { snapshot } = state;
  if (!state.running || snapshot.stalled || snapshot.status !== 'STOPPED') return null;
  // Without a statusSince, no watch (observedWithoutGap is false).
  const at = snapshot.statusSince! + STALLED_AFTER_MS;
  return observedWithoutGap(snapshot, at) ? at : null;
}

function applyAnswer(state: MachineState, event: AnswerEvent, ended: Partial<SessionSnapshot>): MachineState {
  const prev = state.snapshot;
  const { answer, at } = event;
  const statusChanged = prev.status !== answer.status;
  const previousStatus = statusChanged ? prev.status : prev.previousStatus;
  const phase = phaseForStatus(answer.status, previousStatus, answer.reason);
  const flapTransitions = pruneFlaps(state.flapTransitions, at, statusChanged && isFlapTransition(prev.status, answer.status));
  // STOPPED is usually transient: keep showing the number the session had (not after a logout).
  const keepMe = answer.status === 'STOPPED' && event.action !== 'logout';
  const me = answer.me ?? (keepMe ? prev.me : null);
  // A pairing code stays until the session links or a new attempt begins; polls do not repeat it.
  const newAttempt = event.action !== undefined && event.action !== 'request_code';
  const keepCode = !newAttempt && answer.status !== 'WORKING' && !isTerminalStatus(answer.status);
  const pairingCode = answer.pairingCode ?? (keepCode ? prev.pairingCode : null);
  const error = isTerminalStatus(answer.status) ? sessionFailedError(prev.error, phase, answer.error) : null;
  const statusSince = statusChanged || !observedWithoutGap(prev, at) ? at : prev.statusSince;
  const changes: Partial<SessionSnapshot> = {
    phase,
    status: answer.status,
    rawStatus: answer.rawStatus,
    previousStatus,
    sessionName: answer.sessionName ?? prev.sessionName,
    connected: answer.connected,
    qr: answer.status === 'SCAN_QR' ? answer.qr : null,
    qrImage: answer.status === 'SCAN_QR' ? answer.qrImage : null,
    pairingCode,
    me,
    error,
    lastUpdatedAt: at,
    statusSince,
    // The one rule, as of this answer (watched up to it, without a gap).
    stalled: isStalled({ status: answer.status, statusSince, lastUpdatedAt: at }, at),
    consecutiveFailures: 0,
    ...ended,
  };
  return update(state, changes, { appliedSeq: event.seq, flapTransitions });
}

/** Action failures that say "this request was wrong", not "the backend is unreachable". */
function isRequestRefusal(error: SessionError): boolean {
  // An `http` error always has its status (a comparison with undefined would be false anyway).
  return error.code === 'busy' || (error.code === 'http' && error.httpStatus! >= 400 && error.httpStatus! < 500);
}

function applyFailure(state: MachineState, event: FailureEvent, ended: Partial<SessionSnapshot>): MachineState {
  const prev = state.snapshot;
  const { error } = event;
  const appliedSeq = { appliedSeq: event.seq };
  if (error.code === 'aborted') return update(state, ended, appliedSeq);
  if (event.source === 'action' && isRequestRefusal(error)) return update(state, { ...ended, error }, appliedSeq);
  const phase: SessionPhase = error.code === 'unauthorized' ? 'unauthorized' : 'unreachable';
  const consecutiveFailures = prev.consecutiveFailures + 1;
  const changes: Partial<SessionSnapshot> = {
    phase,
    error,
    consecutiveFailures,
    ...ended,
  };
  return update(state, changes, appliedSeq);
}

/**
 * The state machine: a pure function from a state and an event to the next
 * state. No I/O, no timers, no randomness. It returns the same object (and
 * the same snapshot) when the event changes nothing, and ignores results of
 * requests that were overtaken by a newer result or an action.
 *
 * @example
 * ```ts
 * let state = reduce(initialState, { type: 'start', at: 0 });
 * state = reduce(state, { type: 'answer', at: 10, seq: 1, source: 'poll', answer });
 * state.snapshot.phase; // 'qr' for a SCAN_QR answer
 * ```
 */
export function reduce(state: MachineState, event: MachineEvent): MachineState {
  const prev = state.snapshot;
  // Started, or polled by hand (refresh() before start()): a client with no answer yet shows "loading".
  const phase = prev.phase === 'idle' ? 'loading' : prev.phase;
  switch (event.type) {
    case 'start':
      // Already running: nothing to start. Else whatever happened while stopped went unseen: the
      // status's age starts again with the next answer.
      return state.running ? state : update(state, { phase, statusSince: null, stalled: false }, { running: true });
    case 'stop':
      return update(state, { phase: prev.phase === 'loading' ? 'idle' : prev.phase, nextPollAt: null }, { running: false });
    case 'request': {
      if (event.action === null) return update(state, { phase });
      return update(state, { pendingAction: event.action, nextPollAt: null }, { appliedSeq: Math.max(state.appliedSeq, event.seq) });
    }
    case 'answer':
    case 'failure': {
      // An action's result ends the action, even a stale one.
      const ended = event.source === 'action' ? { pendingAction: null } : {};
      if (isStale(state, event.seq)) return update(state, ended);
      // Not stale: event.seq is the newest applied.
      return event.type === 'answer' ? applyAnswer(state, event, ended) : applyFailure(state, event, ended);
    }
    case 'schedule':
      return update(state, { nextPollAt: event.nextPollAt });
    case 'stream':
      return update(state, { streaming: event.open });
    case 'tick':
      return update(state, { stalled: isStalled(prev, event.at) });
  }
}
