/** Most operations that may wait for one session's lock at once; more answer 500. */
export const LOCK_QUEUE_LIMIT = 100;

/** Thrown when {@link LOCK_QUEUE_LIMIT} operations already wait for a session. */
export class LockQueueFull extends Error {
  override readonly name = 'LockQueueFull';
}

/**
 * One lock per session name, as WAHA's controllers take (`AsyncLock` around create, PUT,
 * delete, start, stop, logout, restart): two lifecycle calls on one session run one after
 * the other, so a restart sent during a stop waits for the stop's sleep. Unlike WAHA's
 * (`maxPending: Infinity`) the queue is bounded.
 */
export class SessionLocks {
  private readonly tails = new Map<string, { tail: Promise<void>; waiting: number }>();

  /** Runs `fn` once every earlier operation on `name` has finished (whatever their outcome). */
  run<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const entry = this.tails.get(name) ?? { tail: Promise.resolve(), waiting: 0 };
    if (entry.waiting >= LOCK_QUEUE_LIMIT) return Promise.reject(new LockQueueFull(`${LOCK_QUEUE_LIMIT} operations already wait for session '${name}'`));
    entry.waiting += 1;
    const result = entry.tail.then(fn);
    entry.tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(name, entry);
    void entry.tail.then(() => {
      entry.waiting -= 1;
      if (entry.waiting === 0 && this.tails.get(name) === entry) this.tails.delete(name);
    });
    return result;
  }
}
