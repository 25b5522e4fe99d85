import { isWahaError } from './waha/errors.js';

/**
 * The log fields that describe a WAHA failure: its kind, WAHA's HTTP status and
 * WAHA's own message (sanitized by the WAHA client: no key, no secrets, no control
 * characters, bounded) — never WAHA's URL or raw body. Empty for anything else.
 */
export function wahaFields(error: unknown): Record<string, unknown> {
  if (!isWahaError(error)) return {};
  return {
    errorKind: error.kind,
    ...(error.status === undefined ? {} : { wahaStatus: error.status }),
    ...(error.wahaMessage ? { wahaMessage: error.wahaMessage } : {}),
  };
}
