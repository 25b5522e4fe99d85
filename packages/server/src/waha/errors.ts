/**
 * Why a WAHA call failed.
 *
 * - `http`: WAHA answered with a non-2xx status (`status` and `body` are set).
 * - `timeout`: no answer within the call's timeout.
 * - `network`: no HTTP answer at all (refused, reset, DNS).
 * - `invalid_response`: a 2xx answer whose body is not the JSON we expected.
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
  /** WAHA's HTTP status, for `http`. */
  status?: number;
  /** WAHA's response body (parsed JSON when it was JSON, else text), for `http`. */
  body?: unknown;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The typed error of every {@link WahaClient} method. Its `message` names the
 * method, the path and the status — never the WAHA URL's credentials or the API
 * key. `body` keeps WAHA's answer for the host's own debugging; the session
 * handler never copies it into a response or a log record.
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

  constructor(init: WahaErrorInit) {
    const what = init.kind === 'http' ? `answered ${init.status}` : init.kind === 'timeout' ? 'timed out' : init.kind === 'network' ? 'is unreachable' : 'sent an unexpected body';
    super(`WAHA ${init.method} ${init.path} ${what}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'WahaError';
    this.kind = init.kind;
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.body = init.body;
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
