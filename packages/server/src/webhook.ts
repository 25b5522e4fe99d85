import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { isJsonContentType, readLimitedText } from './body.js';
import { HttpError, errorResponse, jsonResponse } from './errors.js';
import { hmacSha512Hex, timingSafeEqual } from './hmac.js';
import type { LogInput } from './logger.js';
import type { WahaMeInfo, WahaSessionStatusEvent } from './waha/types.js';
import { readOrganizationCredential, type organizationWebhookSecrets } from './webhook-secrets.js';

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
   * The server-only secret (at least 32 characters; a shorter one is refused when the
   * handler is created) from which the credential of each WAHA an organization names
   * through `resolveWahaConfig` is derived ({@link organizationWebhookSecrets}). It is
   * never sent to any WAHA, logged or answered; changing it voids every credential
   * registered with it. Without it, sessions created on a WAHA an organization names
   * register no webhook (their streams keep reading WAHA), and the handler warns once
   * (`webhook.organization_secret_missing`).
   */
  organizationSecret?: string;
  /**
   * The public URL of this endpoint as WAHA reaches it, e.g.
   * `https://erp.example.com/api/whatsapp/session/webhook`. When set, every
   * session the handler creates registers it for `session.status`. On the server's
   * own WAHA (`waha.url` / `WAHA_API_URL`) it carries `token` and `hmacKey`; on a WAHA
   * an organization names through `resolveWahaConfig`, secrets derived from
   * `organizationSecret` for that organization and that WAHA instead, which speak for
   * that organization only (the server's own secrets never leave for a WAHA it was not
   * configured with), or nothing without `organizationSecret`.
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

/** Metadata key carrying the organization id on every session the handler creates (WAHA echoes it in webhooks). */
export const ORG_METADATA_KEY = 'whatsapp-connector.orgId';

/** An organization's WAHA as the receiver needs it. */
export interface WebhookWaha {
  /** Normalized base URL. */
  url: string;
  /** `true` for the server's own WAHA, the only one holding the server's own secrets. */
  own: boolean;
}

/** What the webhook receiver needs from the session handler (`W`: the organization's WAHA as the handler resolves it). */
export interface WebhookDependencies<W extends WebhookWaha = WebhookWaha> {
  options: WebhookOptions | undefined;
  log: (input: LogInput) => void;
  /** The organization a session of the server's own WAHA (normalized URL, when configured) belongs to: a claim to check. */
  resolveOrg: (sessionName: string, metadata: Record<string, string> | null | undefined, wahaUrl: string | undefined) => Promise<string | undefined>;
  /** The organization's WAHA (asked once per delivery). */
  wahaOf: (orgId: string) => Promise<W>;
  /** The server's own WAHA (normalized URL), when it has one. */
  ownWahaUrl: () => string | undefined;
  /** Applies the status to the organization's session; `null` when the event was ignored (unknown, duplicate, stale). */
  apply: (orgId: string, waha: W, sessionName: string, status: string, me: WahaMeInfo | null, delivery: EventDelivery) => Promise<SessionAnswerWire | null>;
  fail: (error: unknown, orgId: string | undefined) => Response;
}

function presentedToken(request: Request): string {
  return request.headers.get('x-webhook-token') ?? new URL(request.url).searchParams.get('token') ?? '';
}

/** Who sent a delivery, as its token proves it. */
interface Sender<W extends WebhookWaha> {
  /** The organization an organization's credential speaks for, and its WAHA; absent for the server's own secrets. */
  organization?: { orgId: string; waha: W };
  /** The key the body must be signed with, when the server checks signatures. */
  hmacKey: string | undefined;
}

/**
 * The sender of a delivery, or `null` when its token proves none: the server's own token
 * (or, without one, nothing: then the signature with `hmacKey` is the proof), else an
 * organization's credential issued for the WAHA that organization names now.
 */
async function senderOf<W extends WebhookWaha>(request: Request, options: WebhookOptions, wahaOf: (orgId: string) => Promise<W>): Promise<Sender<W> | null> {
  const presented = presentedToken(request);
  if (options.token && timingSafeEqual(presented, options.token)) return { hmacKey: options.hmacKey };
  const credential = readOrganizationCredential(options.organizationSecret, presented);
  if (credential === undefined) return options.token ? null : { hmacKey: options.hmacKey };
  if (credential === null) return null;
  const waha = await wahaOf(credential.orgId);
  // Issued only for a WAHA the organization names, and only for the one it names now.
  if (waha.own || !credential.issuedFor(waha.url)) return null;
  return {
    organization: { orgId: credential.orgId, waha },
    // The key derived for it (not the token again: it was just checked), when the server checks signatures.
    hmacKey: options.hmacKey ? credential.hmacKeyFor(waha.url) : undefined,
  };
}

