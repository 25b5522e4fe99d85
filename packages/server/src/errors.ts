import type { ErrorBody } from '@whatsapp-connector/client/contract';
import { isWahaError } from './waha/errors.js';

/**
 * Stable `error.code` values of the session endpoints.
 *
 * 4xx: `unauthorized`, `method_not_allowed`, `unsupported_media_type`,
 * `payload_too_large`, `invalid_json`, `invalid_action`, `invalid_phone_number`,
 * `invalid_state`, `not_found`, `busy` (409: another action on the session is still running),
 * `waha_single_session` (409: the organization's WAHA allows one session, owned by another organization),
 * `rate_limited` (429: the caps on open event streams; `Retry-After` says when to try again).
 * 5xx: `waha_unreachable`, `waha_error`, `waha_unauthorized`, `waha_timeout`,
 * `waha_not_configured`, `internal_error`; 503 `store_error` (the session store is down or slow),
 * 503 `auth_timeout` (`getOrganizationId` did not answer in time).
 */
export type ErrorCode =
  | 'unauthorized'
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'invalid_json'
  | 'invalid_action'
  | 'invalid_phone_number'
  | 'invalid_state'
  | 'not_found'
  | 'busy'
  | 'waha_single_session'
  | 'rate_limited'
  | 'waha_unreachable'
  | 'waha_error'
  | 'waha_unauthorized'
  | 'waha_timeout'
  | 'waha_not_configured'
  | 'store_error'
  | 'auth_timeout'
  | 'internal_error';

/** An error the handler answers as `{ error: { code, message } }` with `status`. */
export class HttpError extends Error {
  /** The HTTP status to answer. */
  readonly status: number;
  /** The stable error code. */
  readonly code: ErrorCode;
  /** Extra response headers (e.g. `Allow`). */
  readonly headers: Record<string, string>;

  constructor(status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** The headers every JSON answer carries: never cached, never sniffed. */
export const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
});

/** A JSON response. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** An `{ error: { code, message } }` response. */
export function errorResponse(error: HttpError): Response {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  return jsonResponse(body, error.status, error.headers);
}

/**
 * Maps any failure to the {@link HttpError} the browser may see. WAHA failures
 * become 502/504 with a generic message: WAHA's body, URL and key never leave
 * the server.
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (isWahaError(error)) {
    switch (error.kind) {
      case 'timeout':
        return new HttpError(504, 'waha_timeout', 'The WhatsApp service did not answer in time. Try again shortly.');
      case 'network':
        return new HttpError(502, 'waha_unreachable', 'The WhatsApp service is unreachable. Try again shortly.');
      case 'invalid_response':
        return new HttpError(502, 'waha_error', 'The WhatsApp service sent an unexpected answer.');
      case 'http':
        if (error.status === 401 || error.status === 403) {
          return new HttpError(502, 'waha_unauthorized', 'The server is not authorized by the WhatsApp service. Check its API key.');
        }
        return new HttpError(502, 'waha_error', `The WhatsApp service answered with an error (${error.status ?? 'unknown'}).`);
    }
  }
  return new HttpError(500, 'internal_error', 'Internal error.');
}
