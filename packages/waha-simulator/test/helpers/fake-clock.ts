import FakeTimers from '@sinonjs/fake-timers';
import type { SimulatorClock } from '../../src/index.js';

/** A fake clock the simulator can use, plus the controls a test needs. */
export interface TestClock extends SimulatorClock {
  /** Advances time by `ms`, firing due timers in order. */
  tick(ms: number): void;
  /**
   * Advances time by `ms` like {@link TestClock.tick}, but lets the event loop run between
   * timers, so work a timer resumes (WAHA's sleeps chained with `await`) schedules its next
   * step at the exact time it would have.
   */
  tickAsync(ms: number): Promise<void>;
  /** Timers scheduled and not yet fired or cleared. */
  pendingTimers(): number;
}

/** A clock starting at `start` (default 1,700,000,000,000 ms) that only moves when told. */
export function createTestClock(start = 1_700_000_000_000): TestClock {
  const clock = FakeTimers.createClock(start, 100_000);
  return {
    now: () => clock.now,
    setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
    clearTimeout: (handle) => clock.clearTimeout(handle as never),
    tick: (ms) => {
      clock.tick(ms);
    },
    tickAsync: async (ms) => {
      await clock.tickAsync(ms);
    },
    pendingTimers: () => clock.countTimers(),
  };
}
