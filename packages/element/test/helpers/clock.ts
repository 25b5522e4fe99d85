import type { TimerProvider } from '@whatsapp-connector/client';

/** Lets promise jobs and one round of macrotasks run (fetch answers, renders), in real time but without sleeping. */
export function yieldToBrowser(): Promise<void> {
  return new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

interface Scheduled {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/**
 * A hand-driven {@link TimerProvider} for one client: time moves only in
 * {@link ManualClock.tickAsync}, exactly to the millisecond, and the page's
 * own timers (mocha, Lit) are untouched.
 */
export class ManualClock implements TimerProvider {
  #now: number;
  #nextId = 1;
  #timers: Scheduled[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  /** Timers scheduled and not yet run or cleared. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Delays (from now) of the scheduled timers, soonest first. */
  get delays(): number[] {
    return this.#timers.map((timer) => timer.at - this.#now).sort((a, b) => a - b);
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): number {
    const id = this.#nextId++;
    this.#timers.push({ id, at: this.#now + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  }

  /** Advances time by `ms`, running due timers in order and letting their async work settle after each. */
  async tickAsync(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((timer) => timer !== due);
      this.#now = due.at;
      due.callback();
      for (let i = 0; i < 4; i++) await yieldToBrowser();
    }
    this.#now = end;
    await yieldToBrowser();
  }
}
