import type { Clock } from './clock.js';
import { HttpError } from './errors.js';
import { errorNameOf, type LogInput } from './logger.js';
import { MAX_ORGANIZATION_ID_LENGTH } from './session-name.js';

/** The default bound of one `getOrganizationId` call, in ms. */
export const DEFAULT_AUTH_TIMEOUT_MS = 5_000;

/** What the timeout of a resolver call resolves to. */
const TIMED_OUT: unique symbol = Symbol('timed out');

/** Characters of a refused id that a log record may carry. */
const LOGGED_PREFIX_LENGTH = 32;

/** The organization of a request, from the host's own authentication; `null`/`undefined`/`''` means "not signed in" (401). */
export type OrganizationResolver = (
  request: Request,
) => string | number | null | undefined | Promise<string | number | null | undefined>;

/** What a resolver's value means: an organization, nobody signed in, or a value no organization has. */
export type OrganizationCheck =
  | { readonly kind: 'organization'; readonly orgId: string }
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'invalid'; readonly returned: string; readonly fields: Record<string, unknown> };

/**
 * Reads what `getOrganizationId` returned. An organization is a string of 1 to
 * {@link MAX_ORGANIZATION_ID_LENGTH} characters without leading or trailing whitespace
 * (never trimmed into another organization's id), well-formed Unicode (no lone
 * surrogate), or a safe integer.
 * `null`, `undefined` and blank strings mean nobody is signed in. Anything else
 * (`NaN`, `Infinity`, `1.5`, `false`, objects, arrays, an overlong string) is no
 * organization: a bug in the host, described for the log without the value itself.
 */
export function checkOrganizationId(raw: unknown): OrganizationCheck {
  if (raw === null || raw === undefined) return { kind: 'anonymous' };
  if (typeof raw === 'number') {
    if (Number.isSafeInteger(raw)) return { kind: 'organization', orgId: String(raw) };
    return { kind: 'invalid', returned: Number.isNaN(raw) ? 'NaN' : Number.isFinite(raw) ? 'a number that is not a safe integer' : String(raw), fields: {} };
  }
  if (typeof raw !== 'string') {
    const returned = Array.isArray(raw) ? 'an array' : raw === true || raw === false ? String(raw) : `a value of type ${typeof raw}`;
    return { kind: 'invalid', returned, fields: {} };
  }
  const orgId = raw.trim();
  if (orgId === '') return { kind: 'anonymous' };
  if (orgId.length > MAX_ORGANIZATION_ID_LENGTH) {
    return {
      kind: 'invalid',
      returned: `a string of ${orgId.length} characters (at most ${MAX_ORGANIZATION_ID_LENGTH})`,
      fields: { orgIdLength: orgId.length, orgIdPrefix: orgId.slice(0, LOGGED_PREFIX_LENGTH) },
    };
  }
  if (orgId !== raw) {
    // Trimmed, `acme\u3000` (another organization to the host, whose users may choose ids)
    // would be `acme`, with its session: refused, like any value the host must fix.
    return { kind: 'invalid', returned: 'a string with leading or trailing whitespace', fields: { orgIdLength: raw.length } };
  }
  if (LONE_SURROGATE.test(orgId)) {
    // UTF-8 (names' hash, webhook credentials, a PostgreSQL text column) writes a lone
    // surrogate as U+FFFD: `acme\uD800` would be `acme\uFFFD`'s session and row.
    return { kind: 'invalid', returned: 'a string with a lone surrogate (not well-formed Unicode)', fields: { orgIdLength: orgId.length } };
  }
  return { kind: 'organization', orgId };
}

/** A UTF-16 surrogate that is not half of a pair (in `u` mode a pair is one code point). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** What {@link createAuthenticator} needs. */
export interface AuthenticatorOptions {
  /** The host's resolver. */
  resolve: OrganizationResolver;
  /** Bound of one call, in ms. */
  timeoutMs: number;
  /** Time source of the bound. */
  clock: Clock;
  /** Where `auth.*` records go. */
  log: (input: LogInput) => void;
}

/** The organization of a request, or an {@link HttpError}; one call of the resolver per request. */
export type Authenticate = (request: Request) => Promise<string>;

const unauthorized = (): HttpError => new HttpError(401, 'unauthorized', 'Sign in to manage the WhatsApp session.');

/**
 * Wraps `getOrganizationId` so that every route resolves organizations alike:
 * bounded in time (503 `auth_timeout`), a throw is a 500, nobody signed in and
 * a value that is no organization are 401 (the latter logged as the host's bug:
 * failing closed keeps a signed-out visitor, whose id a host may read as `NaN`
 * or `false`, from ever reaching a session). The result is kept per `Request`, so
 * the router and the route it picks share one call.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticate {
  const results = new WeakMap<Request, Promise<string>>();

  async function call(request: Request): Promise<unknown> {
    let timer: unknown;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = options.clock.setTimeout(() => resolve(TIMED_OUT), options.timeoutMs);
    });
    const resolving = Promise.resolve().then(() => options.resolve(request));
    // A late rejection after the timeout must not become an unhandled rejection.
    resolving.catch(() => {});
    try {
      const raw = await Promise.race([resolving, timeout]);
      if (raw !== TIMED_OUT) return raw;
    } catch (error) {
      options.log({ level: 'error', event: 'auth.error', message: 'getOrganizationId threw.', errorName: errorNameOf(error) });
      throw new HttpError(500, 'internal_error', 'Internal error.');
    } finally {
      options.clock.clearTimeout(timer);
    }
    options.log({ level: 'error', event: 'auth.timeout', message: `getOrganizationId did not answer within ${options.timeoutMs} ms.`, timeoutMs: options.timeoutMs });
    throw new HttpError(503, 'auth_timeout', 'Signing in took too long. Try again shortly.');
  }

  async function authenticate(request: Request): Promise<string> {
    const check = checkOrganizationId(await call(request));
    if (check.kind === 'organization') return check.orgId;
    if (check.kind === 'invalid') {
      options.log({
        level: 'error',
        event: 'auth.invalid_organization',
        message: `getOrganizationId returned ${check.returned}; return an organization id (a string or a safe integer), or null when nobody is signed in. Answered 401.`,
        returned: check.returned,
        ...check.fields,
      });
    }
    throw unauthorized();
  }

  return (request) => {
    let result = results.get(request);
    if (!result) {
      result = authenticate(request);
      results.set(request, result);
    }
    return result;
  };
}
