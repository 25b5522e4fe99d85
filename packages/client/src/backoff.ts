import type { BackoffOptions } from './options.js';
import { MAX_TIMER_DELAY_MS } from './timers.js';

/** The backoff defaults: 2 s doubling to a 60 s cap, full jitter. */
export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = Object.freeze({ initialMs: 2000, maxMs: 60_000, jitter: 'full' });

/**
 * The upper bound of the delay after `failures` consecutive failures:
 * `min(maxMs, initialMs * 2^(failures - 1))`, `0` when nothing failed. Always a
 * finite number from `0` to 2^31 − 1 (the longest delay a timer waits), whatever it is given.
 */
export function backoffCap(failures: number, options: BackoffOptions): number {
  if (!(failures > 0)) return 0;
  const cap = Math.min(options.maxMs, options.initialMs * 2 ** (failures - 1));
  // backoffCap is public, so its options need not be resolved: a negative or NaN step or cap (and 0·∞ from a
  // zero step after a thousand failures) gives 0; an infinite or huge one the longest delay a timer can wait.
  return cap > 0 ? Math.min(cap, MAX_TIMER_DELAY_MS) : 0;
}

/**
 * The delay before the next try after `failures` consecutive failures. With
 * `jitter: 'full'` it is drawn uniformly in `[0, cap]` from `random` (a
 * function returning `[0, 1)`, like `Math.random`); with `'none'` it is the cap.
 * Pure: the randomness comes in as an argument.
 *
 * @example
 * ```ts
 * backoffDelay(3, { initialMs: 2000, maxMs: 60000, jitter: 'none' }, Math.random); // 8000
 * ```
 */
export function backoffDelay(failures: number, options: BackoffOptions, random: () => number): number {
  const cap = backoffCap(failures, options);
  if (options.jitter === 'none' || cap === 0) return cap;
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 1;
  return Math.floor(unit * cap);
}
