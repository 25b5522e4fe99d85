import type { TimerProvider } from '../../src/options.js';

interface Scheduled {
  id: number;
  at: number;
  callback: () => void;
}

/** Lets real I/O (sockets, promise chains) progress without moving the fake clock. */
export async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A fake {@link TimerProvider}: time moves only when the test says so, and
 * timers fire in order, each at its exact millisecond.
 */
export class FakeClock implements TimerProvider {
  private time: number;
  private nextId = 1;
  private timers: Scheduled[] = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): number {
    const id = this.nextId++;
    this.timers.push({ id, at: this.time + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }

  /** How many timers are pending. */
  get pending(): number {
    return this.timers.length;
  }

  /** The due times of the pending timers, ascending. */
  get dueTimes(): number[] {
    return this.timers.map((timer) => timer.at).sort((a, b) => a - b);
  }

  /** Moves time forward by `ms`, firing every timer due on the way (and letting I/O settle after each). */
  async advance(ms: number, settleTurns = 10): Promise<void> {
    const target = this.time + ms;
    await settle(settleTurns);
    for (;;) {
      const next = this.timers.filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (next === undefined) break;
      this.timers = this.timers.filter((timer) => timer !== next);
      this.time = next.at;
      next.callback();
      await settle(settleTurns);
    }
    this.time = target;
    await settle(settleTurns);
  }

  /** Moves time to an absolute instant. */
  async advanceTo(at: number, settleTurns = 10): Promise<void> {
    await this.advance(at - this.time, settleTurns);
  }
}
