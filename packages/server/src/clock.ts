/** An opaque handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/**
 * Time as the server package sees it: injectable so that tests drive the
 * watcher, retries and SSE heartbeats exactly, without sleeping.
 * Same shape as the client's `TimerProvider` and the simulator's clock.
 */
export interface Clock {
  /** The current time in epoch milliseconds. */
  now(): number;
  /** Schedules `callback` after `ms` milliseconds. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  /** Cancels a scheduled callback. */
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock (global timers). Timers are `unref`'d where the runtime allows, so they never keep a process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms) as unknown as { unref?: () => void };
    if (typeof handle === 'object' && handle !== null && typeof handle.unref === 'function') handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
};

/** Resolves after `ms` on `clock`. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => {
    clock.setTimeout(resolve, ms);
  });
}
