import type { TimerProvider } from './options.js';

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
