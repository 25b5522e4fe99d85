import { normalizeWahaUrl } from './config.js';
import { base64url, fromBase64url, hmacSha256, timingSafeEqual } from './hmac.js';
import type { LogInput } from './logger.js';
import type { WahaWebhookConfig } from './waha/types.js';
import type { WebhookOptions, WebhookWaha } from './webhook.js';

/**
 * The server's webhook secrets (`webhook.token`, `webhook.hmacKey`) go only to the WAHA
 * the server itself is configured with — the same rule as its API key. A WAHA that an
 * organization names (through `resolveWahaConfig`) gets secrets of its own, derived from
 * `webhook.organizationSecret`, a secret no WAHA ever holds (the server's own token and
 * HMAC key do not do: its WAHA echoes them in `GET /api/sessions` and its dashboard).
 * They let that WAHA speak for that organization, on that WAHA URL, and for nobody
 * else. Nothing is stored: the receiver derives them again to check a call.
 *
 * The organization's credential travels as the `X-Webhook-Token` custom header WAHA sends
 * with each call (WAHA's src/core/integrations/webhooks/WebhookSender.ts adds a hook's
 * `customHeaders` and signs the raw body with its `hmac.key`):
 *
 * `wac-org.<base64url(orgId)>.<tag>.<mac>` where, with `S` = `webhook.organizationSecret`
 * and `J(...)` = `JSON.stringify([...])` (an injective encoding of the parts):
 * - `tag` = HMAC-SHA256(S, J("whatsapp-connector webhook organization v2", orgId)), first
 *   12 bytes: proves the server issued a credential for that organization before any of
 *   the integrator's code (`resolveWahaConfig`) runs for the id it carries;
 * - `mac` = HMAC-SHA256(S, J("whatsapp-connector webhook token v2", orgId, wahaUrl)):
 *   binds it to the organization's WAHA (normalized URL), so a WAHA the organization left
 *   cannot use it.
 *
 * When the server checks signatures (`webhook.hmacKey` is set), that WAHA signs with
 * base64url(HMAC-SHA256(S, J("whatsapp-connector webhook hmac v2", orgId, wahaUrl))).
 */
export const ORGANIZATION_CREDENTIAL_PREFIX = 'wac-org.';

/** The shortest `webhook.organizationSecret` accepted, in characters. */
export const MIN_ORGANIZATION_SECRET_LENGTH = 32;

