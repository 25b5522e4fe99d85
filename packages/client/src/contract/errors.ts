/**
 * Machine-readable reasons a request to the session endpoint did not produce a
 * usable session answer.
 *
 * - `network`: the request never got an HTTP answer (offline, DNS, CORS, connection reset).
 * - `timeout`: no answer within `timeoutMs`.
 * - `unauthorized`: `401` or `403`; retrying cannot fix it, so polling stops.
 * - `not_found`: `404`; the endpoint URL is probably wrong.
 * - `rate_limited`: `429`; `retryAfterMs` carries the server's `Retry-After`.
 * - `http`: any other non-2xx answer (the backend's own `error.message` when it sent one).
 * - `invalid_response`: a 2xx answer that is not JSON, is an HTML page, or lacks a usable `status`.
 * - `session_failed`: the backend reports the session `FAILED` or `ERROR`.
 * - `aborted`: the request was cancelled by `stop()` / `dispose()` or superseded.
 * - `busy`: another action is already running; this one was not sent.
 */
export type SessionErrorCode =
  | 'network'
  | 'timeout'
  | 'unauthorized'
  | 'not_found'
  | 'rate_limited'
  | 'http'
  | 'invalid_response'
  | 'session_failed'
  | 'aborted'
  | 'busy';

/** Fields accepted by the {@link SessionError} constructor. */
export interface SessionErrorInit {
  /** The machine-readable reason. */
  code: SessionErrorCode;
  /**
   * A short explanation for logs (server strings are kept as plain text). The
   * client's own messages are terse English; a UI shows its own text chosen by `code`.
   */
  message: string;
  /** The HTTP status, when an HTTP answer was received. */
  httpStatus?: number;
  /** The backend's own error code from `{"error": {"code": …}}`, when present. */
  serverCode?: string;
  /**
   * The backend's own words, when it sent any: `error.message` of an error body, or
   * the `error` reason of a `FAILED` / `ERROR` answer. Absent when `message` is the
   * client's (English) default, so a UI can show its own translated text instead.
   */
  serverMessage?: string;
  /** Milliseconds the server asked us to wait (`Retry-After`), when present. */
  retryAfterMs?: number;
  /** The underlying error, for logs. */
  cause?: unknown;
}

/**
 * The one error type the client reports. It is never thrown out of the
 * client's public methods: it appears in snapshots, in `error` events and in
 * failed {@link ActionResult}s.
 *
 * @example
 * ```ts
 * const result = await client.reconnect();
 * if (!result.ok && result.error.code === 'unauthorized') redirectToLogin();
 * ```
 */
export class SessionError extends Error {
  /** The machine-readable reason. */
  declare readonly code: SessionErrorCode;
  /** The HTTP status, when an HTTP answer was received. */
  declare readonly httpStatus: number | undefined;
  /** The backend's own error code, when it sent one. */
  declare readonly serverCode: string | undefined;
  /** The backend's own words, when it sent any (see {@link SessionErrorInit.serverMessage}). */
  declare readonly serverMessage: string | undefined;
  /** Milliseconds the server asked us to wait before retrying, when it said so. */
  declare readonly retryAfterMs: number | undefined;

  constructor({ message, cause, ...fields }: SessionErrorInit) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'SessionError';
    // code, httpStatus, serverCode, serverMessage, retryAfterMs
    Object.assign(this, fields);
  }

  /** A plain, serializable view of the error (for structured logs and `postMessage`): the fields that are set. */
  toJSON(): SessionErrorInit {
    const json: Record<string, unknown> = { code: this.code, message: this.message };
    // Own enumerable fields: not the cause (an Error's own cause is not enumerable).
    for (const [key, value] of Object.entries(this)) if (value !== undefined && key !== 'name') json[key] = value;
    return json as unknown as SessionErrorInit;
  }
}

/**
 * Type guard that also works across realms and bundle copies (it checks the
 * `name` and `code`, not only `instanceof`).
 */
export function isSessionError(value: unknown): value is SessionError {
  if (value instanceof SessionError) return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'SessionError' &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

/** The JSON error body backends answer with on non-2xx statuses. */
export interface ErrorBody {
  /** What went wrong. */
  error: {
    /** A stable machine-readable code, e.g. `unauthorized`, `waha_unreachable`. */
    code: string;
    /** A human-readable message, safe to show to the user. */
    message: string;
  };
}
