import { systemClock, type Clock } from '../clock.js';
import { WahaError, isSingleSessionError, isWahaError, isWahaStatus } from './errors.js';
import { exchange, type ExchangeContext } from './exchange.js';
import { DEFAULT_RETRY, withRetry, type RetryOptions } from './retry.js';
import type {
  WahaCreateSessionRequest,
  WahaMeInfo,
  WahaSessionDTO,
  WahaSessionInfo,
  WahaSessionConfig,
} from './types.js';

/**
 * The deadline of one attempt of each kind of WAHA call, in ms. A deadline covers
 * the whole exchange: headers *and* body.
 */
export interface WahaTimeouts {
  /** Reads: list, get, `/me` (default 10 000). */
  read: number;
  /**
   * The QR read (default 15 000). WAHA holds this call up to 5 s waiting for
   * `SCAN_QR_CODE` before answering 422 (`WAIT_STATUS_TIMEOUT` in
   * `src/core/abc/manager.abc.ts`), so it needs more than that.
   */
  qr: number;
  /** Create, start and pairing code: the engine starts (WEBJS launches a browser) (default 20 000). */
  action: number;
  /**
   * Stop, restart, logout and delete (default 30 000). WAHA sleeps 3 s after every
   * stop (`SESSION_STOP_TIMEOUT` in `src/core/manager.core.ts`) after an engine
   * teardown of up to 10 s on WEBJS; delete adds the unpairing (~1 s), restart and
   * logout a start.
   */
  lifecycle: number;
}

/** The default {@link WahaTimeouts}, sized to WAHA's measured latencies. */
export const DEFAULT_WAHA_TIMEOUTS: Readonly<WahaTimeouts> = Object.freeze({ read: 10_000, qr: 15_000, action: 20_000, lifecycle: 30_000 });

/** The largest body accepted from WAHA by default, in bytes (1 MiB); the listing has its own limit. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The largest session listing accepted from WAHA by default, in bytes (16 MiB: about 20 000 sessions). */
export const DEFAULT_MAX_LIST_BODY_BYTES = 16 * 1024 * 1024;

/** Options of {@link createWahaClient}. */
export interface WahaClientOptions {
  /** WAHA's base URL, e.g. `http://localhost:3000` (a trailing slash is fine; `user:password@` is sent as basic auth). */
  url: string;
  /** The value of the `X-Api-Key` header; omitted when empty. */
  apiKey?: string | null;
  /** Deadline of each read attempt, in ms (default 10 000). Same as `timeouts.read`, which wins. */
  timeoutMs?: number;
  /** Deadlines per kind of call (defaults: {@link DEFAULT_WAHA_TIMEOUTS}). */
  timeouts?: Partial<WahaTimeouts>;
  /** Largest body accepted from WAHA, in bytes (default {@link DEFAULT_MAX_BODY_BYTES}). A larger one fails as `invalid_response`. */
  maxBodyBytes?: number;
  /** Largest session listing accepted, in bytes (default {@link DEFAULT_MAX_LIST_BODY_BYTES}). */
  maxListBodyBytes?: number;
  /**
   * Retries on network errors, timeouts and 5xx of the calls that may be repeated:
   * reads, start, stop and delete. Stop and delete are not retried after a timeout:
   * WAHA is most likely still doing them, and a repeat would only queue behind them.
   */
  retry?: RetryOptions;
  /** Time source for deadlines and retry waits (default: real timers). */
  clock?: Clock;
  /** Random source for retry jitter (default `Math.random`). */
  random?: () => number;
  /** A `fetch` implementation (default: the global one). */
  fetch?: typeof fetch;
  /**
   * Called exactly once per failed call (after its retries), whatever the failure:
   * HTTP error, timeout, network, an unexpected or oversized body. Not called for
   * answers a method turns into a value (a 404 that means "missing"). Must not throw.
   */
  onError?: (error: WahaError) => void;
}

/** Options of one call. */
export interface WahaCallOptions {
  /**
   * Gives up on the call: its exchange ends at once (a `timeout`), its connection is
   * cancelled, no retry follows, and `onError` is not called — the caller that aborted
   * counts it (the watcher's deadline on a listing).
   */
  signal?: AbortSignal;
}

/**
 * A typed client of the WAHA endpoints the session rules need. Every method
 * either resolves with a typed value or rejects with a {@link WahaError}.
 */
