import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { createAuthenticator, DEFAULT_AUTH_TIMEOUT_MS, type OrganizationResolver } from './auth.js';
import { readActionRequest } from './body.js';
import { systemClock, type Clock } from './clock.js';
import { createWahaResolver, normalizeWahaUrl, readEnv, type ResolvedWaha, type WahaConfig, type WahaConfigResolver } from './config.js';
import { HttpError, errorResponse, jsonResponse, toHttpError } from './errors.js';
import { createMemoryBus, type SessionBus } from './bus.js';
import { createMemoryLock, type ActionLock } from './lock.js';
import { guardLock } from './lock-access.js';
import { errorNameOf, safeLogger, type LogInput, type Logger } from './logger.js';
import type { ServerMetrics } from './metrics.js';
import { SessionService, type SessionTransition } from './service.js';
import { DEFAULT_SESSION_PREFIX, orgFromCanonicalName } from './session-name.js';
import { DEFAULT_STORE_TIMEOUT_MS, guardStore } from './store-access.js';
import { createMemoryStore, type SessionStore } from './store.js';
import { createRouter, type BasePath } from './routes.js';
import { createStreamHandler, type StreamOptions } from './stream.js';
import { createStreamTickets } from './stream-ticket.js';
import { createStreamAddress } from './stream-url.js';
import { wahaFields } from './waha-log.js';
import { isWahaError } from './waha/errors.js';
import type { WahaTimeouts } from './waha/client.js';
import type { RetryOptions } from './waha/retry.js';
import type { WahaSessionConfig } from './waha/types.js';
import { createWebhookHandler, ORG_METADATA_KEY, type WebhookOptions } from './webhook.js';
import { WebhookArrivals } from './webhook-arrivals.js';
import { checkOrganizationSecret, webhookRegistration, whoseWebhookSecrets } from './webhook-secrets.js';

/** A Fetch-API handler: what Next.js route handlers, Hono, Bun and Deno call. */
export type FetchHandler = (request: Request) => Promise<Response>;

export type { OrganizationResolver } from './auth.js';

/** Defaults and client settings for every organization's WAHA. */
export interface WahaDefaults extends Partial<WahaConfig> {
  /** Deadline of each WAHA read, in ms (default 10 000; `timeouts.read` wins). */
  timeoutMs?: number;
  /**
   * Deadlines by kind of WAHA call, sized to WAHA's own latencies (default: reads 10 s,
   * the QR 15 s, create / start 20 s, stop / restart / logout / delete 30 s).
   */
  timeouts?: Partial<WahaTimeouts>;
  /** The largest WAHA answer read, in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Retries of idempotent WAHA calls (default 3 attempts, 200 ms doubling, 2 s cap, jittered). */
  retry?: RetryOptions;
  /** A `fetch` for WAHA calls (default: the global one). */
  fetch?: typeof fetch;
}

/**
 * How actions (`reconnect`, `change_number`, `logout`) meet real WAHA, whose lifecycle
 * calls take seconds each (stop ~3 s, unpair ~1 s, WEBJS teardown up to 10 s):
 * a request waits for the outcome at most `answerWithinMs`, then answers the state the
 * session is heading for (`STARTING`) while the action finishes in the background,
 * still single-flight per organization. Its final state reaches the streams and the
 * next poll.
 */
export interface ActionOptions {
  /**
   * Longest wait of an action request, in ms (default 10 000: the client gives up at
   * 15 s). Also the longest wait for another action of the same organization, on any
   * instance, before answering 409 `busy`. `request_code` always waits for its code.
   */
  answerWithinMs?: number;
  /**
   * Keeps an action alive after its request was answered, on hosts that freeze or end
   * the invocation after the response: Next.js `after()`, Vercel's `waitUntil` from
   * `@vercel/functions`, Cloudflare's `ctx.waitUntil` (find your `ctx` by `request`).
   * The promise never rejects. Long-running servers need nothing.
   */
  waitUntil?: (work: Promise<unknown>, request: Request) => void;
}

