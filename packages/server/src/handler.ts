import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { readActionRequest } from './body.js';
import { systemClock, type Clock } from './clock.js';
import { createWahaResolver, readEnv, type WahaConfig, type WahaConfigResolver } from './config.js';
import { HttpError, errorResponse, jsonResponse, toHttpError } from './errors.js';
import { SessionHub } from './hub.js';
import { safeLogger, type LogInput, type Logger } from './logger.js';
import type { ServerMetrics } from './metrics.js';
import { SessionService, type SessionTransition } from './service.js';
import { DEFAULT_SESSION_PREFIX, orgFromCanonicalName } from './session-name.js';
import { createMemoryStore, type SessionStore } from './store.js';
import { createStreamHandler, type StreamOptions } from './stream.js';
import { isWahaError } from './waha/errors.js';
import type { RetryOptions } from './waha/retry.js';
import type { WahaSessionConfig, WahaWebhookConfig } from './waha/types.js';
import { createWebhookHandler, type WebhookOptions } from './webhook.js';

/** A Fetch-API handler: what Next.js route handlers, Hono, Bun and Deno call. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** The organization of a request, from the host's own authentication; `null`/`undefined`/`''` means "not signed in" (401). */
export type OrganizationResolver = (
  request: Request,
) => string | number | null | undefined | Promise<string | number | null | undefined>;

/** Defaults and client settings for every organization's WAHA. */
export interface WahaDefaults extends Partial<WahaConfig> {
  /** Timeout of each WAHA call attempt, in ms (default 10 000). */
  timeoutMs?: number;
  /** Retries of idempotent WAHA calls (default 3 attempts, 200 ms doubling, 2 s cap, jittered). */
  retry?: RetryOptions;
  /** A `fetch` for WAHA calls (default: the global one). */
  fetch?: typeof fetch;
}

/** Options of {@link createSessionHandler}. */
export interface SessionHandlerOptions {
  /** The caller's organization, from your authentication (cookies, headers, a session library). Required. */
  getOrganizationId: OrganizationResolver;
  /** Where `{ sessionName, connected }` is persisted per organization (default: in memory). */
  store?: SessionStore;
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
  /** WAHA webhook receiver at `<endpoint>/webhook` (default: off). */
  webhook?: WebhookOptions;
  /** Time source (default: real time). */
  clock?: Clock;
}

/**
 * The session endpoint handler. Callable as a Fetch handler for every route it
 * serves (dispatching on the last path segment: `…/stream`, `…/webhook`, else the
 * session endpoint), with the parts also available on their own.
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
/** Metadata key carrying the organization id on every session we create (WAHA echoes it in webhooks). */
export const ORG_METADATA_KEY = 'whatsapp-connector.orgId';

/** The webhook every created session registers, when `webhook.url` is set. */
function webhookConfig(webhook: WebhookOptions | undefined): WahaWebhookConfig[] | undefined {
  if (!webhook?.url) return undefined;
  return [
    {
      url: webhook.url,
      events: ['session.status'],
      ...(webhook.token ? { customHeaders: [{ name: 'X-Webhook-Token', value: webhook.token }] } : {}),
      ...(webhook.hmacKey ? { hmac: { key: webhook.hmacKey } } : {}),
    },
  ];
}

