import type { Exchange, HttpAgent } from './http.js';

/** The session statuses that mean "a QR is being shown" (both spellings). */
export const QR_STATUSES: readonly string[] = ['SCAN_QR', 'SCAN_QR_CODE'];

/** What every check receives: the endpoint, an HTTP agent and the run's options. */
export interface CheckContext {
  /** The endpoint URL under test. */
  readonly url: string;
  /** Sends requests with the run's credentials and timeout. */
  readonly http: HttpAgent;
  /** The raw `fetch`, for streaming reads. */
  readonly fetch: typeof fetch;
  /** The credentials headers given to the kit. */
  readonly headers: Readonly<Record<string, string>>;
  /** Milliseconds to wait for one answer. */
  readonly timeoutMs: number;
  /** Milliseconds a check may poll `GET` for a status. */
  readonly settleMs: number;
  /** The phone number for `request_code`. */
  readonly phoneNumber: string;
  /** The first `GET` of the run, shared by the read-only checks (one request, not one per check). */
  firstGet(): Promise<Exchange>;
  /**
   * Polls `GET` until `done(body)` holds for a JSON answer or `settleMs` passes.
   * Returns the last exchange and whether the condition was met.
   */
  waitFor(done: (body: Record<string, unknown>) => boolean): Promise<{ exchange: Exchange; met: boolean }>;
}

/** The object body of an exchange, or `undefined` when it is not a JSON object. */
export function bodyOf(exchange: Exchange): Record<string, unknown> | undefined {
  const { json } = exchange;
  return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
}

/** The `status` string of an answer, or `undefined`. */
export function statusOf(exchange: Exchange): string | undefined {
  const status = bodyOf(exchange)?.status;
  return typeof status === 'string' ? status : undefined;
}

/** Settings of {@link createCheckContext}. */
export interface CheckContextInit {
  url: string;
  http: HttpAgent;
  fetch: typeof fetch;
  headers: Record<string, string>;
  timeoutMs: number;
  settleMs: number;
  pollIntervalMs: number;
  phoneNumber: string;
}

/** Builds the context of one run. */
export function createCheckContext(init: CheckContextInit): CheckContext {
  let first: Promise<Exchange> | undefined;
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  return {
    url: init.url,
    http: init.http,
    fetch: init.fetch,
    headers: init.headers,
    timeoutMs: init.timeoutMs,
    settleMs: init.settleMs,
    phoneNumber: init.phoneNumber,
    firstGet() {
      first ??= init.http.send({ method: 'GET' });
      return first;
    },
    async waitFor(done) {
      const deadline = Date.now() + init.settleMs;
      for (;;) {
        const exchange = await init.http.send({ method: 'GET' });
        const body = bodyOf(exchange);
        if (exchange.status === 200 && body && done(body)) return { exchange, met: true };
        if (Date.now() + init.pollIntervalMs > deadline) return { exchange, met: false };
        await sleep(init.pollIntervalMs);
      }
    },
  };
}
