/**
 * The time source of the simulator. Every lifecycle step (STARTING → SCAN_QR_CODE, QR
 * rotation, flapping, injected latency) is scheduled through it, so tests can drive the
 * whole lifecycle with a fake clock, to the millisecond.
 *
 * @example
 * ```ts
 * import FakeTimers from '@sinonjs/fake-timers';
 * const fake = FakeTimers.createClock(0);
 * const sim = createWahaSimulator({ clock: { now: () => fake.now, setTimeout: fake.setTimeout, clearTimeout: fake.clearTimeout } });
 * ```
 */
export interface SimulatorClock {
  /** Current time in milliseconds since the epoch. */
  now(): number;
  /** Schedules `fn` once after `ms` milliseconds and returns a handle for {@link SimulatorClock.clearTimeout}. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a handle returned by {@link SimulatorClock.setTimeout}; unknown handles are ignored. */
  clearTimeout(handle: unknown): void;
}

/** The default clock: `Date.now` and the global timers. */
export const realClock: SimulatorClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};
