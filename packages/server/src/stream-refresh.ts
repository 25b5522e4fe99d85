import type { Clock, TimerHandle } from './clock.js';

interface Refresher {
  streams: number;
  timer: TimerHandle | undefined;
}

/**
 * One periodic re-read per organization with open streams, shared by all of its
 * streams: started by the first, stopped with the last. The next read is scheduled
 * when the previous one ends, so a slow WAHA never piles reads up.
 */
export class StreamRefreshers {
  readonly #refreshers = new Map<string, Refresher>();
  readonly #clock: Clock;
  readonly #refresh: (orgId: string) => Promise<unknown>;

  constructor(clock: Clock, refresh: (orgId: string) => Promise<unknown>) {
    this.#clock = clock;
    this.#refresh = refresh;
  }

  /** Joins (or starts) `orgId`'s refresher every `everyMs` (`0`: none); returns this stream's leave. */
  join(orgId: string, everyMs: number): () => void {
    if (everyMs <= 0) return () => {};
    let refresher = this.#refreshers.get(orgId);
    if (!refresher) {
      const state: Refresher = { streams: 0, timer: undefined };
      const tick = (): void => {
        state.timer = undefined;
        this.#refresh(orgId)
          .catch(() => {
            // Logged by the handler; the next tick tries again.
          })
          .finally(() => {
            if (this.#refreshers.get(orgId) === state) state.timer = this.#clock.setTimeout(tick, everyMs);
          });
      };
      state.timer = this.#clock.setTimeout(tick, everyMs);
      this.#refreshers.set(orgId, state);
      refresher = state;
    }
    const joined = refresher;
    joined.streams++;
    return () => {
      joined.streams--;
      if (joined.streams > 0 || this.#refreshers.get(orgId) !== joined) return;
      this.#refreshers.delete(orgId);
      if (joined.timer !== undefined) this.#clock.clearTimeout(joined.timer);
    };
  }
}
