import type { Clock } from './clock.js';
import { HttpError } from './errors.js';
import { errorNameOf, type LogInput } from './logger.js';
import { updateRecord, type SessionRecord, type SessionRecordUpdate, type SessionRecordUpdateResult, type SessionStore } from './store.js';

/** The default bound of one store call, in ms. */
export const DEFAULT_STORE_TIMEOUT_MS = 5_000;

/**
 * The store as the service uses it: every call bounded in time, every failure an
 * `HttpError` 503 `store_error` (logged once, as `store.error`), so that a database
 * that is down or slow answers the browser quickly and clearly.
 */
export interface StoreAccess {
  /** The organization's record. */
  get(orgId: string): Promise<SessionRecord | null>;
  /** An atomic change when the store has one, else read-change-write. */
  update(orgId: string, change: SessionRecordUpdate): Promise<SessionRecordUpdateResult>;
  /** The organization holding `sessionName` (on `wahaUrl`), or `null`; `null` too when the store cannot tell. */
  findOrganization(sessionName: string, wahaUrl?: string | null): Promise<string | null>;
}

/** What {@link guardStore} needs. */
export interface StoreAccessOptions {
  /** Bound of each call, in ms. */
  timeoutMs: number;
  /** Time source of the bound. */
  clock: Clock;
  /** Where `store.error` goes. */
  log: (input: LogInput) => void;
}

/**
 * The one answer to a session store or action lock backend that is down or slow: logs
 * `record` once and returns the `HttpError` 503 `store_error` to throw.
 */
export function storeUnavailable(log: (input: LogInput) => void, record: LogInput): HttpError {
  log(record);
  return new HttpError(503, 'store_error', 'The session store is unavailable. Try again shortly.');
}

/** Wraps `store` with the time bound and the error mapping of {@link StoreAccess}. */
export function guardStore(store: SessionStore, options: StoreAccessOptions): StoreAccess {
  async function call<T>(operation: string, work: () => Promise<T>): Promise<T> {
    let timer: unknown;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = options.clock.setTimeout(() => resolve('timeout'), options.timeoutMs);
    });
    try {
      const result = await Promise.race([work(), timeout]);
      if (result === 'timeout') throw new StoreTimeout();
      return result as T;
    } catch (error) {
      const timedOut = error instanceof StoreTimeout;
      throw storeUnavailable(options.log, {
        level: 'error',
        event: 'store.error',
        message: timedOut ? `The session store did not ${operation} within ${options.timeoutMs} ms.` : `The session store failed to ${operation}.`,
        operation,
        timedOut,
        ...(timedOut ? {} : { errorName: errorNameOf(error) }),
      });
    } finally {
      options.clock.clearTimeout(timer);
    }
  }

  return {
    get: (orgId) => call('get', () => store.get(orgId)),
    update: (orgId, change) => call('update', () => updateRecord(store, orgId, change)),
    findOrganization: (sessionName, wahaUrl) =>
      store.findOrganization ? call('find', () => store.findOrganization!(sessionName, wahaUrl)) : Promise.resolve(null),
  };
}

class StoreTimeout extends Error {}
