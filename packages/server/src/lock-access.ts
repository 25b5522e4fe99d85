import { HttpError } from './errors.js';
import { isLockBusyError, type ActionLock } from './lock.js';
import { errorNameOf, type LogInput } from './logger.js';
import { storeUnavailable } from './store-access.js';

/** What {@link guardLock} needs. */
export interface LockAccessOptions {
  /** Where `lock.error` goes. */
  log: (input: LogInput) => void;
}

/** Carries a rejection of the task itself through the lock, to tell it from the lock's own failures. */
class TaskFailure {
  constructor(readonly error: unknown) {}
}

/**
 * The action lock as the service uses it: the task's own errors and
 * `LockBusyError` pass through unchanged; any other rejection is the lock's
 * backend failing (a shared lock whose database is down or slow) and becomes an
 * `HttpError` 503 `store_error` (logged once, as `lock.error`), the answer a
 * database outage gives on every other path, instead of a 500.
 */
export function guardLock(lock: ActionLock, options: LockAccessOptions): ActionLock {
  return {
    async run(key, task, runOptions) {
      try {
        return await lock.run(
          key,
          () =>
            task().catch((error: unknown) => {
              throw new TaskFailure(error);
            }),
          runOptions,
        );
      } catch (error) {
        if (error instanceof TaskFailure) throw error.error;
        if (isLockBusyError(error) || error instanceof HttpError) throw error;
        throw storeUnavailable(options.log, {
          level: 'error',
          event: 'lock.error',
          message: 'The action lock could not be taken or released.',
          orgId: key,
          errorName: errorNameOf(error),
        });
      }
    },
  };
}
