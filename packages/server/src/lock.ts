import { systemClock, type Clock } from './clock.js';

/** Thrown by {@link ActionLock.run} when the lock stayed held by someone else for longer than `waitMs`. */
export class LockBusyError extends Error {
  /** The key whose lock was busy. */
  readonly key: string;

  constructor(key: string) {
    super(`The lock of ${key} is held elsewhere.`);
    this.name = 'LockBusyError';
    this.key = key;
  }
}

/** `true` for a {@link LockBusyError}, also across bundle copies. */
export function isLockBusyError(value: unknown): value is LockBusyError {
  return value instanceof LockBusyError || (typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'LockBusyError');
}

/** Options of {@link ActionLock.run}. */
export interface LockRunOptions {
  /** How long to wait for a lock held by someone else, in ms, before rejecting with {@link LockBusyError}. */
  waitMs: number;
}

/**
 * Mutual exclusion per key (organization) for the actions that change a WAHA
 * session, so that two requests — on one instance or on several — never interleave
 * their WAHA calls. The default ({@link createMemoryLock}) covers one process; with
 * several instances use a shared one (for example PostgreSQL advisory locks from
 * `@whatsapp-connector/server/postgres`). A lock is released when its holder dies.
 */
export interface ActionLock {
  /** Runs `task` while holding `key`'s lock and releases it afterwards, whatever `task` does. */
  run<T>(key: string, task: () => Promise<T>, options: LockRunOptions): Promise<T>;
}

/** Options of {@link createMemoryLock}. */
export interface MemoryLockOptions {
  /** Time source of the waits (default: real time). */
  clock?: Clock;
}

/** Creates an in-process {@link ActionLock}: waiters queue in arrival order. */
export function createMemoryLock(options: MemoryLockOptions = {}): ActionLock {
  const clock = options.clock ?? systemClock;
  const tails = new Map<string, Promise<void>>();
  return {
    async run(key, task, { waitMs }) {
      const previous = tails.get(key) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((resolve) => {
        release = resolve;
      });
      const tail = previous.then(() => mine);
      tails.set(key, tail);
      let timer: unknown;
      const acquired = await Promise.race([
        previous.then(() => true),
        new Promise<boolean>((resolve) => {
          timer = clock.setTimeout(() => resolve(false), waitMs);
        }),
      ]);
      clock.clearTimeout(timer);
      if (!acquired) {
        // Give up our place without blocking the ones behind us.
        release();
        if (tails.get(key) === tail) tails.delete(key);
        throw new LockBusyError(key);
      }
      try {
        return await task();
      } finally {
        release();
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
  };
}