function lastSegment(request: Request): string {
  const path = new URL(request.url).pathname.replace(/\/+$/, '');
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Creates the session endpoint handler (SPEC section 5 rules over WAHA).
 *
 * @example Next.js (app/api/whatsapp/session/route.ts)
 * ```ts
 * const handler = createSessionHandler({ getOrganizationId: async () => (await auth())?.orgId ?? null });
 * export const GET = handler;
 * export const POST = handler;
 * ```
 */
export function createSessionHandler(options: SessionHandlerOptions): SessionHandler {
  const clock = options.clock ?? systemClock;
  const log = safeLogger(options.logger, () => clock.now());
  const hub = new SessionHub();
  const metrics = options.metrics;
  const defaults = options.waha ?? {};
  const prefix = options.sessionPrefix ?? DEFAULT_SESSION_PREFIX;
  const resolveWaha = createWahaResolver(
    options.resolveWahaConfig,
    () => ({ url: defaults.url ?? readEnv('WAHA_API_URL'), apiKey: defaults.apiKey ?? readEnv('WAHA_API_KEY') ?? null }),
    {
      clock,
      ...(defaults.timeoutMs === undefined ? {} : { timeoutMs: defaults.timeoutMs }),
      ...(defaults.retry ? { retry: defaults.retry } : {}),
      ...(defaults.fetch ? { fetch: defaults.fetch } : {}),
      onError: (error) => metrics?.wahaError(error),
    },
  );
  const webhookRegistration = webhookConfig(options.webhook);
  const service = new SessionService({
    store: options.store ?? createMemoryStore(),
    resolveWaha,
    prefix,
    clock,
    log,
    hub,
    onTransition: options.onTransition,
    metrics,
    createConfig: (orgId): WahaSessionConfig => ({
      metadata: { [ORG_METADATA_KEY]: orgId },
      ...(webhookRegistration ? { webhooks: webhookRegistration } : {}),
    }),
  });

  const streamOptions: StreamOptions | undefined = options.stream === true ? {} : options.stream || undefined;
  // Per organization: with the organization in the endpoint path (`/orgs/:id/whatsapp/session`)
  // each one has its own stream URL, and answers produced without a request (stream
  // refreshes, webhooks) must advertise that organization's URL, never the last caller's.
  const streamUrls = new Map<string, string>();
  /** The advertised stream URL: configured, else the session endpoint's path plus `/stream`. */
  const advertise = (orgId: string, request: Request, viaStream = false): string | undefined => {
    if (!streamOptions) return undefined;
    if (streamOptions.url) return streamOptions.url;
    let path = new URL(request.url).pathname.replace(/\/+$/, '');
    if (viaStream) path = path.slice(0, path.lastIndexOf('/'));
    const url = `${path}/stream`;
    streamUrls.set(orgId, url);
    return url;
  };
  /** The stream URL last advertised to `orgId`, for answers produced without a request. */
  const advertisedTo = (orgId: string): string | undefined => streamOptions?.url ?? streamUrls.get(orgId);

  function fail(error: unknown, orgId: string | undefined): Response {
    const http = toHttpError(error);
    const record: LogInput = {
      level: http.status >= 500 ? 'error' : 'warn',
      event: 'request.failed',
      message: http.message,
      code: http.code,
      httpStatus: http.status,
    };
    if (orgId !== undefined) record.orgId = orgId;
    if (isWahaError(error)) {
      record.errorKind = error.kind;
      if (error.status !== undefined) record.wahaStatus = error.status;
    } else if (!(error instanceof HttpError)) {
      record.errorName = error instanceof Error ? error.name : typeof error;
    }
    log(record);
    return errorResponse(http);
  }

  async function authenticate(request: Request): Promise<string> {
    let raw: Awaited<ReturnType<OrganizationResolver>>;
    try {
      raw = await options.getOrganizationId(request);
    } catch (error) {
      log({ level: 'error', event: 'auth.error', message: 'getOrganizationId threw.', errorName: error instanceof Error ? error.name : typeof error });
      throw new HttpError(500, 'internal_error', 'Internal error.');
    }
    if (raw === null || raw === undefined || String(raw).trim() === '') {
      throw new HttpError(401, 'unauthorized', 'Sign in to manage the WhatsApp session.');
    }
    return String(raw).trim();
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
        answer = await service.read(orgId, advertise(orgId, request));
      } else {
        const action = await readActionRequest(request);
        answer = await service.act(orgId, action, advertise(orgId, request));
      }
      return jsonResponse(answer);
    } catch (error) {
      return fail(error, orgId);
    }
  };

  const streamHandler = createStreamHandler({
    options: streamOptions,
    clock,
    hub,
    authenticate,
    current: (orgId, request) => service.read(orgId, advertise(orgId, request, true)),
    refresh: async (orgId) => {
      try {
        await service.read(orgId, advertisedTo(orgId));
      } catch (error) {
        log({ level: 'warn', event: 'stream.refresh_failed', message: 'Refreshing a streamed session failed.', orgId, ...(isWahaError(error) ? { errorKind: error.kind, ...(error.status === undefined ? {} : { wahaStatus: error.status }) } : {}) });
      }
    },
    defaultRefreshMs: options.webhook && (options.webhook.token || options.webhook.hmacKey) ? 0 : 5_000,
    fail,
    log,
  });

  const webhookHandler = createWebhookHandler({
    options: options.webhook,
    log,
    resolveOrg: (sessionName, metadata) =>
      metadata?.[ORG_METADATA_KEY] ?? service.orgOfSession(sessionName) ?? orgFromCanonicalName(prefix, sessionName),
    apply: (orgId, sessionName, status, me) => service.applyStatus(orgId, sessionName, status, me, advertisedTo(orgId)),
    fail,
  });

  const handler = (async (request: Request) => {
    switch (lastSegment(request)) {
      case 'stream':
        return streamHandler.handle(request);
      case 'webhook':
        return webhookHandler(request);
      default:
        return session(request);
    }
  }) as SessionHandler;
  Object.defineProperties(handler, {
    session: { value: session },
    stream: { value: streamHandler.handle },
    webhook: { value: webhookHandler },
    close: { value: () => streamHandler.closeAll() },
    openStreams: { value: () => streamHandler.count() },
  });
  return handler;
}
