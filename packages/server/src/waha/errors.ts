/**
 * Why a WAHA call failed.
 *
 * - `http`: WAHA answered with a non-2xx status (`status` and `body` are set).
 * - `timeout`: the whole exchange (headers and body) did not end within the call's deadline.
 * - `network`: no HTTP answer at all (refused, reset, DNS), or the connection broke mid-body.
 * - `invalid_response`: a 2xx answer whose body is not the JSON we expected, or any
 *   answer whose body is larger than the client's limit (`tooLarge` is then `true`).
 */
export type WahaErrorKind = 'http' | 'timeout' | 'network' | 'invalid_response';

/** Fields accepted by the {@link WahaError} constructor. */
export interface WahaErrorInit {
  /** Why the call failed. */
  kind: WahaErrorKind;
  /** HTTP method of the call. */
  method: string;
  /** Path of the call (no host, no key), e.g. `/api/sessions/wac_42`. */
  path: string;
  /** WAHA's HTTP status, when it answered. */
  status?: number;
  /** WAHA's response body (parsed JSON when it was JSON, else text), for `http`. */
  body?: unknown;
  /** WAHA's own message, already sanitized (see {@link WahaError.wahaMessage}). */
  wahaMessage?: string;
  /** `true` when the body was cut off at the client's size limit. */
  tooLarge?: boolean;
  /** The underlying error. */
  cause?: unknown;
}

function describe(init: WahaErrorInit): string {
  switch (init.kind) {
    case 'http':
      return `answered ${init.status}`;
    case 'timeout':
      return 'timed out';
    case 'network':
      return 'is unreachable';
    case 'invalid_response':
      return init.tooLarge ? 'sent a body over the size limit' : 'sent an unexpected body';
  }
}

/**
 * The typed error of every {@link WahaClient} method. Its `message` names the
 * method, the path and the status — never the WAHA URL's credentials or the API
 * key. `body` keeps WAHA's answer for the host's own debugging; the session
 * handler never copies it into a response or a log record. `wahaMessage` is the
 * part of it that is safe to log.
 */
export class WahaError extends Error {
  /** Why the call failed. */
  readonly kind: WahaErrorKind;
  /** HTTP method of the call. */
  readonly method: string;
  /** Path of the call. */
  readonly path: string;
  /** WAHA's HTTP status, when it answered. */
  readonly status: number | undefined;
  /** WAHA's response body, when it answered with an error. */
  readonly body: unknown;
  /**
   * WAHA's own explanation, for logs: the `message` (or `error`) of its NestJS-shaped
   * error body, e.g. `WAHA Core support only 'default' session…`. Control characters
   * removed, the API key, the URL's credentials and the webhook secrets the call sent
   * replaced by `[redacted]`, cut to {@link MAX_WAHA_MESSAGE_LENGTH} characters.
   * `undefined` when WAHA said nothing readable.
   */
  readonly wahaMessage: string | undefined;
  /** `true` when the answer's body was larger than the client's limit (kind `invalid_response`). */
  readonly tooLarge: boolean;

  constructor(init: WahaErrorInit) {
    super(`WAHA ${init.method} ${init.path} ${describe(init)}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'WahaError';
    this.kind = init.kind;
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.body = init.body;
    this.wahaMessage = init.wahaMessage;
    this.tooLarge = init.tooLarge === true;
  }
}

/** Type guard that also works across bundle copies (checks `name` and `kind`). */
export function isWahaError(value: unknown): value is WahaError {
  if (value instanceof WahaError) return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'WahaError' &&
    typeof (value as { kind?: unknown }).kind === 'string'
  );
}

/** `true` for a WAHA `http` error with one of `statuses`. */
export function isWahaStatus(value: unknown, ...statuses: number[]): value is WahaError {
  return isWahaError(value) && value.kind === 'http' && value.status !== undefined && statuses.includes(value.status);
}

const messageOf = (value: WahaError): string => (typeof value.wahaMessage === 'string' ? value.wahaMessage : '');

/**
 * `true` when WAHA refused to start a session because it runs already:
 * `422 "Session '<name>' is already started."` — from `SessionManagerCore.start`
 * (`src/core/manager.core.ts`) and the deprecated `POST /api/sessions/start`
 * (`src/api/sessions.controller.ts`) in devlikeapro/waha. WAHA's docs call start
 * idempotent; its code is not. For the session rules this refusal is a success.
 */
export function isAlreadyStartedError(value: unknown): value is WahaError {
  return isWahaStatus(value, 422) && /\bis already started\b/i.test(messageOf(value));
}

/**
 * `true` when WAHA allows only the session `default` (WAHA Core before 2026.6.1):
 * `422 "WAHA Core support only 'default' session. If you want to run more then one
 * WhatsApp account - please get WAHA PLUS version…"` — `OnlyDefaultSessionIsAllowed`
 * in `src/core/manager.core.ts` of devlikeapro/waha, thrown by create, start, stop,
 * logout, QR and `/me` for any other name.
 *
 * The same WAHA answers `GET /api/sessions/<other name>` with a plain
 * `404 "Session not found"` (`getSessionInfo` returns `null` for any name but
 * `default`), which cannot be told apart from a missing session:
 * {@link WahaClient.getSession} resolves `null`, and the create that follows is
 * what meets this 422.
 */
export function isSingleSessionError(value: unknown): value is WahaError {
  return isWahaStatus(value, 422) && /support only ['"]?default['"]? session/i.test(messageOf(value));
}

/** The longest {@link WahaError.wahaMessage}, in characters. */
export const MAX_WAHA_MESSAGE_LENGTH = 300;

function textField(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (Array.isArray(value)) {
    // NestJS validation errors: `message` is a list of strings.
    const parts = value.filter((item): item is string => typeof item === 'string' && item.trim() !== '');
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  return undefined;
}

/** The message a WAHA error body carries, wherever WAHA's shapes put it. */
function rawMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return textField(body);
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const nested = (key: string): string | undefined => {
    const inner = record[key];
    return typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? textField((inner as Record<string, unknown>).message) : undefined;
  };
  // `{statusCode, message, error}` (NestJS), `{error, session, status, expected}` (QR 422),
  // `{error: {code, key, message}}` (file not found), `{statusCode: 500, exception: {message}}` (500).
  return textField(record.message) ?? textField(record.error) ?? nested('error') ?? nested('exception');
}

/**
 * WAHA's message in an error body, safe to log: control and bidirectional-override
 * characters become spaces, every `secret` (API key, URL credentials, webhook
 * secrets) becomes `[redacted]`, and the text is cut to
 * {@link MAX_WAHA_MESSAGE_LENGTH} characters. `undefined` when the body has none.
 */
export function sanitizeWahaMessage(body: unknown, secrets: readonly string[]): string | undefined {
  let text = rawMessage(body);
  if (text === undefined) return undefined;
  // Redact before cutting, so that a secret straddling the cut cannot leave a prefix behind.
  for (const secret of secrets) if (secret.length >= 4) text = text.split(secret).join('[redacted]');
  text = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (text === '') return undefined;
  return text.length > MAX_WAHA_MESSAGE_LENGTH ? `${text.slice(0, MAX_WAHA_MESSAGE_LENGTH - 1)}…` : text;
}
