import { sleep, type Clock } from '../clock.js';

/** How idempotent WAHA calls are retried. */
export interface RetryOptions {
  /** Total attempts, the first included (default 3; `1` disables retries). */
  attempts?: number;
  /** Delay before the first retry, in ms (default 200). */
  baseDelayMs?: number;
  /** Upper bound of one delay, in ms (default 2000). */
  maxDelayMs?: number;
}

/** {@link RetryOptions} with every field filled. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/** The defaults: 3 attempts, 200 ms doubling, capped at 2 s. */
export const DEFAULT_RETRY: ResolvedRetryOptions = Object.freeze({ attempts: 3, baseDelayMs: 200, maxDelayMs: 2000 });

/**
 * The delay before retry number `retry` (1 for the first retry): exponential
 * (`base · 2^(retry-1)`, capped) with "equal jitter" — half fixed, half random —
 * so that many servers retrying together spread out but never retry instantly.
 *
 * @param random - a number in `[0, 1)`; injectable for tests.
 */
export function backoffDelay(retry: number, options: ResolvedRetryOptions, random: number): number {
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random);
}

/** What {@link withRetry} needs besides the work itself. */
export interface RetryContext {
  /** Resolved options. */
  options: ResolvedRetryOptions;
  /** Whether a failure may be retried. */
  shouldRetry: (error: unknown) => boolean;
  /** Time source for the waits. */
  clock: Clock;
  /** Random source in `[0, 1)`. */
  random: () => number;
}

/** Runs `attempt` until it succeeds, a failure is not retryable, or the attempts are used up. */
export async function withRetry<T>(attempt: () => Promise<T>, context: RetryContext): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (tried >= context.options.attempts || !context.shouldRetry(error)) throw error;
      await sleep(context.clock, backoffDelay(tried, context.options, context.random()));
    }
  }
}
