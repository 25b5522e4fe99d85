import ky from 'ky';
import { systemClock, type Clock } from '../clock.js';
import { WahaError, isWahaError } from './errors.js';
import { DEFAULT_RETRY, withRetry, type RetryOptions } from './retry.js';
import type {
  WahaCreateSessionRequest,
  WahaMeInfo,
  WahaSessionDTO,
  WahaSessionInfo,
  WahaSessionConfig,
} from './types.js';

/** Options of {@link createWahaClient}. */
export interface WahaClientOptions {
  /** WAHA's base URL, e.g. `http://localhost:3000` (a trailing slash is fine). */
  url: string;
  /** The value of the `X-Api-Key` header; omitted when empty. */
  apiKey?: string | null;
  /** Timeout of each HTTP attempt, in ms (default 10 000). */
  timeoutMs?: number;
  /** Retries of idempotent calls (GET, DELETE, start, stop) on network errors, timeouts and 5xx. */
  retry?: RetryOptions;
  /** Time source for retry waits (default: real timers). */
  clock?: Clock;
  /** Random source for retry jitter (default `Math.random`). */
  random?: () => number;
  /** A `fetch` implementation (default: the global one). */
  fetch?: typeof fetch;
  /** Called once per failed call (after retries), e.g. to count WAHA errors. Must not throw. */
  onError?: (error: WahaError) => void;
}

/**
 * A typed client of the WAHA endpoints the session rules need. Every method
 * either resolves with a typed value or rejects with a {@link WahaError}.
 */
export interface WahaClient {
  /** `GET /api/sessions?all=true`: every session, STOPPED ones included. */
  listSessions(): Promise<WahaSessionInfo[]>;
  /** `GET /api/sessions/{session}`; `null` when WAHA answers 404. */
  getSession(name: string): Promise<WahaSessionInfo | null>;
  /** `POST /api/sessions` with `{ name, start: true, config? }` (never retried). */
  createSession(name: string, config?: WahaSessionConfig): Promise<WahaSessionDTO>;
  /** `DELETE /api/sessions/{session}`; a 404 counts as done (the call is idempotent). */
  deleteSession(name: string): Promise<void>;
  /** `POST /api/sessions/{session}/start` (idempotent, retried). */
  startSession(name: string): Promise<WahaSessionDTO>;
  /** `POST /api/sessions/{session}/stop` (idempotent, retried). */
  stopSession(name: string): Promise<WahaSessionDTO>;
  /** `POST /api/sessions/{session}/logout` (never retried). */
  logoutSession(name: string): Promise<void>;
  /** `GET /api/sessions/{session}/me`; `null` when WAHA has no account yet. */
  getMe(name: string): Promise<WahaMeInfo | null>;
  /** `GET /api/{session}/auth/qr?format=raw`; `null` when WAHA answers 422 (the QR rotated or the status moved on). */
  getQrRaw(name: string): Promise<string | null>;
  /** `POST /api/{session}/auth/request-code` with `{ phoneNumber }` → the pairing code (never retried). */
  requestCode(name: string, phoneNumber: string): Promise<string>;
}

interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  json?: unknown;
  idempotent: boolean;
}

const session = (name: string): string => encodeURIComponent(name);

