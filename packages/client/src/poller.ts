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
  /** Milliseconds until the next poll, or `null` for none. Asked after every poll and on {@link Poller.reschedule}. */
  nextDelay(): number | null;
  /** Told every time the schedule is decided: the epoch ms of the next poll, or `null`. */
  onSchedule(nextPollAt: number | null): void;
}

/** Schedules polls: one in flight at most, never while hidden or paused. */
export interface Poller {
  /** Starts: polls at once when visible, then follows `nextDelay()`. Idempotent. */
  start(): void;
  /** Stops: aborts the poll in flight, clears the timer, stops listening to visibility. Idempotent. */
  stop(): void;
  /** Polls now (even when stopped, paused or hidden: it is an explicit request); joins the poll in flight if there is one. */
  pollNow(): Promise<void>;
  /** Pauses automatic polling and aborts the poll in flight (an action is starting: its answer wins). */
  pause(): void;
  /** Ends a pause and schedules from the current state. */
  resume(): void;
  /** Recomputes the next poll from the current state (after a push answer, a stream change…). */
  reschedule(): void;
  /** `true` while a poll is in flight. */
  readonly inFlight: boolean;
}

/**
 * Creates the poller. It owns time and visibility and nothing else: what a
 * poll does and how long to wait are the caller's (`poll`, `nextDelay`).
 */
export function createPoller(options: PollerOptions): Poller {
  const { timers, visibility } = options;
  let running = false;
  let paused = false;
  let visible = true;
  let timer: { handle: TimerHandle } | null = null;
  let current: { controller: AbortController; promise: Promise<void> } | null = null;
  let unsubscribe: (() => void) | null = null;

  function clearTimer(): void {
    if (timer === null) return;
    timers.clearTimeout(timer.handle);
    timer = null;
  }

  function abortInFlight(): void {
    if (current === null) return;
    // Forget it first: an aborted poll must not reschedule when it settles.
    const { controller } = current;
    current = null;
    controller.abort();
  }

  function schedule(): void {
    clearTimer();
    const delay = running && !paused && visible && current === null ? options.nextDelay() : null;
    if (delay === null) return options.onSchedule(null);
    const ms = Math.max(0, delay);
    timer = {
      handle: timers.setTimeout(() => {
        timer = null;
        void run();
      }, ms),
    };
    options.onSchedule(timers.now() + ms);
  }

  function isCurrent(controller: AbortController): boolean {
    return current !== null && current.controller === controller;
  }

  function run(): Promise<void> {
    if (current !== null) return current.promise;
    clearTimer();
    const controller = new AbortController();
    const promise = (async () => {
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
    current = { controller, promise };
    options.onSchedule(null);
    return promise;
  }

  function onVisibility(nowVisible: boolean): void {
    if (!running || nowVisible === visible) return;
    visible = nowVisible;
    if (!nowVisible) {
      schedule();
      return;
    }
    // Back on screen: refresh at once (when the cadence would poll at all), then resume the cadence.
    if (!paused && current === null && options.nextDelay() !== null) void run();
    else schedule();
  }

  return {
    start() {
      if (running) return;
      running = true;
      paused = false;
      visible = visibility.isVisible();
      unsubscribe = visibility.subscribe(onVisibility);
      if (visible) void run();
      else schedule();
    },
    stop() {
      if (!running && current === null && timer === null) return;
      running = false;
      paused = false;
      clearTimer();
      abortInFlight();
      unsubscribe?.();
      unsubscribe = null;
      options.onSchedule(null);
    },
    pollNow: run,
    pause() {
      paused = true;
      clearTimer();
      abortInFlight();
      options.onSchedule(null);
    },
    resume() {
      paused = false;
      schedule();
    },
    reschedule() {
      if (current === null) schedule();
    },
    get inFlight() {
      return current !== null;
    },
  };
}
