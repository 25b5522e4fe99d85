import type { BackoffOptions } from './options.js';

/** The backoff defaults: 2 s doubling to a 60 s cap, full jitter. */
export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = Object.freeze({ initialMs: 2000, maxMs: 60_000, jitter: 'full' });

/**
 * The upper bound of the delay after `failures` consecutive failures:
 * `min(maxMs, initialMs * 2^(failures - 1))`, `0` when nothing failed.
 */
export function backoffCap(failures: number, options: BackoffOptions): number {
  if (!(failures > 0)) return 0;
  // The exponent is bounded so that huge failure counts cannot overflow to Infinity·0 = NaN. A negative
  // step (backoffCap is public: options need not be resolved) gives 0 by the clamp below.
  const exponential = options.initialMs * 2 ** Math.min(failures - 1, 1000);
  return Math.max(0, Math.min(options.maxMs, exponential));
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