function asStatusEvent(body: unknown): WahaSessionStatusEvent | null {
  if (typeof body !== 'object' || body === null) return null;
  const event = body as Partial<WahaSessionStatusEvent>;
  if (event.event !== 'session.status' || typeof event.session !== 'string') return null;
  if (typeof event.payload !== 'object' || event.payload === null || typeof event.payload.status !== 'string') return null;
  return event as WahaSessionStatusEvent;
}

/** At most this much of an untrusted value goes into a log record. */
const LOGGED_CHARS = 60;

/**
 * Creates the receiver of WAHA's `session.status` events. Who sent a call decides
 * which organization it may speak for:
 * - the server's own secrets (`webhook.token` / `webhook.hmacKey`) are held by the
 *   server's own WAHA alone: the organization is found from the session (metadata, else
 *   the store's record of that name on that WAHA) and must live on that WAHA;
 * - an organization's credential (sent by a WAHA the organization named, derived from
 *   `webhook.organizationSecret`, see {@link organizationWebhookSecrets}) speaks for that
 *   organization only, from the WAHA it was issued for: a session metadata naming anyone
 *   else is ignored. Without `organizationSecret`, none is accepted.
 * Then the session must be the organization's current one (else ignored) and the status
 * is applied — persisting the `connected` flag and updating the organization's SSE
 * streams. Other events are acknowledged and ignored.
 */
export function createWebhookHandler<W extends WebhookWaha>(deps: WebhookDependencies<W>): (request: Request) => Promise<Response> {
  const ignored = (event: string, message: string, fields: Record<string, unknown>): Response => {
    deps.log({ level: 'warn', event, message, ...fields });
    return jsonResponse({ ok: true, ignored: true }, 202);
  };
  return async (request) => {
    const options = deps.options;
    let orgId: string | undefined;
    try {
      if (!options || (!options.token && !options.hmacKey)) {
        throw new HttpError(404, 'not_found', 'Webhooks are not enabled on this server.');
      }
      if (request.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST.', { allow: 'POST' });
      const sender = await senderOf(request, options, deps.wahaOf);
      if (!sender) throw new HttpError(401, 'unauthorized', 'Missing or wrong webhook token.');
      orgId = sender.organization?.orgId;
      if (!isJsonContentType(request.headers.get('content-type'))) {
        throw new HttpError(415, 'unsupported_media_type', 'Send the event as application/json.');
      }
      const text = await readLimitedText(request, MAX_WEBHOOK_BYTES);
      if (sender.hmacKey) {
        const signature = (request.headers.get('x-webhook-hmac') ?? '').toLowerCase();
        if (!timingSafeEqual(signature, await hmacSha512Hex(sender.hmacKey, text))) {
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
      const claimed = typeof event.metadata?.[ORG_METADATA_KEY] === 'string' ? event.metadata[ORG_METADATA_KEY] : undefined;
      const session = event.session.slice(0, LOGGED_CHARS);
      let waha: W;
      if (sender.organization) {
        ({ orgId, waha } = sender.organization);
        if (claimed !== undefined && claimed !== orgId) {
          return ignored('webhook.organization_mismatch', "A WAHA an organization names sent an event whose metadata names another organization: ignored (it speaks for its own organization only).", {
            orgId,
            session,
            claimedOrgId: claimed.slice(0, LOGGED_CHARS),
          });
        }
      } else {
        orgId = await deps.resolveOrg(event.session, event.metadata, deps.ownWahaUrl());
        if (orgId === undefined) {
          deps.log({ level: 'debug', event: 'webhook.ignored', message: 'Status event of an unknown session.', session });
          return jsonResponse({ ok: true, ignored: true }, 202);
        }
        waha = await deps.wahaOf(orgId);
        if (!waha.own) {
          return ignored('webhook.organization_mismatch', "An event signed with the server's own webhook secrets names an organization whose WAHA is another one: ignored (only that WAHA speaks for it).", {
            orgId,
            session,
          });
        }
      }
      const answer = await deps.apply(orgId, waha, event.session, event.payload.status, event.me ?? null, deliveryOf(event));
      deps.log({
        level: 'info',
        event: 'webhook.status',
        message: 'Applied a session.status event.',
        orgId,
        session,
        status: answer?.status ?? event.payload.status.slice(0, LOGGED_CHARS),
      });
      return jsonResponse({ ok: true, ignored: answer === null });
    } catch (error) {
      return deps.fail(error, orgId);
    }
  };
}