/** Options of {@link createSessionHandler}. */
export interface SessionHandlerOptions {
  /**
   * The caller's organization, from your authentication (cookies, headers, a session
   * library). Required. A string (1 to 256 characters, no leading or trailing whitespace,
   * no lone surrogate) or a safe integer; `null`, `undefined`, `''` or only whitespace when
   * nobody is signed in (401). Any other value (`NaN`, `false`, an object, a longer or
   * padded string) is refused with 401 too, and logged
   * as `auth.invalid_organization`: it is a bug to fix in your resolver.
   */
  getOrganizationId: OrganizationResolver;
  /** Longest wait for `getOrganizationId`, in ms, before answering 503 `auth_timeout` (default 5 000). */
  authTimeoutMs?: number;
  /**
   * The path of the session endpoint as browsers call it (default
   * `/api/whatsapp/session`). The handler answers `<basePath>`, `<basePath>/stream`
   * and `<basePath>/webhook` and 404 for any other path, and advertises
   * `<basePath>/stream`. A function gives each organization its own path (e.g.
   * `(orgId) => \`/orgs/${orgId}/whatsapp/session\``); requests are then authenticated
   * first and answered 404 off their organization's path.
   */
  basePath?: BasePath;
  /**
   * Where each organization's `SessionRecord` lives (default: in memory, one
   * process, lost on restart). With several instances, one shared store (for example
   * `createPostgresStore` from `@whatsapp-connector/server/postgres`).
   */
  store?: SessionStore;
  /** Longest wait for one store call, in ms, before answering 503 `store_error` (default 5 000). */
  storeTimeoutMs?: number;
  /** How actions meet WAHA's slow lifecycle calls (default: answer within 10 s). */
  actions?: ActionOptions;
  /**
   * Carries session answers to the SSE streams of every instance (default: in
   * process). With several instances, a shared one (for example `createPostgresBus`).
   */
  bus?: SessionBus;
  /**
   * Keeps actions single-flight per organization (default: in process). With several
   * instances, a shared one (for example `createPostgresLock`).
   */
  lock?: ActionLock;
  /** Per-organization WAHA URL and key; missing fields fall back to {@link SessionHandlerOptions.waha}, then to `WAHA_API_URL` / `WAHA_API_KEY`. */
  resolveWahaConfig?: WahaConfigResolver;
  /** Default WAHA URL and key, timeouts and retries. */
  waha?: WahaDefaults;
  /** Session names are `<prefix>_<orgId>` (default `wac`; the original system used `eagles`). */
  sessionPrefix?: string;
  /** Receives structured log records. */
  logger?: Logger;
  /** Called once per observed status change of an organization's session. Must not throw (errors are ignored). */
  onTransition?: (transition: SessionTransition) => void;
  /** Counters shared with the watcher and the metrics handler. */
  metrics?: ServerMetrics;
  /** Server-Sent Events stream of the caller's session at `<endpoint>/stream` (default: off). `true` uses the defaults. */
  stream?: boolean | StreamOptions;
  /**
   * WAHA webhook receiver at `<endpoint>/webhook` (default: off). Throws a `TypeError`
   * when `organizationSecret` is shorter than 32 characters.
   */
  webhook?: WebhookOptions;
  /** Time source (default: real time). */
  clock?: Clock;
}

/**
 * The session endpoint handler. Callable as a Fetch handler for every route it
 * serves (`<basePath>`, `<basePath>/stream`, `<basePath>/webhook`; 404 for any
 * other path), with the parts also available on their own (they route nothing).
 */
export interface SessionHandler extends FetchHandler {
  /** Only the session endpoint (`GET` / `POST`). */
  readonly session: FetchHandler;
  /** Only the SSE stream (answers 404 when streaming is off). */
  readonly stream: FetchHandler;
  /** Only the WAHA webhook receiver (answers 404 when webhooks are off). */
  readonly webhook: FetchHandler;
  /** Ends every open stream and clears its timers. */
  close(): void;
  /** Number of open SSE streams (diagnostics, tests). */
  openStreams(): number;
}

const ALLOW = 'GET, POST';
/** How often an open stream re-reads its organization's session, by default, in ms. */
const DEFAULT_REFRESH_MS = 5_000;
/** How long an action request waits before answering, by default, in ms: the client gives up at 15 s. */
const DEFAULT_ANSWER_WITHIN_MS = 10_000;
export { ORG_METADATA_KEY } from './webhook.js';

/**
 * Creates the session endpoint handler (SPEC section 5 rules over WAHA).
 *
 * @example Next.js (app/api/whatsapp/session/[[...slug]]/route.ts: the session, its stream and the webhook)
 * ```ts
 * const handler = createSessionHandler({ getOrganizationId: async () => (await auth())?.orgId ?? null, stream: true });
 * export const GET = handler;
 * export const POST = handler;
 * export const dynamic = 'force-dynamic';
 * export const runtime = 'nodejs';
 * ```
 */
