/**
 * Where the session endpoint is mounted, as browsers call it: one path, or one per
 * organization (`(orgId) => '/orgs/' + orgId + '/whatsapp/session'`).
 */
export type BasePath = string | ((orgId: string) => string);

/** The default mount point: the client's default endpoint. */
export const DEFAULT_BASE_PATH = '/api/whatsapp/session';

/** The routes of the combined handler. */
export type RouteName = 'session' | 'stream' | 'webhook';

const SUFFIXES: ReadonlyArray<readonly [RouteName, string]> = [
  ['stream', '/stream'],
  ['webhook', '/webhook'],
  ['session', ''],
];

/** An origin no real request has: a base path must resolve against it and stay on it. */
const PROBE_ORIGIN = 'http://base-path.invalid';

/**
 * A base path in one spelling, without its trailing slashes (`/` is the root, `''`).
 * Only a path is accepted — a full URL or a protocol-relative `//host` would let the
 * advertised stream URL leave the application's origin, and so would what a browser
 * reads as `//host`: `/\\host`, or `/` + tab or newline + `/host` (the URL parser turns
 * `\\` into `/` and drops tabs and newlines) — a per-organization base path built from
 * an id may hold them.
 */
export function normalizeBasePath(path: unknown): string {
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//') || new URL(path, PROBE_ORIGIN).origin !== PROBE_ORIGIN) {
    throw new TypeError(`basePath must be a path starting with a single "/", like "${DEFAULT_BASE_PATH}".`);
  }
  return path.replace(/\/+$/, '');
}

/** A request's path without trailing slashes; never decoded, so `%2F` stays one segment. */
function pathOf(request: Request): string {
  return new URL(request.url).pathname.replace(/\/+$/, '');
}

/** The combined handler's routing. */
export interface Router {
  /** The organization's base path (normalized). Throws a `TypeError` when a base path function returns no path. */
  base(orgId: string): string;
  /**
   * The route `request` names, or `null` (answer 404). With a per-organization base
   * path the request is authenticated first (`authenticate` of the route it would be)
   * and must be on its own organization's path.
   */
  route(request: Request, authenticate: (request: Request, route: RouteName) => Promise<string>): Promise<RouteName | null>;
}

/**
 * Routes exactly `<base>`, `<base>/stream` and `<base>/webhook` (a trailing slash
 * allowed); every other path is nobody's. The base comes from configuration only,
 * never from the request.
 */
export function createRouter(basePath: BasePath | undefined): Router {
  if (typeof basePath === 'function') {
    const base = (orgId: string) => normalizeBasePath(basePath(orgId));
    return {
      base,
      async route(request, authenticate) {
        const path = pathOf(request);
        // The webhook is WAHA's, not an organization's: its secret, not its path, says who may call it.
        if (path.endsWith('/webhook')) return 'webhook';
        const [name, suffix] = SUFFIXES.find(([, end]) => path.endsWith(end))!;
        const orgId = await authenticate(request, name);
        return path === base(orgId) + suffix ? name : null;
      },
    };
  }
  const fixed = normalizeBasePath(basePath ?? DEFAULT_BASE_PATH);
  return {
    base: () => fixed,
    async route(request) {
      const path = pathOf(request);
      return SUFFIXES.find(([, suffix]) => path === fixed + suffix)?.[0] ?? null;
    },
  };
}
