import { wireStatus } from './answer.js';

/**
 * A change of a session's health:
 * - `failed`: the session went `FAILED` (or `ERROR`), including a session first seen failed;
 * - `flapping`: it dropped out of `WORKING` `threshold` times within `windowMs`;
 * - `recovered`: it is `WORKING` again after a failure, or stably `WORKING` for `stableMs` after flapping.
 */
export type HealthTransitionType = 'failed' | 'recovered' | 'flapping';

/** The health of one session as the watcher judges it. */
export type SessionHealthState = 'ok' | 'failed' | 'flapping';

/** What the watcher remembers of one session between observations (plain data: it is persisted). */
export interface SessionHealth {
  /** The last status observed (wire spelling, e.g. `SCAN_QR`). */
  status: string;
  /** The current judgement. */
  health: SessionHealthState;
  /** Epoch ms of the drops out of `WORKING` inside the flapping window. */
  drops: number[];
  /** Epoch ms since which the session is `WORKING`, or `null`. */
  workingSince: number | null;
}

/** The health rules' settings. */
export interface HealthRules {
  /** Drops out of `WORKING` that make a flapping episode. */
  threshold: number;
  /** The sliding window the drops must fall in, in ms. */
  windowMs: number;
  /** Continuous `WORKING` time that ends a flapping episode, in ms. */
  stableMs: number;
}

/** A transition the reducer decided, before the watcher adds who and where. */
export interface HealthChange {
  /** What happened. */
  type: HealthTransitionType;
  /** The status at the previous observation, or `null` on first sight. */
  previousStatus: string | null;
}

/** What one observation does to a session's health. */
export interface HealthStep {
  /** The health after the observation. */
  state: SessionHealth;
  /** The transition to report, at most one per observation. */
  change: HealthChange | null;
}

const isFailure = (status: string) => status === 'FAILED' || status === 'ERROR';

/** A status in the wire spelling (`SCAN_QR_CODE` → `SCAN_QR`); unknown strings pass through, cut like the session answers' status. */
export function healthStatus(raw: string): string {
  return wireStatus(raw);
}

/** Ends a flapping episode once the session has been `WORKING` for `stableMs`. */
function settle(state: SessionHealth, at: number, rules: HealthRules): HealthStep {
  if (state.health !== 'flapping' || state.workingSince === null || at - state.workingSince < rules.stableMs) return { state, change: null };
  return { state: { ...state, health: 'ok', drops: [] }, change: { type: 'recovered', previousStatus: state.status } };
}

/**
 * The health rules as a pure function: the session's health before an
 * observation (`undefined` on first sight), the status observed (wire
 * spelling) and when → the health after it and the transition to report.
 * No I/O, no clock: the watcher feeds it listings and webhooks, and persists
 * what it returns.
 */
export function reduceHealth(current: SessionHealth | undefined, status: string, at: number, rules: HealthRules): HealthStep {
  if (!current) {
    const failed = isFailure(status);
    return {
      state: { status, health: failed ? 'failed' : 'ok', drops: [], workingSince: status === 'WORKING' ? at : null },
      change: failed ? { type: 'failed', previousStatus: null } : null,
    };
  }
  if (current.status === status) return settle(current, at, rules);

  const previous = current.status;
  const drops = [...(previous === 'WORKING' ? [...current.drops, at] : current.drops)].filter((drop) => at - drop <= rules.windowMs);
  const moved: SessionHealth = { ...current, status, drops, workingSince: status === 'WORKING' ? at : null };

  if (isFailure(status)) {
    if (current.health === 'failed') return { state: moved, change: null };
    return { state: { ...moved, health: 'failed' }, change: { type: 'failed', previousStatus: previous } };
  }
  if (current.health === 'failed' && status === 'WORKING') {
    return { state: { ...moved, health: 'ok', drops: [] }, change: { type: 'recovered', previousStatus: previous } };
  }
  if (current.health === 'ok' && drops.length >= rules.threshold) {
    return { state: { ...moved, health: 'flapping' }, change: { type: 'flapping', previousStatus: previous } };
  }
  return settle(moved, at, rules);
}

/** `true` when two health records are the same (nothing to save). */
export function sameHealth(a: SessionHealth | undefined, b: SessionHealth): boolean {
  return (
    a !== undefined &&
    a.status === b.status &&
    a.health === b.health &&
    a.workingSince === b.workingSince &&
    a.drops.length === b.drops.length &&
    a.drops.every((drop, index) => drop === b.drops[index])
  );
}
