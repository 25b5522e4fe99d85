import type { TimerHandle, TimerProvider, VisibilitySource } from './options.js';

/** Options of {@link createPoller}. */
export interface PollerOptions {
  /** Time source. */
  readonly timers: TimerProvider;
  /** Page visibility: nothing is sent automatically while hidden. */
  readonly visibility: VisibilitySource;
  /**
   * Sends one poll. Must settle (never hang forever) and should not reject; a
   * rejection is swallowed. It may resolve with a function that applies the poll's
   * result: the poller calls it (also for a poll it aborted meanwhile) and then, in
   * the same synchronous turn, schedules the next poll, so that both changes are
   * published together.
   */
  poll(signal: AbortSignal): Promise<(() => void) | void>;
  /**
   * Milliseconds until the next poll, or `null` for none (e.g. while an action runs). Asked
   * after every poll and on {@link Poller.reschedule} and {@link Poller.abort}.
   */
  nextDelay(): number | null;
  /** Told every time the schedule is decided: the epoch ms of the next poll, or `null`. */
  onSchedule(nextPollAt: number | null): void;
}

/**
 * Schedules polls: one in flight at most, never while hidden, and never when
 * `nextDelay()` says none (the client's says none while an action runs).
 */
export interface Poller {
  /** Starts: polls at once when visible, then follows `nextDelay()`. Idempotent. */
  start(): void;
  /** Stops: aborts the poll in flight, clears the timer, stops listening to visibility. Idempotent. */
  stop(): void;
  /** Polls now (even when stopped, hidden or during an action: it is an explicit request); joins the poll in flight if there is one. */
  pollNow(): Promise<void>;
  /**
   * Aborts the poll in flight (an action is starting: its answer wins) and schedules from
   * `nextDelay()`, which says none for as long as automatic polling must wait.
   */
  abort(): void;
  /** Recomputes the next poll from the current state (after a push answer, a stream change…). */
  reschedule(): void;
}

/**
 * Creates the poller. It owns time and visibility and nothing else: what a
 * poll does and how long to wait are the caller's (`poll`, `nextDelay`).
 */
export function createPoller(options: PollerOptions): Poller {
  const { timers, visibility } = options;
  let visible = true;
  let timer: TimerHandle | undefined;
  /** The poll in flight (its controller is its identity), and its promise. */
  let current: AbortController | null = null;
  let inFlight = Promise.resolve();
  /** Stops watching the page's visibility: set from start() to stop(), which is when the poller runs. */
  let unsubscribe: (() => void) | null = null;

  function clearTimer(): void {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
  }

  function abortInFlight(): void {
    // Forget it first: an aborted poll must not reschedule when it settles.
    const aborted = current;
    current = null;
    aborted?.abort();
  }

  /** Sets the timer of the next poll from `nextDelay()`, or none (stopped, hidden, a poll in flight). */
  function schedule(): void {
    clearTimer();
    const delay = unsubscribe !== null && visible && current === null ? options.nextDelay() : null;
    if (delay === null) return options.onSchedule(null);
    const ms = Math.max(0, delay);
    timer = timers.setTimeout(() => {
      timer = undefined;
      void run();
    }, ms);
    options.onSchedule(timers.now() + ms);
  }

  function run(): Promise<void> {
    if (current !== null) return inFlight;
    clearTimer();
    const controller = (current = new AbortController());
    inFlight = (async () => {
      let apply: (() => void) | void = undefined;
      try {
        apply = await options.poll(controller.signal);
      } catch {
        // poll() should not reject; if it does, polling must go on regardless.
      }
      const mine = isCurrent(controller);
      if (mine) current = null;
      apply?.();
      if (mine) schedule();
    })();
    options.onSchedule(null);
    return inFlight;
  }

  // A function, not an inline test: TypeScript would keep `current` narrowed across the await.
  const isCurrent = (controller: AbortController) => current === controller;

  function onVisibility(nowVisible: boolean): void {
    if (unsubscribe === null || nowVisible === visible) return;
    visible = nowVisible;
    // Back on screen: refresh at once (when the cadence would poll at all), then resume the cadence.
    if (nowVisible && current === null && options.nextDelay() !== null) void run();
    else schedule();
  }

  return {
    start() {
      if (unsubscribe !== null) return;
      visible = visibility.isVisible();
      unsubscribe = visibility.subscribe(onVisibility);
      if (visible) void run();
      else schedule();
    },
    stop() {
      // Not running: no timer is set (schedule() sets one only while running).
      if (unsubscribe === null && current === null) return;
      abortInFlight();
      unsubscribe?.();
      unsubscribe = null;
      // Not running: clears the timer and reports no next poll.
      schedule();
    },
    pollNow: run,
    abort() {
      abortInFlight();
      schedule();
    },
    reschedule() {
      if (current === null) schedule();
    },
  };
}
