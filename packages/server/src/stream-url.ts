import type { Authenticate } from './auth.js';
import { HttpError } from './errors.js';
import type { LogInput } from './logger.js';
import { STREAM_TICKET_PARAM, type StreamTickets } from './stream-ticket.js';

/** The configured stream URL: one for all, or one per organization. */
export type StreamUrl = string | ((orgId: string) => string);

/** What {@link createStreamAddress} needs. */
export interface StreamAddressOptions {
  /** `stream.url` as configured. */
  url: StreamUrl | undefined;
  /** The organization's session endpoint path (the router's base). */
  base: (orgId: string) => string;
  /** Stream tickets, when configured. */
  tickets: StreamTickets | undefined;
  /** Authenticates requests that carry no ticket. */
  authenticate: Authenticate;
  /** Where refused tickets are logged (debug). */
  log: (input: LogInput) => void;
}

/** Where an organization's stream is, and who may open it. */
export interface StreamAddress {
  /** The `stream` URL a session answer of `orgId` advertises (with a fresh ticket when tickets are on). */
  advertised(orgId: string): string;
  /**
   * The organization of a stream request: by its ticket when it carries one (and
   * tickets are on), else by `getOrganizationId`.
   */
  authenticate: Authenticate;
}

/** The path of a configured URL (relative or absolute), the part a ticket is bound to. */
function pathOfUrl(url: string): string {
  return new URL(url, 'http://stream.invalid').pathname;
}

/**
 * The advertised stream URL comes from configuration only — `stream.url`, else the
 * organization's base path plus `/stream` — never from the request, so no request
 * path (`//evil.example/…` through a Fetch-native server) can send a browser to
 * another host's stream.
 */
export function createStreamAddress(options: StreamAddressOptions): StreamAddress {
  const { tickets } = options;
  const configured = (orgId: string): string => {
    const url = options.url;
    if (url === undefined) return `${options.base(orgId)}/stream`;
    return typeof url === 'function' ? url(orgId) : url;
  };
  const pathOf = (orgId: string) => pathOfUrl(configured(orgId));
  return {
    advertised(orgId) {
      const url = configured(orgId);
      if (!tickets) return url;
      const ticket = tickets.issue(orgId, pathOfUrl(url));
      return `${url}${url.includes('?') ? '&' : '?'}${STREAM_TICKET_PARAM}=${ticket}`;
    },
    async authenticate(request) {
      const ticket = tickets ? new URL(request.url).searchParams.get(STREAM_TICKET_PARAM) : null;
      if (ticket === null || !tickets) return options.authenticate(request);
      // A request that presents a ticket is judged by it alone: no fallback to cookies.
      const result = tickets.verify(ticket, pathOf);
      if ('orgId' in result) return result.orgId;
      options.log({ level: 'debug', event: 'stream.ticket_refused', message: 'Refused a stream ticket.', reason: result.refused });
      throw new HttpError(401, 'unauthorized', 'The stream ticket is invalid or expired. Reload the session to get a new one.');
    },
  };
}
