import type { TimerProvider } from './options.js';

/** The longest delay `setTimeout` waits for (2^31 − 1 ms, about 24.8 days): browsers and Node fire a longer one at once. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * The default {@link TimerProvider}: the global `setTimeout` / `clearTimeout`
 * and `Date.now`, looked up at call time so that test tools which replace the
 * globals (e.g. `@sinonjs/fake-timers`) still apply.
 */
export const defaultTimers: TimerProvider = Object.freeze({
  setTimeout: (callback: () => void, ms: number) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle: unknown) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
  now: () => Date.now(),
});
