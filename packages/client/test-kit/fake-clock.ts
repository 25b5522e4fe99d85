import type { TimerProvider } from '../src/options.js';

interface Scheduled {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/** One macrotask turn: `setImmediate` in Node (after pending I/O), a `MessageChannel` message in browsers. */
function turn(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  if (immediate !== undefined) return new Promise<void>((resolve) => void immediate(resolve));
  return new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Lets real I/O and promise chains (a fetch answering, a render) progress without
 * moving any fake clock: `turns` macrotask turns. The page's and the test runner's
 * own timers are never touched.
 */
export async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i += 1) await turn();
}

/**
 * The one fake {@link TimerProvider} of the client, element and React tests: time
 * moves only when the test says so, and timers fire in order, each at its exact
 * millisecond, with async work settled after each.
 *
 * @example
 * ```ts
 * const clock = new FakeClock();
 * const client = createSessionClient({ timers: clock, fetch: backend.fetch });
 * client.start();
 * await clock.advance(8000); // the second poll, exactly at 8000
 * ```
 */
export class FakeClock implements TimerProvider {
  #time: number;
  #nextId = 1;
  #timers: Scheduled[] = [];
  readonly #turns: number;

  /**
   * @param start the epoch ms the clock starts at.
   * @param turns macrotask turns to {@link settle} before and after each timer.
   */
  constructor(start = 0, turns = 10) {
    this.#time = start;
    this.#turns = turns;
  }

  now(): number {
    return this.#time;
  }

  setTimeout(callback: () => void, ms: number): number {
    const id = this.#nextId++;
    this.#timers.push({ id, at: this.#time + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  }

  /** How many timers are pending (leak checks: `0` after `dispose()`). */
  get pending(): number {
    return this.#timers.length;
  }

  /** The due times of the pending timers, ascending. */
  get dueTimes(): number[] {
    return this.#timers.map((timer) => timer.at).sort((a, b) => a - b);
  }

  /** The delays from now of the pending timers, ascending. */
  get delays(): number[] {
    return this.dueTimes.map((at) => at - this.#time);
  }

  /** Moves time forward by `ms`, firing every timer due on the way, in order (ties: first scheduled first). */
  async advance(ms: number): Promise<void> {
    const target = this.#time + ms;
    await settle(this.#turns);
    for (;;) {
      const next = this.#timers.filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (next === undefined) break;
      this.#timers = this.#timers.filter((timer) => timer !== next);
      this.#time = next.at;
      next.callback();
      await settle(this.#turns);
    }
    this.#time = target;
    await settle(this.#turns);
  }

  /** Moves time to an absolute instant. */
  async advanceTo(at: number): Promise<void> {
    await this.advance(at - this.#time);
  }
}
