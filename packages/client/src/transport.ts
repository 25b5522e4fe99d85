import { SessionError } from './contract/errors.js';
import { parseRetryAfter, parseSessionAnswer, sessionErrorFromHttp } from './contract/parse.js';
import type { SessionActionRequest, SessionAnswer } from './contract/types.js';
import type { HeadersInput, TimerProvider } from './options.js';

/** The outcome of one request: a parsed answer, or a typed error. Never a thrown exception. */
export type TransportResult =
  | { readonly ok: true; readonly answer: SessionAnswer; readonly httpStatus: number }
  | { readonly ok: false; readonly error: SessionError };

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

function failure(error: SessionError): TransportResult {
  return { ok: false, error };
}

function looksLikeHtml(contentType: string, text: string): boolean {
  return /\bhtml\b/i.test(contentType) || /^\s*</.test(text);
}

function causeMessage(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? ` (${cause.cause.message})` : '';
    return `${cause.message}${inner}`;
  }
  return String(cause);
}

async function resolveHeaders(input: HeadersInput | undefined): Promise<Record<string, string>> {
  if (input === undefined) return {};
  return typeof input === 'function' ? await input() : input;
}

function readBody(httpStatus: number, contentType: string, text: string, method: string, endpoint: string): TransportResult {
  if (text.trim() === '') {
    return failure(new SessionError({ code: 'invalid_response', message: `${method} ${endpoint} answered ${httpStatus} with an empty body.`, httpStatus }));
  }
  let json: unknown;
  try {
    // JSON wins over a wrong Content-Type: a backend that labels its JSON text/html still works.
    json = JSON.parse(text);
  } catch (cause) {
    const message = looksLikeHtml(contentType, text)
      ? `${method} ${endpoint} answered with an HTML page instead of JSON. Check the endpoint URL and the login.`
      : `${method} ${endpoint} did not answer JSON.`;
    return failure(new SessionError({ code: 'invalid_response', message, httpStatus, cause }));
  }
  const parsed = parseSessionAnswer(json);
  if (!parsed.ok) {
    return failure(
      new SessionError({ code: 'invalid_response', message: `${method} ${endpoint}: ${parsed.error.message}`, httpStatus, cause: parsed.error }),
    );
  }
  return { ok: true, answer: parsed.answer, httpStatus };
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Creates the HTTP transport over the injected (or global) `fetch`. Every failure
 * (network, timeout, abort, HTTP status, HTML page, non-JSON, invalid answer,
 * a throwing `headers` function) comes back as a {@link SessionError} with a
 * machine-readable code; `Retry-After` is read into `retryAfterMs`. Nothing
 * throws, nothing retries here (retrying is the poller's job).
 */
export function createTransport(options: TransportOptions): Transport {
  const { endpoint, timers, timeoutMs } = options;

  async function send(method: 'GET' | 'POST', body: SessionActionRequest | undefined, outer?: AbortSignal): Promise<TransportResult> {
    const label = `${method} ${endpoint}`;
    const aborted = () => new SessionError({ code: 'aborted', message: `${label} was cancelled.` });
    if (outer?.aborted) return failure(aborted());

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
    outer?.addEventListener('abort', onAbort, { once: true });

    const interrupted = (): TransportResult | null => {
      if (timedOut) return failure(new SessionError({ code: 'timeout', message: `${label} got no answer within ${timeoutMs} ms.` }));
      if (controller.signal.aborted) return failure(aborted());
      return null;
    };

    try {
      let headers: Record<string, string>;
      try {
        headers = await resolveHeaders(options.headers);
      } catch (cause) {
        return failure(new SessionError({ code: 'network', message: `${label}: the headers function failed: ${causeMessage(cause)}`, cause }));
      }
      const stopped = interrupted();
      if (stopped) return stopped;

      let httpStatus: number;
      let contentType: string;
      let retryAfter: string | null;
      let text: string;
      try {
        // Looked up per request (not bound once) so that a page replacing `fetch` later is honoured;
        // called without a receiver, which is how `window.fetch` must be called.
        const fetchImpl = options.fetch ?? globalThis.fetch;
        // A Headers object merges case-insensitively: the caller's headers replace ours.
        const requestHeaders = new Headers({ Accept: 'application/json' });
        if (body !== undefined) requestHeaders.set('Content-Type', 'application/json');
        for (const [name, value] of Object.entries(headers)) requestHeaders.set(name, value);
        const init: RequestInit = { method, headers: requestHeaders, credentials: options.credentials, signal: controller.signal };
        if (body !== undefined) init.body = JSON.stringify(body);
        const response = await fetchImpl(endpoint, init);
        httpStatus = response.status;
        contentType = response.headers.get('content-type') ?? '';
        retryAfter = response.headers.get('retry-after');
        text = await response.text();
      } catch (cause) {
        return (
          interrupted() ??
          failure(new SessionError({ code: 'network', message: `${label} failed: ${causeMessage(cause)}`, cause }))
        );
      }

      if (httpStatus >= 200 && httpStatus < 300) return readBody(httpStatus, contentType, text, method, endpoint);
      return failure(
        sessionErrorFromHttp({
          httpStatus,
          body: tryParseJson(text),
          ...withRetryAfter(parseRetryAfter(retryAfter, timers.now())),
        }),
      );
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

function withRetryAfter(retryAfterMs: number | undefined): { retryAfterMs?: number } {
  return retryAfterMs === undefined ? {} : { retryAfterMs };
}