/** What an organization's credentials derive from: the `organizationSecret` and `hmacKey` of `WebhookOptions`. */
export interface WebhookRootSecrets {
  /**
   * `webhook.organizationSecret`: the server-only secret every organization's credential
   * derives from (at least {@link MIN_ORGANIZATION_SECRET_LENGTH} characters). Without it
   * there are none.
   */
  organizationSecret?: string | undefined;
  /**
   * `webhook.hmacKey`: when set, the server checks signatures, so the organization's WAHA
   * gets an HMAC key too — derived from `organizationSecret`, never from this key.
   */
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

/**
 * Throws a `TypeError` unless `secret` is `undefined` or a string of at least
 * {@link MIN_ORGANIZATION_SECRET_LENGTH} characters. The message never contains it.
 */
export function checkOrganizationSecret(secret: unknown): void {
  if (secret === undefined) return;
  if (typeof secret !== 'string' || secret.length < MIN_ORGANIZATION_SECRET_LENGTH) {
    throw new TypeError(
      `webhook.organizationSecret must be a string of at least ${MIN_ORGANIZATION_SECRET_LENGTH} characters (a random one, e.g. \`openssl rand -base64 48\`).`,
    );
  }
}

function derive(secret: string, ...parts: string[]): Uint8Array {
  return hmacSha256(secret, JSON.stringify(parts));
}

function tagOf(secret: string, orgId: string): string {
  return base64url(derive(secret, 'whatsapp-connector webhook organization v2', orgId).subarray(0, TAG_BYTES));
}

function macOf(secret: string, orgId: string, wahaUrl: string): string {
  return base64url(derive(secret, 'whatsapp-connector webhook token v2', orgId, wahaUrl));
}

function hmacKeyOf(secret: string, orgId: string, wahaUrl: string): string {
  return base64url(derive(secret, 'whatsapp-connector webhook hmac v2', orgId, wahaUrl));
}

/**
 * The webhook secrets of an organization's own WAHA: what the handler registers on the
 * sessions it creates there (with `webhook.url`), and what you configure by hand on a
 * WAHA whose sessions the handler does not create (a single-session WAHA's `default`):
 * `WHATSAPP_HOOK_URL=<webhook url>?token=<token>` and `WHATSAPP_HOOK_HMAC_KEY=<hmacKey>`.
 * Pass the handler's `webhook` options (or just their `organizationSecret` and
 * `hmacKey`). They speak for `orgId` alone, from the WAHA at `wahaUrl` alone (the URL as
 * `resolveWahaConfig` gives it); `hmacKey` is there when `webhook.hmacKey` is (the server
 * checks signatures). `null` without `organizationSecret`; a `TypeError` when it is
 * shorter than {@link MIN_ORGANIZATION_SECRET_LENGTH}. Changing `organizationSecret`
 * voids every credential derived from it. Never use them for the server's own WAHA: that
 * one gets `webhook.token` itself.
 *
 * @example
 * ```ts
 * const { token, hmacKey } = organizationWebhookSecrets(
 *   { organizationSecret: process.env.WAHA_WEBHOOK_ORG_SECRET, hmacKey: process.env.WAHA_WEBHOOK_HMAC },
 *   '42',
 *   'https://waha.acme.example',
 * )!;
 * ```
 */
export function organizationWebhookSecrets(secrets: WebhookRootSecrets, orgId: string, wahaUrl: string): OrganizationWebhookSecrets | null {
  const secret = secrets.organizationSecret;
  checkOrganizationSecret(secret);
  if (secret === undefined) return null;
  const url = normalizeWahaUrl(wahaUrl);
  const utf8 = new TextEncoder().encode(orgId);
  const token = `${ORGANIZATION_CREDENTIAL_PREFIX}${base64url(utf8)}.${tagOf(secret, orgId)}.${macOf(secret, orgId, url)}`;
  if (!secrets.hmacKey) return { token };
  return { token, hmacKey: hmacKeyOf(secret, orgId, url) };
}

/** An organization credential as presented, its organization proven by its tag (not yet its WAHA). */
export interface PresentedCredential {
  orgId: string;
  /** Checks the part that binds the credential to the organization's WAHA at `wahaUrl` (normalized). */
  issuedFor(wahaUrl: string): boolean;
  /** The HMAC key that organization's WAHA at `wahaUrl` (normalized) signs with (what {@link organizationWebhookSecrets} gives it). */
  hmacKeyFor(wahaUrl: string): string;
}

/**
 * Reads an organization credential: `undefined` when `presented` is none (not one of
 * ours: the server's own token or nothing), `null` when it is one but forged, cut,
 * tampered with, or derived from anything but `organizationSecret` (none is accepted
 * without it).
 */
export function readOrganizationCredential(organizationSecret: string | undefined, presented: string): PresentedCredential | null | undefined {
  if (!presented.startsWith(ORGANIZATION_CREDENTIAL_PREFIX)) return undefined;
  if (!organizationSecret || presented.length > MAX_CREDENTIAL_LENGTH) return null;
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
  if (!timingSafeEqual(tag, tagOf(organizationSecret, orgId))) return null;
  return {
    orgId,
    issuedFor: (wahaUrl) => timingSafeEqual(mac, macOf(organizationSecret, orgId, wahaUrl)),
    hmacKeyFor: (wahaUrl) => hmacKeyOf(organizationSecret, orgId, wahaUrl),
  };
}

/**
 * Whose webhook secrets the WAHA `waha` is given, so whose the receiver expects from it:
 * - `'server'`: the server's own WAHA, the only one given the server's `webhook.token` and
 *   `webhook.hmacKey` (like its API key);
 * - `'organization'`: a WAHA an organization names, when `webhook.organizationSecret` lets
 *   the server derive that organization's ({@link organizationWebhookSecrets});
 * - `null`: a WAHA an organization names without `organizationSecret`: it is given none,
 *   no webhook is registered there, and nothing it sends can be verified.
 *
 * The one rule for both sides: the webhooks a created session registers
 * ({@link webhookRegistration}) and which WAHA the handler can hear from (its streams stop
 * refreshing once a verified webhook has arrived from it).
 */
export function whoseWebhookSecrets(webhook: WebhookRootSecrets | undefined, waha: Pick<WebhookWaha, 'own'>): 'server' | 'organization' | null {
  if (waha.own) return 'server';
  return webhook?.organizationSecret !== undefined ? 'organization' : null;
}

/**
 * `url` with its `token` query parameter (the server's token, put there for WAHA 2024,
 * which sends no custom headers) replaced by `token`. Unchanged when it has none.
 */
function withUrlToken(url: string, token: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (!parsed.searchParams.has('token')) return url;
  parsed.searchParams.set('token', token);
  return parsed.href;
}

/**
 * The webhook a session created on `waha` registers, when `webhook.url` is set, with the
 * secrets {@link whoseWebhookSecrets} says `waha` is given: the server's own token and
 * HMAC key on the server's own WAHA; on a WAHA an organization names, that organization's
 * secrets, which speak for it alone ({@link organizationWebhookSecrets}), or no webhook at
 * all without `organizationSecret` (`onMissingSecret` is told).
 */
function webhookConfig(webhook: WebhookOptions | undefined, orgId: string, waha: WebhookWaha, onMissingSecret: () => void): WahaWebhookConfig[] | undefined {
  if (!webhook?.url) return undefined;
  const base = { url: webhook.url, events: ['session.status'] };
  if (whoseWebhookSecrets(webhook, waha) === 'server') {
    return [
      {
        ...base,
        ...(webhook.token ? { customHeaders: [{ name: 'X-Webhook-Token', value: webhook.token }] } : {}),
        ...(webhook.hmacKey ? { hmac: { key: webhook.hmacKey } } : {}),
      },
    ];
  }
  // null exactly when whoseWebhookSecrets says nobody's (no organizationSecret).
  const derived = organizationWebhookSecrets(webhook, orgId, waha.url);
  if (!derived) {
    // Nothing only the server holds to derive its credential from: no webhook (the
    // organization's streams keep reading WAHA).
    onMissingSecret();
    return undefined;
  }
  return [
    {
      ...base,
      url: withUrlToken(webhook.url, derived.token),
      customHeaders: [{ name: 'X-Webhook-Token', value: derived.token }],
      ...(derived.hmacKey ? { hmac: { key: derived.hmacKey } } : {}),
    },
  ];
}

/**
 * Which webhooks the sessions the handler creates register (`webhook.url`, with the
 * secrets {@link webhookConfig} gives each WAHA): a function of the organization and its
 * WAHA, `undefined` for none. The first session created on a WAHA an organization names
 * without `webhook.organizationSecret` logs `webhook.organization_secret_missing` (once
 * per handler).
 */
export function webhookRegistration(webhook: WebhookOptions | undefined, log: (input: LogInput) => void): (orgId: string, waha: WebhookWaha) => WahaWebhookConfig[] | undefined {
  let warned = false;
  return (orgId, waha) =>
    webhookConfig(webhook, orgId, waha, () => {
      if (warned) return;
      warned = true;
      log({
        level: 'warn',
        event: 'webhook.organization_secret_missing',
        message:
          'A session was created on a WAHA an organization names (resolveWahaConfig) without a webhook: the server has no webhook.organizationSecret to derive its credential from. ' +
          "Set webhook.organizationSecret (a random string of at least 32 characters, kept on the server only) to register one; until then that organization's streams keep reading WAHA.",
        orgId,
      });
    });
}