export function createSessionHandler(options: SessionHandlerOptions): SessionHandler {
  checkOrganizationSecret(options.webhook?.organizationSecret);
  const clock = options.clock ?? systemClock;
  const log = safeLogger(options.logger, () => clock.now());
  const bus = options.bus ?? createMemoryBus();
  const metrics = options.metrics;
  const defaults = options.waha ?? {};
  const prefix = options.sessionPrefix ?? DEFAULT_SESSION_PREFIX;
  /** The server's own WAHA as configured (`waha.url`, else `WAHA_API_URL`), read at each use like the environment. */
  const ownUrl = (): string | undefined => defaults.url ?? readEnv('WAHA_API_URL');
  const resolveWaha = createWahaResolver(
    options.resolveWahaConfig,
    () => ({ url: ownUrl(), apiKey: defaults.apiKey ?? readEnv('WAHA_API_KEY') ?? null }),
    {
      clock,
      ...(defaults.timeoutMs === undefined ? {} : { timeoutMs: defaults.timeoutMs }),
      ...(defaults.timeouts ? { timeouts: defaults.timeouts } : {}),
      ...(defaults.maxBodyBytes === undefined ? {} : { maxBodyBytes: defaults.maxBodyBytes }),
      ...(defaults.retry ? { retry: defaults.retry } : {}),
      ...(defaults.fetch ? { fetch: defaults.fetch } : {}),
      onError: (error) => metrics?.wahaError(error),
    },
  );
  const webhooksFor = webhookRegistration(options.webhook, log);
  const service = new SessionService({
    store: guardStore(options.store ?? createMemoryStore(), { timeoutMs: options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS, clock, log }),
    bus,
    lock: guardLock(options.lock ?? createMemoryLock({ clock }), { log }),
    answerWithinMs: options.actions?.answerWithinMs ?? DEFAULT_ANSWER_WITHIN_MS,
    resolveWaha,
    prefix,
    clock,
    log,
    onTransition: options.onTransition,
    metrics,
    createConfig: (orgId, waha): WahaSessionConfig => {
      const webhooks = webhooksFor(orgId, waha);
      return { metadata: { [ORG_METADATA_KEY]: orgId }, ...(webhooks ? { webhooks } : {}) };
    },
  });

  const router = createRouter(options.basePath);
  const authenticate = createAuthenticator({ resolve: options.getOrganizationId, timeoutMs: options.authTimeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS, clock, log });
  const streamOptions: StreamOptions | undefined = options.stream === true ? {} : options.stream || undefined;
  const streamAddress = createStreamAddress({
    url: streamOptions?.url,
    base: router.base,
    tickets: streamOptions?.ticket ? createStreamTickets(streamOptions.ticket, clock) : undefined,
    authenticate,
    log,
  });
  /** The stream URL an organization's session answers advertise (configuration only, never the request). */
  const advertise = (orgId: string): string | undefined => (streamOptions ? streamAddress.advertised(orgId) : undefined);

  function fail(error: unknown, orgId: string | undefined): Response {
    const http = toHttpError(error);
    if (orgId !== undefined && isWahaError(error)) void service.recordFailure(orgId, http.code);
    const record: LogInput = {
      level: http.status >= 500 ? 'error' : 'warn',
      event: 'request.failed',
      message: http.message,
      code: http.code,
      httpStatus: http.status,
      ...wahaFields(error),
    };
    if (orgId !== undefined) record.orgId = orgId;
    if (!isWahaError(error) && !(error instanceof HttpError)) {
      record.errorName = errorNameOf(error);
    }
    log(record);
    return errorResponse(http);
  }

  const session: FetchHandler = async (request) => {
    let orgId: string | undefined;
    try {
      if (request.method !== 'GET' && request.method !== 'POST') {
        throw new HttpError(405, 'method_not_allowed', `Use ${ALLOW}.`, { allow: ALLOW });
      }
      orgId = await authenticate(request);
      let answer: SessionAnswerWire;
      if (request.method === 'GET') {
        answer = await service.read(orgId, { stream: advertise(orgId) });
      } else {
        const action = await readActionRequest(request);
        const waitUntil = options.actions?.waitUntil;
        answer = await service.act(orgId, action, { stream: advertise(orgId), keepAlive: waitUntil && ((work) => waitUntil(work, request)) });
      }
      return jsonResponse(answer);
    } catch (error) {
      return fail(error, orgId);
    }
  };

  const webhooksOn = Boolean(options.webhook?.token || options.webhook?.hmacKey);
  if (options.webhook?.url && !webhooksOn) {
    log({ level: 'warn', event: 'webhook.misconfigured', message: 'webhook.url is set without token or hmacKey: sessions will register it, but the receiver stays off (404).' });
  }
  const refreshMs = streamOptions?.refreshMs ?? DEFAULT_REFRESH_MS;
  const arrivals = webhooksOn
    ? new WebhookArrivals({ clock, log, webhookUrl: options.webhook?.url, webhookPath: (orgId) => `${router.base(orgId)}/webhook`, refreshMs })
    : undefined;

  /**
   * The organization's WAHA (normalized URL) when a verified webhook can come from it: the
   * receiver is on and the WAHA is given secrets the receiver checks ({@link whoseWebhookSecrets}).
   * `undefined` otherwise (its streams keep reading WAHA, and no `webhook.none_received`
   * warning is due).
   */
  const hearingFrom = (waha: ResolvedWaha): string | undefined =>
    arrivals && whoseWebhookSecrets(options.webhook, waha) !== null ? waha.url : undefined;

  const streamHandler = createStreamHandler({
    options: streamOptions,
    clock,
    hub: bus,
    authenticate: streamAddress.authenticate,
    // Answers on the stream carry no stream URL: the browser keeps the one it opened.
    // The organization's WAHA is resolved once per opening and per refresh, and passed down.
    current: async (orgId) => {
      const waha = await resolveWaha(orgId);
      const answer = await service.read(orgId, { waha });
      const wahaUrl = hearingFrom(waha);
      if (wahaUrl !== undefined) arrivals?.observed(wahaUrl, orgId, answer.status);
      return answer;
    },
    refresh: async (orgId) => {
      try {
        // With webhooks, only until one has arrived from this organization's WAHA: a
        // webhook route answering 404 must not leave the browser without its QR (issue 13).
        const waha = await resolveWaha(orgId);
        const wahaUrl = hearingFrom(waha);
        if (wahaUrl !== undefined && arrivals?.proven(wahaUrl)) return;
        const answer = await service.read(orgId, { waha });
        if (wahaUrl !== undefined) arrivals?.observed(wahaUrl, orgId, answer.status);
      } catch (error) {
        log({ level: 'warn', event: 'stream.refresh_failed', message: 'Refreshing a streamed session failed.', orgId, ...wahaFields(error) });
      }
    },
    defaultRefreshMs: DEFAULT_REFRESH_MS,
    fail,
    log,
  });

  const ownWahaUrl = (): string | undefined => {
    const url = ownUrl();
    return url ? normalizeWahaUrl(url) : undefined;
  };
  const webhookHandler = createWebhookHandler({
    options: options.webhook,
    log,
    resolveOrg: async (sessionName, metadata, wahaUrl) =>
      (await service.organizationOf(sessionName, metadata?.[ORG_METADATA_KEY], wahaUrl)) ?? orgFromCanonicalName(prefix, sessionName),
    wahaOf: resolveWaha,
    ownWahaUrl,
    apply: (orgId, waha, sessionName, status, me, delivery) => {
      arrivals?.verified(waha.url);
      return service.applyStatus(orgId, waha, sessionName, status, me, delivery);
    },
    fail,
  });

  const routes = { session, stream: streamHandler.handle, webhook: webhookHandler };
  const routeAuthenticate = (request: Request, route: string) => (route === 'stream' ? streamAddress.authenticate(request) : authenticate(request));
  let warnedNotFound = false;
  const handler = (async (request: Request) => {
    let route: keyof typeof routes | null;
    try {
      route = await router.route(request, routeAuthenticate);
    } catch (error) {
      return fail(error, undefined);
    }
    if (route) return routes[route](request);
    // Once at warn, for the integrator who mounted the handler elsewhere without `basePath`.
    log({
      level: warnedNotFound ? 'debug' : 'warn',
      event: 'request.not_found',
      message: 'Answered 404 to a path the handler does not serve (set basePath if the handler is mounted elsewhere).',
      path: new URL(request.url).pathname.slice(0, 200),
    });
    warnedNotFound = true;
    return errorResponse(new HttpError(404, 'not_found', 'Not found.'));
  }) as SessionHandler;
  Object.defineProperties(handler, {
    session: { value: session },
    stream: { value: streamHandler.handle },
    webhook: { value: webhookHandler },
    close: {
      value: () => {
        streamHandler.closeAll();
        arrivals?.close();
      },
    },
    openStreams: { value: () => streamHandler.count() },
  });
  return handler;
}
