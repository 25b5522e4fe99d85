import type { SimulatorClock } from './clock.js';

/** A step waiting in the {@link Scheduler}. */
export interface ScheduledTask {
  /** When it runs, on the clock. */
  readonly due: number;
  /** Tie-breaker: tasks due at the same time run in the order they were scheduled. */
  readonly seq: number;
  readonly run: () => void;
  cancelled: boolean;
}

/**
 * All delayed work of the simulator behind ONE clock timer: a min-heap of tasks ordered
 * by (due, seq), with the clock armed for the earliest. A thousand sessions therefore cost
 * one pending timer, not a thousand — fake clocks that scan their timer list on every
 * tick stay fast, and `close()` has exactly one timer to clear. Cancelled tasks are
 * dropped lazily when they reach the top.
 */
export class Scheduler {
  private readonly clock: SimulatorClock;
  private readonly heap: ScheduledTask[] = [];
  private live = 0;
  private nextSeq = 0;
  private timer: unknown = undefined;
  private armedFor: number | null = null;
  private running = false;

  constructor(clock: SimulatorClock) {
    this.clock = clock;
  }

  /** Tasks scheduled and neither run nor cancelled. */
  get size(): number {
    return this.live;
  }

  /** Runs `run` after `ms` milliseconds of clock time. */
  schedule(ms: number, run: () => void): ScheduledTask {
    const task: ScheduledTask = { due: this.clock.now() + Math.max(0, ms), seq: this.nextSeq++, run, cancelled: false };
    this.push(task);
    this.live += 1;
    if (!this.running) this.arm();
    return task;
  }

  /** Cancels a task; a task already run or cancelled is ignored. */
  cancel(task: ScheduledTask): void {
    if (task.cancelled) return;
    task.cancelled = true;
    this.live -= 1;
    if (this.live === 0) {
      this.heap.length = 0;
      this.disarm();
    }
  }

  /** Cancels everything and clears the clock timer. */
  dispose(): void {
    for (const task of this.heap) task.cancelled = true;
    this.heap.length = 0;
    this.live = 0;
    this.disarm();
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = null;
    this.running = true;
    try {
      // Work scheduled by a task for "now" (or earlier) runs in the same pass, as a fake clock's tick would.
      for (let top = this.peek(); top && top.due <= this.clock.now(); top = this.peek()) {
        this.pop();
        this.live -= 1;
        top.cancelled = true;
        top.run();
      }
    } finally {
      this.running = false;
      this.arm();
    }
  }

  private arm(): void {
    const top = this.peek();
    if (!top) {
      this.disarm();
      return;
    }
    if (this.armedFor !== null && this.armedFor <= top.due) return;
    this.disarm();
    // A task due at Infinity never runs (a timing set to Infinity disables that step).
    if (top.due === Number.POSITIVE_INFINITY) return;
    this.armedFor = top.due;
    // Node fires delays above 2^31-1 ms after 1 ms; waking early just re-arms (see fire).
    const delay = Math.min(MAX_TIMER_DELAY_MS, Math.max(0, top.due - this.clock.now()));
    this.timer = this.clock.setTimeout(() => this.fire(), delay);
  }

  private disarm(): void {
    if (this.armedFor === null) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = null;
  }

  /** The earliest live task, dropping cancelled ones on the way. */
  private peek(): ScheduledTask | undefined {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
    return this.heap[0];
  }

  private push(task: ScheduledTask): void {
    const heap = this.heap;
    heap.push(task);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(heap[index]!, heap[parent]!)) break;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (!last || heap.length === 0) return;
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) return;
      [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
      index = smallest;
    }
  }
}

/** The largest delay `setTimeout` honours. */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

function before(a: ScheduledTask, b: ScheduledTask): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}
