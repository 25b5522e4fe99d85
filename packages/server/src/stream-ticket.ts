import { checkOrganizationId } from './auth.js';
import type { Clock } from './clock.js';
import { base64url, fromBase64url, hmacSha256, timingSafeEqual } from './hmac.js';

/**
 * Stream tickets, for applications that authenticate with a header (a Bearer
 * token) rather than a cookie: `EventSource` cannot send headers, so the session
 * answer advertises the stream URL with a short-lived ticket the stream endpoint
 * verifies instead. A ticket names one organization and one stream path, expires,
 * and is signed with a server secret (HMAC-SHA256); it never carries the
 * application's own token.
 */
export interface StreamTicketOptions {
  /**
   * The signing secret, at least 32 characters (for example 32 random bytes in
   * hex). Every instance serving the stream needs the same one. Changing it
   * invalidates outstanding tickets (browsers fall back to polling until their next
   * session answer brings a new one).
   */
  secret: string;
  /**
   * How long a ticket opens the stream after it was issued, in ms (default
   * 60 000). An open stream is not cut when its ticket expires; a reconnection
   * needs a fresh ticket, which the next session answer carries.
   */
  ttlMs?: number;
}

/** The default lifetime of a stream ticket, in ms. */
export const DEFAULT_STREAM_TICKET_TTL_MS = 60_000;

/** The shortest accepted ticket secret, in characters. */
export const MIN_STREAM_TICKET_SECRET_LENGTH = 32;

/** The query parameter carrying the ticket. */
export const STREAM_TICKET_PARAM = 'ticket';

/** Longer presented tickets are refused unread (an id of 256 characters makes ~400). */
const MAX_TICKET_LENGTH = 2_048;

/** Why a presented ticket was refused (for the debug log). */
export type TicketRefusal = 'malformed' | 'expired' | 'bad_signature';

/** Issues and verifies stream tickets. */
export interface StreamTickets {
  /** A ticket for `orgId`'s stream at `path`, valid for the configured lifetime. */
  issue(orgId: string, path: string): string;
  /** The organization of a valid ticket for the stream at `pathOf(orgId)`, or why it is refused. */
  verify(ticket: string, pathOf: (orgId: string) => string): { orgId: string } | { refused: TicketRefusal };
}

/** The signed text: domain, version, path, organization, expiry; NUL cannot occur in a path or an expiry. */
function signed(path: string, orgId: string, expiresAt: number): string {
  return `whatsapp-connector stream ticket v1\u0000${path}\u0000${orgId}\u0000${expiresAt}`;
}

/**
 * Creates the ticket issuer and verifier. Throws a `TypeError` for a secret shorter
 * than {@link MIN_STREAM_TICKET_SECRET_LENGTH} or a lifetime that is not a positive number.
 */
export function createStreamTickets(options: StreamTicketOptions, clock: Clock): StreamTickets {
  const { secret } = options;
  const ttlMs = options.ttlMs ?? DEFAULT_STREAM_TICKET_TTL_MS;
  if (typeof secret !== 'string' || secret.length < MIN_STREAM_TICKET_SECRET_LENGTH) {
    throw new TypeError(`stream.ticket.secret must be a string of at least ${MIN_STREAM_TICKET_SECRET_LENGTH} characters.`);
  }
  if (typeof ttlMs !== 'number' || !(ttlMs > 0) || !Number.isFinite(ttlMs)) {
    throw new TypeError('stream.ticket.ttlMs must be a positive number of milliseconds.');
  }
  const sign = (path: string, orgId: string, expiresAt: number) => base64url(hmacSha256(secret, signed(path, orgId, expiresAt)));

  return {
    issue(orgId, path) {
      const expiresAt = Math.ceil((clock.now() + ttlMs) / 1000);
      return `${base64url(new TextEncoder().encode(orgId))}.${expiresAt.toString(36)}.${sign(path, orgId, expiresAt)}`;
    },
    verify(ticket, pathOf) {
      if (ticket.length > MAX_TICKET_LENGTH) return { refused: 'malformed' };
      const parts = ticket.split('.');
      if (parts.length !== 3) return { refused: 'malformed' };
      const [org, expiry, signature] = parts as [string, string, string];
      const orgBytes = fromBase64url(org);
      const expiresAt = /^[0-9a-z]{1,10}$/.test(expiry) ? parseInt(expiry, 36) : NaN;
      if (orgBytes === null || !Number.isSafeInteger(expiresAt)) return { refused: 'malformed' };
      let orgId: string;
      try {
        orgId = new TextDecoder('utf-8', { fatal: true }).decode(orgBytes);
      } catch {
        return { refused: 'malformed' };
      }
      const check = checkOrganizationId(orgId);
      if (check.kind !== 'organization' || check.orgId !== orgId) return { refused: 'malformed' };
      let path: string;
      try {
        path = pathOf(orgId);
      } catch {
        return { refused: 'malformed' };
      }
      // The signature first: an expiry is only worth reporting on a ticket this server issued.
      if (!timingSafeEqual(signature, sign(path, orgId, expiresAt))) return { refused: 'bad_signature' };
      if (expiresAt * 1000 <= clock.now()) return { refused: 'expired' };
      return { orgId };
    },
  };
}
