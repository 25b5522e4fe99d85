import { SessionError, type SessionErrorCode, type SessionErrorInit } from './contract/errors.js';
import { parseRetryAfter, parseSessionAnswer, sessionErrorFromHttp, type ParseResult } from './contract/parse.js';
import type { SessionActionRequest } from './contract/types.js';
import type { HeadersInput, TimerProvider } from './options.js';

/** The outcome of one request: a parsed answer, or a typed error (its `httpStatus` set when there was a response). Never a thrown exception. */
export type TransportResult = ParseResult;

/** Options of {@link createTransport}. */
export interface TransportOptions {
  /** The session endpoint URL. */
  readonly endpoint: string;
  /** The `fetch` to use (default: the global one). */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** Extra headers, or a function returning them before each request. */
  readonly headers?: HeadersInput | undefined;
  /** The `credentials` mode. */
  readonly credentials: RequestCredentials;
  /** Per-request timeout in milliseconds (covers reading the body too). */
  readonly timeoutMs: number;
  /** Time source for the timeout and `Retry-After` dates. */
  readonly timers: TimerProvider;
}

/** Talks HTTP to the session endpoint. */
export interface Transport {
  /** `GET <endpoint>`. */
  get(signal?: AbortSignal): Promise<TransportResult>;
  /** `POST <endpoint>` with an action body. */
  post(body: SessionActionRequest, signal?: AbortSignal): Promise<TransportResult>;
}

/** An error's message, with its cause's message when it has one (`fetch` puts the reason there). */
export function causeMessage(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? ` (${cause.cause.message})` : '';
    return `${cause.message}${inner}`;
  }
  return String(cause);
}

/**
 * Creates the HTTP transport over the injected (or global) `fetch`. Every failure
 * (network, timeout, abort, HTTP status, HTML page, non-JSON, invalid answer,
 * a throwing `headers` function) comes back as a {@link SessionError} with a
 * machine-readable code; `Retry-After` is read into `retryAfterMs`. Nothing
 * throws, nothing retries here (retrying is the client's polling cadence).
 */
export function createTransport(options: TransportOptions): Transport {
  const { endpoint, timers, timeoutMs } = options;

  async function send(method: 'GET' | 'POST', body: SessionActionRequest | undefined, outer?: AbortSignal): Promise<TransportResult> {
    /** A failed result; every message of the transport starts with the request ("GET /api/…: "). */
    const fail = (code: SessionErrorCode, message: string, extra?: Partial<SessionErrorInit>): TransportResult => ({
      ok: false,
      error: new SessionError({ ...extra, code, message: `${method} ${endpoint}: ${message}` }),
    });
    const aborted = () => fail('aborted', 'aborted');
    if (outer?.aborted) return aborted();

    const controller = new AbortController();
    let timedOut = false;
    const timer = timers.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    // Cleared at once (not when the request settles) so that stop() leaves no timer behind.
    const onAbort = () => {
      timers.clearTimeout(timer);
      controller.abort();
    };
    outer?.addEventListener('abort', onAbort);

    const interrupted = (): TransportResult | null =>
      timedOut ? fail('timeout', `no answer in ${timeoutMs} ms`) : controller.signal.aborted ? aborted() : null;

    try {
      let headers: Record<string, string>;
      try {
        const input = options.headers;
        headers = (typeof input === 'function' ? await input() : input) ?? {};
      } catch (cause) {
        return fail('network', `headers() failed: ${causeMessage(cause)}`, { cause });
      }
      const stopped = interrupted();
      if (stopped) return stopped;

      let response: Response;
      let text: string;
      try {
        // A Headers object merges case-insensitively: the caller's headers replace ours.
        const requestHeaders = new Headers({ Accept: 'application/json' });
        const init: RequestInit = { method, headers: requestHeaders, credentials: options.credentials, signal: controller.signal };
        if (body !== undefined) {
          requestHeaders.set('Content-Type', 'application/json');
          init.body = JSON.stringify(body);
        }
        for (const [name, value] of Object.entries(headers)) requestHeaders.set(name, value);
        // Looked up per request (not bound once) so that a page replacing `fetch` later is honoured;
        // called without a receiver, which is how `window.fetch` must be called.
        response = await (options.fetch ?? globalThis.fetch)(endpoint, init);
        text = await response.text();
      } catch (cause) {
        return interrupted() ?? fail('network', causeMessage(cause), { cause });
      }

      const httpStatus = response.status;
      // JSON wins over a wrong Content-Type: a backend that labels its JSON text/html still works.
      let json: unknown;
      let error: unknown;
      try {
        json = JSON.parse(text);
      } catch (cause) {
        error = cause;
      }
      if (!response.ok) {
        return {
          ok: false,
          error: sessionErrorFromHttp({ httpStatus, body: json, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), timers.now()) }),
        };
      }
      if (error !== undefined) {
        // An HTML page is usually a login redirect or a wrong URL: worth saying in the log.
        const html = /\bhtml\b/i.test(response.headers.get('content-type') ?? '') || /^\s*</.test(text);
        const what = text.trim() === '' ? 'empty body' : `${html ? 'HTML page' : 'text'}, not JSON`;
        return fail('invalid_response', what, { httpStatus, cause: error });
      }
      const parsed = parseSessionAnswer(json);
      if (!parsed.ok) return fail('invalid_response', parsed.error.message, { httpStatus, cause: parsed.error });
      return parsed;
    } finally {
      timers.clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    }
  }

  return {
    get: (signal) => send('GET', undefined, signal),
    post: (body, signal) => send('POST', body, signal),
  };
}
