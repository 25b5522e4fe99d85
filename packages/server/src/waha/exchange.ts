import ky from 'ky';
import type { Clock, TimerHandle } from '../clock.js';
import { WahaError, sanitizeWahaMessage } from './errors.js';

/** A WAHA answer that arrived whole, within the deadline and the size limit. */
export interface WahaAnswer {
  /** HTTP status. */
  status: number;
  /** Parsed JSON, the text when it was not JSON, `null` when empty. */
  body: unknown;
}

/** One HTTP exchange with WAHA, described without the host. */
export interface ExchangeRequest {
  method: string;
  /** Path and query, e.g. `/api/sessions?all=true`. */
  path: string;
  /** JSON body, if any. */
  json?: unknown;
  /** The one deadline of the whole exchange (headers and body), in ms. */
  deadlineMs: number;
  /** The largest body accepted, in bytes. */
  maxBodyBytes: number;
  /** Strings to remove from WAHA's message before it may be logged. */
  secrets: readonly string[];
  /** The caller's cancellation: ends the exchange like its deadline (a `timeout`), the connection cancelled. */
  signal?: AbortSignal | undefined;
}

/** What every exchange of one client shares. */
export interface ExchangeContext {
  /** WAHA's base URL without a trailing slash. */
  base: string;
  headers: Readonly<Record<string, string>>;
  fetch: typeof fetch;
  clock: Clock;
}

class BodyTooLarge extends Error {}

/** The logged reason of a redirect (its Location is WAHA's to choose, so it is not logged). */
export const REDIRECT_MESSAGE = "WAHA answered with a redirect, which is not followed (the API key and webhook secrets must not go to another address): set WAHA's URL to the address it redirects to.";

/** Reads at most `limit` bytes of `body`; past that, cancels it (closing the connection) and throws {@link BodyTooLarge}. */
async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    bytes += value.byteLength;
    if (bytes > limit) {
      reader.cancel().catch(() => {});
      throw new BodyTooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
}

function parse(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Runs one exchange under one deadline covering the headers *and* the body (a WAHA
 * that trickles its answer a byte a second is cut off like a silent one) and one
 * size limit (a larger body is refused as soon as its `content-length` or its bytes
 * say so, and the connection is cancelled). Resolves only with a 2xx answer;
 * every failure is a {@link WahaError}.
 */
export async function exchange(context: ExchangeContext, request: ExchangeRequest): Promise<WahaAnswer> {
  const { method, path, signal } = request;
  // A caller that gave up already (the watcher's own deadline): nothing is sent, and
  // its end is reported like the deadline's, a `timeout` (see `ExchangeRequest.signal`).
  if (signal?.aborted) throw new WahaError({ kind: 'timeout', method, path });
  const abort = new AbortController();
  let timer: TimerHandle | undefined;
  let timedOut = false;
  // The race makes the deadline hold even with a `fetch` that ignores its signal.
  let end: () => void = () => {};
  const deadline = new Promise<never>((_, reject) => {
    end = () => {
      if (timedOut) return;
      timedOut = true;
      abort.abort();
      reject(new WahaError({ kind: 'timeout', method, path }));
    };
    timer = context.clock.setTimeout(end, request.deadlineMs);
  });
  deadline.catch(() => {});
  // A caller that gives up while it runs ends the exchange the same way.
  signal?.addEventListener('abort', end, { once: true });

  const run = async (): Promise<WahaAnswer> => {
    let response: Response;
    try {
      // ky makes the request; it neither retries (the caller decides, per kind) nor times out
      // (its timeout ends when the headers arrive, ours covers the body too) nor throws on a
      // status (WAHA's error bodies are read and sanitized below, under the size limit).
      response = await ky(context.base + path, {
        method,
        headers: context.headers,
        signal: abort.signal,
        retry: 0,
        timeout: false,
        throwHttpErrors: false,
        // Never followed: fetch would resend the X-Api-Key header (it drops only
        // `authorization` across origins) and a create's webhook secrets to wherever
        // the Location points. WAHA's API answers without redirects.
        redirect: 'manual',
        fetch: context.fetch,
        ...(request.json === undefined ? {} : { json: request.json }),
      });
    } catch (cause) {
      throw new WahaError({ kind: timedOut ? 'timeout' : 'network', method, path, cause });
    }
    // `manual` gives the 3xx itself on Node, Bun and Deno, an opaque status 0 in browsers.
    const status = response.type === 'opaqueredirect' ? 0 : response.status;
    const declared = Number(response.headers.get('content-length'));
    let text: string;
    try {
      if (Number.isFinite(declared) && declared > request.maxBodyBytes) throw new BodyTooLarge();
      text = await readLimited(response.body, request.maxBodyBytes);
    } catch (cause) {
      if (cause instanceof BodyTooLarge) {
        abort.abort();
        response.body?.cancel().catch(() => {});
        throw new WahaError({ kind: 'invalid_response', method, path, status, tooLarge: true });
      }
      throw new WahaError({ kind: timedOut ? 'timeout' : 'network', method, path, status, cause });
    }
    const body = parse(text);
    if ((status >= 300 && status <= 399) || status === 0) {
      throw new WahaError({ kind: 'http', method, path, status, body, wahaMessage: REDIRECT_MESSAGE });
    }
    if (status < 200 || status > 299) {
      const wahaMessage = sanitizeWahaMessage(body, request.secrets);
      throw new WahaError({ kind: 'http', method, path, status, body, ...(wahaMessage === undefined ? {} : { wahaMessage }) });
    }
    return { status, body };
  };

  try {
    return await Promise.race([run(), deadline]);
  } finally {
    context.clock.clearTimeout(timer);
    signal?.removeEventListener('abort', end);
  }
}
