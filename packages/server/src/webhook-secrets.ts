import { normalizeWahaUrl } from './config.js';
import { base64url, fromBase64url, hmacSha256, timingSafeEqual } from './hmac.js';

/**
 * The server's webhook secrets (`webhook.token`, `webhook.hmacKey`) go only to the WAHA
 * the server itself is configured with — the same rule as its API key. A WAHA that an
 * organization names (through `resolveWahaConfig`) gets secrets of its own, derived from
 * the server's: they let that WAHA speak for that organization, on that WAHA URL, and for
 * nobody else. Nothing is stored: the receiver derives them again to check a call.
 *
 * The organization's credential travels as the `X-Webhook-Token` custom header WAHA sends
 * with each call (WAHA's src/core/integrations/webhooks/WebhookSender.ts adds a hook's
 * `customHeaders` and signs the raw body with its `hmac.key`):
 *
 * `wac-org.<base64url(orgId)>.<tag>.<mac>` where
 * - `tag` = HMAC-SHA256(root, "whatsapp-connector webhook organization\0" + orgId), first 12 bytes:
 *   proves the server issued a credential for that organization before any of the
 *   integrator's code (`resolveWahaConfig`) runs for the id it carries;
 * - `mac` = HMAC-SHA256(root, "whatsapp-connector webhook token\0" + orgId + "\0" + wahaUrl):
 *   binds it to the organization's WAHA, so a WAHA the organization left cannot use it;
 * - `root` = `webhook.token`, else `webhook.hmacKey`.
 *
 * With `webhook.hmacKey`, that WAHA signs with
 * base64url(HMAC-SHA256(hmacKey, "whatsapp-connector webhook hmac\0" + orgId + "\0" + wahaUrl)).
 */
export const ORGANIZATION_CREDENTIAL_PREFIX = 'wac-org.';

/** The server's own webhook secrets (the `token` and `hmacKey` of `WebhookOptions`). */
export interface WebhookRootSecrets {
  token?: string | undefined;
  hmacKey?: string | undefined;
}

/** What an organization's own WAHA is given instead of the server's secrets. */
export interface OrganizationWebhookSecrets {
  /**
   * The organization's credential (`wac-org.…`, URL- and header-safe): WAHA sends it as
   * the `X-Webhook-Token` header (a hook's `customHeaders`) or as `?token=` in the URL.
   */
  token: string;
  /** WAHA's `hmac.key` for this organization (`WHATSAPP_HOOK_HMAC_KEY`), when the server checks signatures. */
  hmacKey?: string;
}

/** The longest credential read (an organization id is at most 256 characters). */
const MAX_CREDENTIAL_LENGTH = 2048;
const TAG_BYTES = 12;

function root(secrets: WebhookRootSecrets): string | undefined {
  return secrets.token || secrets.hmacKey || undefined;
}

function tagOf(rootSecret: string, orgId: string): string {
  return base64url(hmacSha256(rootSecret, `whatsapp-connector webhook organization\u0000${orgId}`).subarray(0, TAG_BYTES));
}

function macOf(rootSecret: string, orgId: string, wahaUrl: string): string {
  return base64url(hmacSha256(rootSecret, `whatsapp-connector webhook token\u0000${orgId}\u0000${wahaUrl}`));
}

/**
 * The webhook secrets of an organization's own WAHA: what the handler registers on the
 * sessions it creates there (with `webhook.url`), and what you configure by hand on a
 * WAHA whose sessions the handler does not create (a single-session WAHA's `default`):
 * `WHATSAPP_HOOK_URL=<webhook url>?token=<token>` and `WHATSAPP_HOOK_HMAC_KEY=<hmacKey>`.
 * They speak for `orgId` alone, from the WAHA at `wahaUrl` alone (the URL as
 * `resolveWahaConfig` gives it); `null` when `webhook` has neither `token` nor `hmacKey`.
 * Never use them for the server's own WAHA: that one gets `webhook.token` itself.
 *
 * @example
 * ```ts
 * const { token, hmacKey } = organizationWebhookSecrets({ token: process.env.WAHA_WEBHOOK_TOKEN }, '42', 'https://waha.acme.example')!;
 * ```
 */
export function organizationWebhookSecrets(secrets: WebhookRootSecrets, orgId: string, wahaUrl: string): OrganizationWebhookSecrets | null {
  const rootSecret = root(secrets);
  if (!rootSecret) return null;
  const url = normalizeWahaUrl(wahaUrl);
  const utf8 = new TextEncoder().encode(orgId);
  const token = `${ORGANIZATION_CREDENTIAL_PREFIX}${base64url(utf8)}.${tagOf(rootSecret, orgId)}.${macOf(rootSecret, orgId, url)}`;
  const hmacKey = secrets.hmacKey ? base64url(hmacSha256(secrets.hmacKey, `whatsapp-connector webhook hmac\u0000${orgId}\u0000${url}`)) : undefined;
  return hmacKey === undefined ? { token } : { token, hmacKey };
}

/** An organization credential as presented, its organization proven by its tag (not yet its WAHA). */
export interface PresentedCredential {
  orgId: string;
  /** Checks the part that binds the credential to the organization's WAHA at `wahaUrl` (normalized). */
  issuedFor(wahaUrl: string): boolean;
}

/**
 * Reads an organization credential: `undefined` when `presented` is none (not one of
 * ours: the server's own token or nothing), `null` when it is one but forged, cut or
 * tampered with.
 */
export function readOrganizationCredential(secrets: WebhookRootSecrets, presented: string): PresentedCredential | null | undefined {
  if (!presented.startsWith(ORGANIZATION_CREDENTIAL_PREFIX)) return undefined;
  const rootSecret = root(secrets);
  if (!rootSecret || presented.length > MAX_CREDENTIAL_LENGTH) return null;
  const parts = presented.slice(ORGANIZATION_CREDENTIAL_PREFIX.length).split('.');
  if (parts.length !== 3) return null;
  const [encodedOrg, tag, mac] = parts as [string, string, string];
  const bytes = fromBase64url(encodedOrg);
  if (!bytes || bytes.length === 0) return null;
  let orgId: string;
  try {
    orgId = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  if (!timingSafeEqual(tag, tagOf(rootSecret, orgId))) return null;
  return { orgId, issuedFor: (wahaUrl) => timingSafeEqual(mac, macOf(rootSecret, orgId, wahaUrl)) };
}
