// Handler overhead = a GET's time in the handler minus the time its WAHA calls took.
// The WAHA calls are charged to the GET that caused them through AsyncLocalStorage.
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';

/** What one GET spent on WAHA. */
export interface WahaTiming {
  wahaMs: number;
  wahaCalls: number;
}

/**
 * A store for per-GET timings (`als.run(timing, …)` around the handler) and the
 * `fetch` to give the handler as WAHA's: timed until the body is read, and charged
 * to the GET whose timing is current.
 */
export function wahaTiming<T extends WahaTiming>(): { als: AsyncLocalStorage<T>; timedFetch: typeof fetch } {
  const als = new AsyncLocalStorage<T>();
  const timedFetch: typeof fetch = async (input, init) => {
    const started = performance.now();
    const response = await fetch(input, init);
    const body = await response.arrayBuffer();
    const timing = als.getStore();
    if (timing) {
      timing.wahaMs += performance.now() - started;
      timing.wahaCalls += 1;
    }
    return new Response(response.status === 204 || response.status === 304 ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  return { als, timedFetch };
}
