import type { CheckOutcome } from '../types.js';
import type { CheckContext } from '../context.js';

/** What a check concluded. */
export interface Verdict {
  readonly outcome: CheckOutcome;
  readonly detail?: string;
}

/** One documented check of the kit. */
export interface ConformanceCheck {
  /** Stable id, `<group>.<name>`, e.g. `get.shape`. */
  readonly id: string;
  /** One line: what a conformant backend does. */
  readonly title: string;
  /** `true` when the check performs an action that changes the session. */
  readonly destructive?: boolean;
  /** Runs the check. May throw a `TransportError`, reported as a failure. */
  run(context: CheckContext): Promise<Verdict>;
}

/** The backend did what the contract asks. */
export function pass(detail?: string): Verdict {
  return detail === undefined ? { outcome: 'pass' } : { outcome: 'pass', detail };
}

/** The backend broke the contract; `detail` says how. */
export function fail(detail: string): Verdict {
  return { outcome: 'fail', detail };
}

/** The check does not apply (state, missing extension, options). */
export function skip(detail: string): Verdict {
  return { outcome: 'skip', detail };
}

/** Fails with all problems joined, or passes when there are none. */
export function verdictOf(problems: readonly string[], passDetail?: string): Verdict {
  return problems.length === 0 ? pass(passDetail) : fail(problems.join('; '));
}
