import { SessionError, type SessionErrorCode } from './errors.js';
import { normalizeStatus } from './status.js';
import type { SessionAnswer, SessionMe } from './types.js';

/** A usable answer from {@link parseSessionAnswer}. */
export interface ParseSuccess {
  /** Always `true`. */
  readonly ok: true;
  /** The parsed answer. */
  readonly answer: SessionAnswer;
}

/** An unusable answer from {@link parseSessionAnswer}. */
export interface ParseFailure {
  /** Always `false`. */
  readonly ok: false;
  /** Why (`invalid_response`). */
  readonly error: SessionError;
}

/** The outcome of {@link parseSessionAnswer}: a usable answer, or why there is none. */
export type ParseResult = ParseSuccess | ParseFailure;

/** Longest server-provided text we keep (messages are shown to people, not dumped). */
const MAX_TEXT = 500;

const SAFE_QR_IMAGE = /^data:image\/(?:png|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/;
/** A URL scheme other than `http:` / `https:` (`javascript:`, `data:`…). */
const OTHER_SCHEME = /^(?!https?:)[a-z][a-z0-9+.-]*:/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function shortText(value: unknown): string | null {
  const text = nonEmptyString(value);
  if (text === null) return null;
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

/**
 * `true` when `value` is a QR image data URL the client may display: a PNG or
 * SVG `data:` URL in base64 with nothing but base64 characters after the comma.
 * Anything else (other schemes, other media types, markup) is refused.
 */
export function isSafeQrImage(value: unknown): value is string {
  return typeof value === 'string' && SAFE_QR_IMAGE.test(value);
}

function parseMe(value: unknown): SessionMe | null {
  if (!isRecord(value)) return null;
  const id = nonEmptyString(value.id);
  if (id === null) return null;
  const me: { id: string; pushName?: string; phone?: string } = { id };
  const pushName = nonEmptyString(value.pushName);
  const phone = nonEmptyString(value.phone);
  if (pushName !== null) me.pushName = pushName;
  if (phone !== null) me.phone = phone;
  return me;
}

/** Keeps http(s) URLs and relative references; refuses other schemes (`javascript:`, `data:`…). */
function parseStreamUrl(value: unknown): string | null {
  const url = nonEmptyString(value);
  return url !== null && !OTHER_SCHEME.test(url) ? url : null;
}

function invalid(message: string, cause?: unknown): ParseResult {
  return { ok: false, error: new SessionError({ code: 'invalid_response', message, cause }) };
}

/**
 * Reads a session answer tolerantly (the body of `GET` / `POST <endpoint>`,
 * or one push message).
 *
 * - unknown extra fields are ignored;
 * - a missing or non-string `status` makes the answer unusable (`invalid_response`);
 * - statuses are normalized (`SCAN_QR_CODE` → `SCAN_QR`, unknown → `UNKNOWN`, the
 *   original kept in `rawStatus`);
 * - missing or invalid optional fields become `null`; `connected` is derived from
 *   the status when it is not a boolean;
 * - `qrImage` is kept only when it is a base64 PNG / SVG data URL;
 * - `me` requires a string `id`.
 *
 * Never throws.
 *
 * @example
 * ```ts
 * const result = parseSessionAnswer(await response.json());
 * if (result.ok) console.log(result.answer.status);
 * else console.warn(result.error.code, result.error.message);
 * ```
 */
export function parseSessionAnswer(body: unknown): ParseResult {
  try {
    if (!isRecord(body)) return invalid('not a JSON object');
    const rawStatus = nonEmptyString(body.status);
    if (rawStatus === null) return invalid('no usable "status"');
    const status = normalizeStatus(rawStatus);
    const answer: SessionAnswer = {
      status,
      rawStatus,
      sessionName: nonEmptyString(body.sessionName),
      connected: typeof body.connected === 'boolean' ? body.connected : status === 'WORKING',
      qr: nonEmptyString(body.qr),
      qrImage: isSafeQrImage(body.qrImage) ? body.qrImage : null,
      me: parseMe(body.me),
      error: shortText(body.error),
      reason: body.reason === 'qr_expired' ? 'qr_expired' : null,
      pairingCode: nonEmptyString(body.pairingCode),
      stream: parseStreamUrl(body.stream),
    };
    return { ok: true, answer };
  } catch (cause) {
    // Only reachable with hostile objects (throwing getters, revoked proxies).
    return invalid('unreadable', cause);
  }
}

/** The fields of an error body that {@link readErrorBody} could read. */
export interface ErrorBodyFields {
  /** The backend's error code, or `null` when missing. */
  readonly code: string | null;
  /** The backend's message (shortened), or `null` when missing. */
  readonly message: string | null;
}

/**
 * Reads the `{"error": {"code", "message"}}` body backends send with non-2xx
 * answers. Returns `null` when the body does not have that shape. Never throws.
 */
export function readErrorBody(body: unknown): ErrorBodyFields | null {
  try {
    if (!isRecord(body) || !isRecord(body.error)) return null;
    const code = nonEmptyString(body.error.code);
    const message = shortText(body.error.message);
    if (code === null && message === null) return null;
    return { code, message };
  } catch {
    return null;
  }
}

/**
 * The HTTP statuses with a code of their own (every other non-2xx status is `http`), each
 * with the end of its short default message (the backend's own message wins): a UI shows
 * its own translated text chosen by `code`, so these only need to read well in a log.
 */
const HTTP_ERRORS: Readonly<Record<number, readonly [SessionErrorCode, string]>> = {
  401: ['unauthorized', ': not authorized'],
  403: ['unauthorized', ': not authorized'],
  404: ['not_found', ': endpoint not found'],
  429: ['rate_limited', ': too many requests'],
};

/** The {@link SessionErrorCode} for a non-2xx HTTP status. */
export function errorCodeForHttpStatus(httpStatus: number): SessionErrorCode {
  return HTTP_ERRORS[httpStatus]?.[0] ?? 'http';
}

/** What {@link sessionErrorFromHttp} needs to know about a non-2xx answer. */
export interface HttpErrorInit {
  /** The HTTP status code. */
  httpStatus: number;
  /** The parsed JSON body, if any (`undefined` when the body was not JSON). */
  body?: unknown;
  /** Milliseconds from `Retry-After`, when present. */
  retryAfterMs?: number;
  /** The underlying error or response, for logs. */
  cause?: unknown;
}

/**
 * Turns a non-2xx answer into a {@link SessionError}: the code follows the HTTP
 * status (`401`/`403` → `unauthorized`, `404` → `not_found`, `429` →
 * `rate_limited`, else `http`); the message is the backend's own
 * `error.message` when it sent one, else a short default (`HTTP 503`); the backend's
 * `error.code` is kept as `serverCode`. Never throws.
 *
 * @example
 * ```ts
 * const error = sessionErrorFromHttp({ httpStatus: 503, body: { error: { code: 'waha_unreachable', message: 'WAHA is down' } } });
 * error.code;       // 'http'
 * error.serverCode; // 'waha_unreachable'
 * ```
 */
export function sessionErrorFromHttp(init: HttpErrorInit): SessionError {
  const [code, detail = ''] = HTTP_ERRORS[init.httpStatus] ?? ['http'];
  const body = readErrorBody(init.body);
  // SessionError treats an undefined field as absent, so the optional ones pass straight through.
  return new SessionError({
    code,
    message: body?.message ?? `HTTP ${init.httpStatus}${detail}`,
    httpStatus: init.httpStatus,
    serverCode: body?.code || undefined,
    serverMessage: body?.message ?? undefined,
    retryAfterMs: init.retryAfterMs,
    cause: init.cause,
  });
}

/** The longest `Retry-After` honoured, so that a hostile header cannot stop polling for days. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * Parses a `Retry-After` header (delay in seconds, or an HTTP date) into
 * milliseconds from `now`, capped at {@link MAX_RETRY_AFTER_MS}. Returns
 * `undefined` for a missing or unreadable header.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, MAX_RETRY_AFTER_MS);
  // HTTP dates always name a day or month; bare numbers like "-3" are not dates (Date.parse disagrees).
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS);
}
