import type { IncomingMessage } from 'node:http';

/** The cookie naming the demo's organization. */
export const ORG_COOKIE = 'wac_demo_org';
/** The organization of a visitor without the cookie. */
export const DEFAULT_ORG = 'demo';

const ORG_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

/** `true` when `value` can name a demo organization. */
export function isDemoOrg(value: string | null | undefined): value is string {
  return typeof value === 'string' && ORG_PATTERN.test(value);
}

/** The value of cookie `name` in a `Cookie` header, or `null`. */
export function readCookie(header: string | null | undefined, name: string): string | null {
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return decodeURIComponent(pair.slice(at + 1).trim());
  }
  return null;
}

/**
 * The demo's stand-in for real authentication: the organization named by the
 * `wac_demo_org` cookie (set by opening `/?org=acme`), else `demo`.
 *
 * A real host resolves the signed-in user's organization from its own session
 * instead, and answers `null` when nobody is signed in (the handler then says 401):
 *
 * @example
 * ```ts
 * getOrganizationId: async (request) => {
 *   const user = await sessions.verify(readCookie(request.headers.get('cookie'), 'sid'));
 *   return user?.organizationId ?? null;
 * }
 * ```
 */
export function demoOrganization(cookieHeader: string | null | undefined): string {
  const org = readCookie(cookieHeader, ORG_COOKIE);
  return isDemoOrg(org) ? org : DEFAULT_ORG;
}

/** The `Set-Cookie` value choosing `org` for this browser (opened as `/?org=acme`). */
export function orgCookie(org: string): string {
  return `${ORG_COOKIE}=${encodeURIComponent(org)}; Path=/; HttpOnly; SameSite=Strict`;
}

/** The organization asked for in the page URL (`?org=`), when valid. */
export function requestedOrg(req: IncomingMessage): string | null {
  const org = new URL(req.url ?? '/', 'http://localhost').searchParams.get('org');
  return isDemoOrg(org) ? org : null;
}
