import { HttpError } from './errors.js';
import { createWahaClient, type WahaClient, type WahaClientOptions } from './waha/client.js';

/** Where an organization's WAHA lives. */
export interface WahaConfig {
  /** WAHA's base URL, e.g. `http://waha:3000`. */
  url: string;
  /** WAHA's API key (sent as `X-Api-Key`). Never sent to the browser. */
  apiKey?: string | null;
}

/** Per-organization WAHA settings; `null`/`undefined` or missing fields fall back to the defaults. */
export type WahaConfigResolver = (
  orgId: string,
) => Partial<WahaConfig> | null | undefined | Promise<Partial<WahaConfig> | null | undefined>;

/** Reads an environment variable where the runtime has one (Node, Bun, Deno with `process`); never throws. */
export function readEnv(name: string): string | undefined {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    const value = env?.[name];
    return value === undefined || value === '' ? undefined : value;
  } catch {
    return undefined;
  }
}

/**
 * A WAHA base URL in one spelling (`http://WAHA:3000/` → `http://waha:3000`), so that
 * the URLs kept in the store compare as plain strings.
 */
export function normalizeWahaUrl(url: string): string {
  try {
    const parsed = new URL(url.trim());
    return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url.trim();
  }
}

/** `true` when two WAHA URLs name the same server (`http://WAHA:3000/` and `http://waha:3000`). */
export function sameWaha(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  return normalizeWahaUrl(a) === normalizeWahaUrl(b);
}

/** An organization's WAHA: its client and its normalized base URL. */
export interface ResolvedWaha {
  /** The client (cached per URL and key). */
  client: WahaClient;
  /** The base URL, normalized with {@link normalizeWahaUrl}. */
  url: string;
  /**
   * `true` for the server's own WAHA (the default URL, `waha.url` / `WAHA_API_URL`);
   * `false` for a WAHA an organization names elsewhere: that one never receives the
   * server's API key or webhook secrets.
   */
  own: boolean;
}

/**
 * The most WAHA clients a resolver keeps (one per URL and key), the least recently used
 * forgotten first: whoever may edit an organization's WAHA settings can name any number
 * of WAHAs over time.
 */
export const MAX_CACHED_WAHA_CLIENTS = 1_000;

/** Client settings shared by every organization. */
export type SharedClientOptions = Omit<WahaClientOptions, 'url' | 'apiKey'>;

/**
 * Resolves each organization's WAHA client: per-organization settings first,
 * then the `fallback` (by default `WAHA_API_URL` / `WAHA_API_KEY`). The key
 * falls back only with the URL: an organization that names another WAHA sends
 * its own key or none, never the server's. Clients are cached per URL and key (at most
 * {@link MAX_CACHED_WAHA_CLIENTS}, the least recently used forgotten first).
 */
export function createWahaResolver(
  resolve: WahaConfigResolver | undefined,
  fallback: () => Partial<WahaConfig>,
  shared: SharedClientOptions,
): (orgId: string) => Promise<ResolvedWaha> {
  const clients = new Map<string, ResolvedWaha>();
  return async (orgId) => {
    const own = (await resolve?.(orgId)) ?? {};
    const defaults = fallback();
    // The server's key goes only to the server's WAHA: whoever can edit an
    // organization's settings must not be able to point it, key attached, elsewhere.
    const elsewhere = Boolean(own.url) && !sameWaha(own.url, defaults.url);
    const url = elsewhere ? own.url : defaults.url;
    const apiKey = (elsewhere ? own.apiKey : own.apiKey || defaults.apiKey) || null;
    if (!url) throw new HttpError(500, 'waha_not_configured', 'The WhatsApp service is not configured on this server.');
    const cacheKey = `${elsewhere ? 'elsewhere' : 'own'}\u0000${url}\u0000${apiKey ?? ''}`;
    let resolved = clients.get(cacheKey);
    if (resolved) {
      // Most recently used last: Map keeps insertion order.
      clients.delete(cacheKey);
    } else {
      resolved = { client: createWahaClient({ ...shared, url, apiKey }), url: normalizeWahaUrl(url), own: !elsewhere };
      if (clients.size >= MAX_CACHED_WAHA_CLIENTS) clients.delete(clients.keys().next().value!);
    }
    clients.set(cacheKey, resolved);
    return resolved;
  };
}
