import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { isJsonContentType, readLimitedText } from './body.js';
import { HttpError, errorResponse, jsonResponse } from './errors.js';
import type { LogInput } from './logger.js';
import type { WahaMeInfo, WahaSessionStatusEvent } from './waha/types.js';

/**
 * Options of the WAHA webhook receiver (`POST <endpoint>/webhook`). At least one
 * of `token` and `hmacKey` is required (an unguarded webhook would let anyone push
 * statuses); when both are set, both are checked.
 */
export interface WebhookOptions {
  /**
   * A shared secret WAHA must present, as the `X-Webhook-Token` header (set it in
   * the webhook's `customHeaders`) or a `?token=` query parameter.
   */
  token?: string;
  /**
   * WAHA's webhook HMAC key (`hmac.key` of the webhook config): each call must
   * carry `X-Webhook-Hmac`, the hex HMAC-SHA512 of the raw body. Proves the body
   * itself came from WAHA.
   */
  hmacKey?: string;
  /**
   * The public URL of this endpoint as WAHA reaches it, e.g.
   * `https://erp.example.com/api/whatsapp/session/webhook`. When set, every
   * session the handler creates registers it for `session.status`, with the
   * token header and the HMAC key.
   */
  url?: string;
}

/** What identifies one WAHA event: its `id` and `timestamp` (either `null` when WAHA sent none, as WAHA 2024 did). */
export interface EventDelivery {
  /** WAHA's event id, or `null`. */
  id: string | null;
  /** WAHA's event time (epoch ms), or `null`. */
  timestamp: number | null;
}

/** The {@link EventDelivery} of an event envelope; anything malformed counts as absent. */
export function deliveryOf(event: Pick<WahaSessionStatusEvent, 'id' | 'timestamp'>): EventDelivery {
  const id = typeof event.id === 'string' && event.id !== '' ? event.id.slice(0, 200) : null;
  const timestamp = typeof event.timestamp === 'number' && Number.isFinite(event.timestamp) ? event.timestamp : null;
  return { id, timestamp };
}

/** The largest webhook body accepted, in bytes. */
export const MAX_WEBHOOK_BYTES = 64 * 1024;

/** What the webhook receiver needs from the session handler. */
export interface WebhookDependencies {
  options: WebhookOptions | undefined;
  log: (input: LogInput) => void;
  resolveOrg: (sessionName: string, metadata: Record<string, string> | null | undefined) => Promise<string | undefined>;
  /** Applies the status to the organization's session; `null` when the event was ignored (unknown, duplicate, stale). */
  apply: (orgId: string, sessionName: string, status: string, me: WahaMeInfo | null, delivery: EventDelivery) => Promise<SessionAnswerWire | null>;
  fail: (error: unknown, orgId: string | undefined) => Response;
}

/** Compares two strings in time independent of where they differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    diff |= (a.charCodeAt(i % (a.length || 1)) || 0) ^ (b.charCodeAt(i % (b.length || 1)) || 0);
  }
  return diff === 0;
}

/** Hex HMAC-SHA512 of `body` with `key` (Web Crypto: Node 20, Deno, Bun, edge runtimes). */
export async function hmacSha512Hex(key: string, body: string): Promise<string> {
  const encoder = new TextEncoder();
  const cryptoKey = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-512' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(body)));
  return Array.from(signature, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function presentedToken(request: Request): string {
  return request.headers.get('x-webhook-token') ?? new URL(request.url).searchParams.get('token') ?? '';
}

function asStatusEvent(body: unknown): WahaSessionStatusEvent | null {
  if (typeof body !== 'object' || body === null) return null;
  const event = body as Partial<WahaSessionStatusEvent>;
  if (event.event !== 'session.status' || typeof event.session !== 'string') return null;
  if (typeof event.payload !== 'object' || event.payload === null || typeof event.payload.status !== 'string') return null;
  return event as WahaSessionStatusEvent;
}

/**
 * Creates the receiver of WAHA's `session.status` events: checks the token,
 * finds the organization (session metadata, else the store's record of that
 * session name), then applies the status — persisting the `connected` flag and
 * updating the organization's SSE streams. Other events are acknowledged and ignored.
 */
export function createWebhookHandler(deps: WebhookDependencies): (request: Request) => Promise<Response> {
  return async (request) => {
    const options = deps.options;
    let orgId: string | undefined;
    try {
      if (!options || (!options.token && !options.hmacKey)) {
        throw new HttpError(404, 'not_found', 'Webhooks are not enabled on this server.');
      }
      if (request.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST.', { allow: 'POST' });
      if (options.token && !timingSafeEqual(presentedToken(request), options.token)) {
        throw new HttpError(401, 'unauthorized', 'Missing or wrong webhook token.');
      }
      if (!isJsonContentType(request.headers.get('content-type'))) {
        throw new HttpError(415, 'unsupported_media_type', 'Send the event as application/json.');
      }
      const text = await readLimitedText(request, MAX_WEBHOOK_BYTES);
      if (options.hmacKey) {
        const presented = (request.headers.get('x-webhook-hmac') ?? '').toLowerCase();
        if (!timingSafeEqual(presented, await hmacSha512Hex(options.hmacKey, text))) {
          throw new HttpError(401, 'unauthorized', 'Missing or wrong webhook signature.');
        }
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new HttpError(400, 'invalid_json', 'The body is not valid JSON.');
      }
      const event = asStatusEvent(body);
      if (!event) return jsonResponse({ ok: true, ignored: true }, 202);
      orgId = await deps.resolveOrg(event.session, event.metadata);
      if (orgId === undefined) {
        deps.log({ level: 'debug', event: 'webhook.ignored', message: 'Status event of an unknown session.', session: event.session });
        return jsonResponse({ ok: true, ignored: true }, 202);
      }
      const answer = await deps.apply(orgId, event.session, event.payload.status, event.me ?? null, deliveryOf(event));
      deps.log({
        level: 'info',
        event: 'webhook.status',
        message: 'Applied a session.status event.',
        orgId,
        session: event.session,
        status: answer?.status ?? event.payload.status,
      });
      return jsonResponse({ ok: true, ignored: answer === null });
    } catch (error) {
      return deps.fail(error, orgId);
    }
  };
}