export interface WahaClient {
  /** `GET /api/sessions?all=true`: every session, STOPPED ones included. */
  listSessions(options?: WahaCallOptions): Promise<WahaSessionInfo[]>;
  /** `GET /api/sessions/{session}`; `null` when WAHA answers 404. */
  getSession(name: string): Promise<WahaSessionInfo | null>;
  /** `POST /api/sessions` with `{ name, start: true, config? }` (never retried). */
  createSession(name: string, config?: WahaSessionConfig): Promise<WahaSessionDTO>;
  /** `DELETE /api/sessions/{session}`: stops, **logs the phone out** and deletes; a 404 counts as done. */
  deleteSession(name: string): Promise<void>;
  /** `POST /api/sessions/{session}/start` (retried). A running session is refused: see {@link isAlreadyStartedError}. */
  startSession(name: string): Promise<WahaSessionDTO>;
  /** `POST /api/sessions/{session}/stop` (idempotent, retried); the phone stays linked. */
  stopSession(name: string): Promise<WahaSessionDTO>;
  /** `POST /api/sessions/{session}/restart`: stop then start, the phone stays linked (never retried). */
  restartSession(name: string): Promise<WahaSessionDTO>;
  /** `POST /api/sessions/{session}/logout` (never retried). */
  logoutSession(name: string): Promise<void>;
  /** `GET /api/sessions/{session}/me`; `null` when WAHA has no account yet. */
  getMe(name: string): Promise<WahaMeInfo | null>;
  /**
   * `GET /api/{session}/auth/qr?format=raw`; `null` when there is no QR to show:
   * WAHA's 422 (the status is not `SCAN_QR_CODE`, after waiting up to 5 s) or its 404
   * (the session stopped or vanished between two calls). The single-session 422
   * ({@link isSingleSessionError}) is not one of those: it rejects.
   */
  getQrRaw(name: string): Promise<string | null>;
  /** `POST /api/{session}/auth/request-code` with `{ phoneNumber }` → the pairing code (never retried). */
  requestCode(name: string, phoneNumber: string): Promise<string>;
}

/** One method's call: what is sent, how long it may take, what counts as an answer. */
interface Call<T> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  json?: unknown;
  timeout: keyof WahaTimeouts;
  /** Whether failures may be retried (network, 5xx, and timeouts unless `lifecycle`). */
  retried: boolean;
  /** The value of a 2xx body, or `undefined` when it is not what WAHA documents. */
  read: (body: unknown) => T | undefined;
  /** Refusals that are an answer (e.g. 404 → `null`): their value, else `undefined`. */
  refusal?: (error: WahaError) => { value: T } | undefined;
  /** The body size limit, when not the client's `maxBodyBytes`. */
  maxBodyBytes?: number;
}

const session = (name: string): string => encodeURIComponent(name);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const hasNameAndStatus = (value: unknown): value is WahaSessionDTO => isObject(value) && typeof value.name === 'string' && typeof value.status === 'string';
const sessionDto = (body: unknown): WahaSessionDTO | undefined => (hasNameAndStatus(body) ? body : undefined);
const nothing = (): null => null;
const missing = (...statuses: number[]) => (error: WahaError) => (isWahaStatus(error, ...statuses) ? { value: null } : undefined);

/** WAHA's base URL without credentials, and the credentials as a Basic `authorization` header. */
interface Endpoint {
  base: string;
  authorization?: string;
  /** What WAHA's messages must never carry into logs: the key and the URL's credentials. */
  secrets: string[];
}

/**
 * Splits `user:password@` off WAHA's URL (a WAHA behind a proxy with basic auth):
 * `fetch` refuses URLs with credentials, and its error would quote the URL whole.
 */
function endpoint(url: string, apiKey: string | null | undefined): Endpoint {
  const secrets = apiKey ? [apiKey] : [];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // An unparsable URL fails every call as `network`; nothing to split.
    return { base: url.replace(/\/+$/, ''), secrets };
  }
  if (!parsed.username && !parsed.password) return { base: url.replace(/\/+$/, ''), secrets };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  for (const part of [parsed.username, parsed.password, user, password]) if (part) secrets.push(part);
  parsed.username = '';
  parsed.password = '';
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  return {
    base: parsed.href.replace(/\/+$/, ''),
    authorization: `Basic ${btoa(String.fromCharCode(...bytes))}`,
    secrets,
  };
}

/** The webhook secrets a create sends (WAHA's answer may echo its request). */
function configSecrets(config: WahaSessionConfig | undefined): string[] {
  return (config?.webhooks ?? []).flatMap((hook) => [...(hook.hmac?.key ? [hook.hmac.key] : []), ...(hook.customHeaders ?? []).map((header) => header.value)]);
}

/**
 * Creates a {@link WahaClient}.
 *
 * @example
 * ```ts
 * const waha = createWahaClient({ url: process.env.WAHA_API_URL!, apiKey: process.env.WAHA_API_KEY });
 * const info = await waha.getSession('wac_42'); // null when missing
 * ```
 */
