import { parsePhoneNumber, type SessionActionRequest } from '@whatsapp-connector/client/contract';
import { HttpError } from './errors.js';

/** The largest action body accepted, in bytes. */
export const MAX_BODY_BYTES = 4 * 1024;

/** The actions the handler performs. */
export const ACTIONS = ['reconnect', 'logout', 'change_number', 'request_code'] as const;

/** Reads at most `limit` bytes of the request body; a larger body is a 413 (the declared length is checked first). */
export async function readLimitedText(request: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'invalid_json', 'The body is not valid UTF-8 JSON.');
  }
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'payload_too_large', `The body is larger than ${limit} bytes.`);
}

/** `true` for `application/json` (parameters such as `charset` allowed). */
export function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  return value.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/**
 * Reads and validates the JSON body of `POST <endpoint>`.
 * Throws an {@link HttpError} (415, 413, 400) for anything else.
 */
export async function readActionRequest(request: Request): Promise<SessionActionRequest> {
  if (!isJsonContentType(request.headers.get('content-type'))) {
    throw new HttpError(415, 'unsupported_media_type', 'Send the action as application/json.');
  }
  const text = await readLimitedText(request);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'The body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'invalid_action', 'The body must be an object like {"action":"reconnect"}.');
  }
  const action = (body as { action?: unknown }).action;
  if (typeof action !== 'string' || !(ACTIONS as readonly string[]).includes(action)) {
    throw new HttpError(400, 'invalid_action', `Unknown action. Expected one of: ${ACTIONS.join(', ')}.`);
  }
  if (action === 'request_code') {
    // The contract's parser: the same rule as the widget's form.
    const phoneNumber = parsePhoneNumber((body as { phoneNumber?: unknown }).phoneNumber);
    if (phoneNumber === null) {
      throw new HttpError(400, 'invalid_phone_number', 'phoneNumber must be the international number, 7 to 15 digits.');
    }
    return { action, phoneNumber };
  }
  return { action: action as 'reconnect' | 'logout' | 'change_number' };
}