function isRetryable(error: unknown): boolean {
  if (!isWahaError(error)) return false;
  if (error.kind === 'network' || error.kind === 'timeout') return true;
  return error.kind === 'http' && error.status !== undefined && error.status >= 500;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
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
  const base = options.url.replace(/\/+$/, '');
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.apiKey) headers['x-api-key'] = options.apiKey;
  const http = ky.create({
    timeout: options.timeoutMs ?? 10_000,
    retry: 0,
    throwHttpErrors: false,
    headers,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  async function attempt(call: Call): Promise<{ status: number; body: unknown }> {
    let response: Response;
    try {
      response = await http(base + call.path, {
        method: call.method,
        ...(call.json === undefined ? {} : { json: call.json }),
      });
    } catch (cause) {
      const kind = (cause as { name?: unknown } | null)?.name === 'TimeoutError' ? 'timeout' : 'network';
      throw new WahaError({ kind, method: call.method, path: call.path, cause });
    }
    let body: unknown;
    try {
      body = await readBody(response);
    } catch (cause) {
      throw new WahaError({ kind: 'network', method: call.method, path: call.path, cause });
    }
    if (!response.ok) {
      throw new WahaError({ kind: 'http', method: call.method, path: call.path, status: response.status, body });
    }
    return { status: response.status, body };
  }

  async function send(call: Call, accept: (error: WahaError) => boolean = () => false): Promise<unknown> {
    try {
      const { body } = call.idempotent
        ? await withRetry(() => attempt(call), { options: retry, shouldRetry: isRetryable, clock, random })
        : await attempt(call);
      return body;
    } catch (error) {
      if (isWahaError(error) && accept(error)) throw error;
      if (isWahaError(error)) {
        try {
          options.onError?.(error);
        } catch {
          // Counting must never change the outcome.
        }
      }
      throw error;
    }
  }

  const isStatus = (...statuses: number[]) => (error: WahaError) =>
    error.kind === 'http' && error.status !== undefined && statuses.includes(error.status);

  function object<T>(call: Call, body: unknown, check: (value: Record<string, unknown>) => boolean): T {
    if (typeof body === 'object' && body !== null && check(body as Record<string, unknown>)) return body as T;
    throw new WahaError({ kind: 'invalid_response', method: call.method, path: call.path });
  }
  const hasNameAndStatus = (value: Record<string, unknown>) => typeof value.name === 'string' && typeof value.status === 'string';

  async function sessionCall(call: Call): Promise<WahaSessionDTO> {
    return object<WahaSessionDTO>(call, await send(call), hasNameAndStatus);
  }

  return {
    async listSessions() {
      const call: Call = { method: 'GET', path: '/api/sessions?all=true', idempotent: true };
      const body = await send(call);
      if (!Array.isArray(body)) throw new WahaError({ kind: 'invalid_response', method: call.method, path: call.path });
      return body.filter((item): item is WahaSessionInfo => typeof item === 'object' && item !== null && hasNameAndStatus(item as Record<string, unknown>));
    },
    async getSession(name) {
      const call: Call = { method: 'GET', path: `/api/sessions/${session(name)}`, idempotent: true };
      try {
        return object<WahaSessionInfo>(call, await send(call, isStatus(404)), hasNameAndStatus);
      } catch (error) {
        if (isWahaError(error) && isStatus(404)(error)) return null;
        throw error;
      }
    },
    createSession(name, config) {
      const json: WahaCreateSessionRequest = { name, start: true, ...(config ? { config } : {}) };
      return sessionCall({ method: 'POST', path: '/api/sessions', json, idempotent: false });
    },
    async deleteSession(name) {
      try {
        await send({ method: 'DELETE', path: `/api/sessions/${session(name)}`, idempotent: true }, isStatus(404));
      } catch (error) {
        if (isWahaError(error) && isStatus(404)(error)) return;
        throw error;
      }
    },
    startSession(name) {
      return sessionCall({ method: 'POST', path: `/api/sessions/${session(name)}/start`, idempotent: true });
    },
    stopSession(name) {
      return sessionCall({ method: 'POST', path: `/api/sessions/${session(name)}/stop`, idempotent: true });
    },
    async logoutSession(name) {
      await send({ method: 'POST', path: `/api/sessions/${session(name)}/logout`, idempotent: false });
    },
    async getMe(name) {
      const call: Call = { method: 'GET', path: `/api/sessions/${session(name)}/me`, idempotent: true };
      const body = await send(call);
      if (body === null) return null;
      return object<WahaMeInfo>(call, body, (value) => typeof value.id === 'string');
    },
    async getQrRaw(name) {
      const call: Call = { method: 'GET', path: `/api/${session(name)}/auth/qr?format=raw`, idempotent: true };
      try {
        const body = object<{ value: string }>(call, await send(call, isStatus(422)), (value) => typeof value.value === 'string');
        return body.value;
      } catch (error) {
        if (isWahaError(error) && isStatus(422)(error)) return null;
        throw error;
      }
    },
    async requestCode(name, phoneNumber) {
      const call: Call = { method: 'POST', path: `/api/${session(name)}/auth/request-code`, json: { phoneNumber }, idempotent: false };
      const body = object<{ code: string }>(call, await send(call), (value) => typeof value.code === 'string');
      return body.code;
    },
  };
}