export function createWahaClient(options: WahaClientOptions): WahaClient {
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const timeouts: WahaTimeouts = {
    ...DEFAULT_WAHA_TIMEOUTS,
    ...(options.timeoutMs === undefined ? {} : { read: options.timeoutMs }),
    ...options.timeouts,
  };
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxListBodyBytes = options.maxListBodyBytes ?? DEFAULT_MAX_LIST_BODY_BYTES;
  const { base, authorization, secrets } = endpoint(options.url, options.apiKey);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.apiKey) headers['x-api-key'] = options.apiKey;
  if (authorization) headers.authorization = authorization;
  const context: ExchangeContext = { base, headers, fetch: options.fetch ?? ((input, init) => fetch(input, init)), clock };

  function report(error: WahaError): void {
    try {
      options.onError?.(error);
    } catch {
      // Counting must never change the outcome.
    }
  }

  /**
   * Runs `call` (with its retries); every failure reaches `onError` exactly once — except
   * one the caller caused by aborting `signal`: that caller reports its own.
   */
  async function send<T>(call: Call<T>, extraSecrets: readonly string[] = [], signal?: AbortSignal): Promise<T> {
    const attempt = async (): Promise<T> => {
      const { body } = await exchange(context, {
        method: call.method,
        path: call.path,
        json: call.json,
        deadlineMs: timeouts[call.timeout],
        maxBodyBytes: call.maxBodyBytes ?? maxBodyBytes,
        secrets: extraSecrets.length > 0 ? [...secrets, ...extraSecrets] : secrets,
        signal,
      });
      const value = call.read(body);
      if (value === undefined) throw new WahaError({ kind: 'invalid_response', method: call.method, path: call.path });
      return value;
    };
    const shouldRetry = (error: unknown): boolean => {
      if (!call.retried || !isWahaError(error) || signal?.aborted) return false;
      if (error.kind === 'network') return true;
      if (error.kind === 'timeout') return call.timeout !== 'lifecycle';
      return error.kind === 'http' && error.status !== undefined && error.status >= 500;
    };
    try {
      return await withRetry(attempt, { options: retry, shouldRetry, clock, random });
    } catch (error) {
      const failure = isWahaError(error) ? error : new WahaError({ kind: 'network', method: call.method, path: call.path, cause: error });
      const answered = call.refusal?.(failure);
      if (answered) return answered.value;
      if (!signal?.aborted) report(failure);
      throw failure;
    }
  }

  return {
    listSessions(callOptions) {
      return send<WahaSessionInfo[]>({
        method: 'GET',
        path: '/api/sessions?all=true',
        timeout: 'read',
        retried: true,
        maxBodyBytes: maxListBodyBytes,
        read: (body) => (Array.isArray(body) ? body.filter(hasNameAndStatus) : undefined),
      }, [], callOptions?.signal);
    },
    getSession(name) {
      return send<WahaSessionInfo | null>({
        method: 'GET',
        path: `/api/sessions/${session(name)}`,
        timeout: 'read',
        retried: true,
        read: sessionDto,
        refusal: missing(404),
      });
    },
    createSession(name, config) {
      const json: WahaCreateSessionRequest = { name, start: true, ...(config ? { config } : {}) };
      return send({ method: 'POST', path: '/api/sessions', json, timeout: 'action', retried: false, read: sessionDto }, configSecrets(config));
    },
    async deleteSession(name) {
      await send<null>({ method: 'DELETE', path: `/api/sessions/${session(name)}`, timeout: 'lifecycle', retried: true, read: nothing, refusal: missing(404) });
    },
    startSession(name) {
      return send({ method: 'POST', path: `/api/sessions/${session(name)}/start`, timeout: 'action', retried: true, read: sessionDto });
    },
    stopSession(name) {
      return send({ method: 'POST', path: `/api/sessions/${session(name)}/stop`, timeout: 'lifecycle', retried: true, read: sessionDto });
    },
    restartSession(name) {
      return send({ method: 'POST', path: `/api/sessions/${session(name)}/restart`, timeout: 'lifecycle', retried: false, read: sessionDto });
    },
    async logoutSession(name) {
      await send<null>({ method: 'POST', path: `/api/sessions/${session(name)}/logout`, timeout: 'lifecycle', retried: false, read: nothing });
    },
    getMe(name) {
      return send<WahaMeInfo | null>({
        method: 'GET',
        path: `/api/sessions/${session(name)}/me`,
        timeout: 'read',
        retried: true,
        read: (body) => (body === null ? null : isObject(body) && typeof body.id === 'string' ? (body as unknown as WahaMeInfo) : undefined),
      });
    },
    getQrRaw(name) {
      return send<string | null>({
        method: 'GET',
        path: `/api/${session(name)}/auth/qr?format=raw`,
        timeout: 'qr',
        retried: true,
        read: (body) => (isObject(body) && typeof body.value === 'string' ? body.value : undefined),
        refusal: (error) => (isWahaStatus(error, 404, 422) && !isSingleSessionError(error) ? { value: null } : undefined),
      });
    },
    requestCode(name, phoneNumber) {
      return send<string>({
        method: 'POST',
        path: `/api/${session(name)}/auth/request-code`,
        json: { phoneNumber },
        timeout: 'action',
        retried: false,
        read: (body) => (isObject(body) && typeof body.code === 'string' ? body.code : undefined),
      });
    },
  };
}
