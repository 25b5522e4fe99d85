import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import type { Clock, TimerHandle } from './clock.js';
import { HttpError, errorResponse } from './errors.js';
import type { SessionHub } from './hub.js';
import type { LogInput } from './logger.js';
import type { StreamTicketOptions } from './stream-ticket.js';
import type { StreamUrl } from './stream-url.js';

/** Options of the Server-Sent Events stream of a session. */
export interface StreamOptions {
  /**
   * The stream URL advertised in session answers as `stream`. Default: the
   * handler's `basePath` plus `/stream` (e.g. `/api/whatsapp/session/stream`).
   * Set it when you mount `handler.stream` anywhere else; a function gives each
   * organization its own. Never derived from the request.
   */
  url?: StreamUrl;
  /**
   * Signed, short-lived stream tickets for applications that authenticate with a
   * header: the advertised URL then carries `?ticket=…`, which the stream endpoint
   * accepts instead of `getOrganizationId` (see {@link StreamTicketOptions}).
   */
  ticket?: StreamTicketOptions;
  /** Interval of the comment heartbeat that keeps proxies from closing the stream, in ms (default 15 000). */
  heartbeatMs?: number;
  /** The `retry:` hint sent to `EventSource` for reconnection, in ms (default 5 000). */
  retryMs?: number;
  /**
   * While an organization has an open stream, the server re-reads its session
   * this often (one shared read per organization, not one per stream), so that
   * QR rotations and status changes reach the stream without webhooks. In ms;
   * `0` turns it off. Default: 5 000 without the webhook receiver, off with it
   * (WAHA's `session.status` events, re-sent on every QR change, do the job).
   */
  refreshMs?: number;
}

/** What the stream handler needs from the session handler. */
export interface StreamDependencies {
  options: StreamOptions | undefined;
  clock: Clock;
  hub: SessionHub;
  authenticate: (request: Request) => Promise<string>;
  current: (orgId: string, request: Request) => Promise<SessionAnswerWire>;
  /** Re-reads an organization's session (publishing it to the hub); used by the refresher. */
  refresh: (orgId: string) => Promise<unknown>;
  /** The refresh interval when `options.refreshMs` is not set. */
  defaultRefreshMs: number;
  fail: (error: unknown, orgId: string | undefined) => Response;
  log: (input: LogInput) => void;
}

/** The stream handler and a way to end every open stream. */
export interface StreamHandler {
  /** Answers `GET <endpoint>/stream` with `text/event-stream`. */
  handle: (request: Request) => Promise<Response>;
  /** Closes every open stream (server shutdown, tests). */
  closeAll: () => void;
  /** Number of open streams. */
  count: () => number;
}

/** The response headers of an event stream. */
export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store, no-transform',
  'x-accel-buffering': 'no',
  'x-content-type-options': 'nosniff',
});

/**
 * Creates the SSE stream of the caller's organization session: the current
 * answer on connect, then every answer that differs from the last one sent
 * (published by GETs, actions and webhooks), plus a comment heartbeat. Everything
 * is released when the client disconnects (request aborted or stream cancelled).
 */
export function createStreamHandler(deps: StreamDependencies): StreamHandler {
  const open = new Set<() => void>();
  const encoder = new TextEncoder();
  const refreshers = new Map<string, { streams: number; timer: TimerHandle | undefined }>();

  /** Starts (first stream of `orgId`) or joins the organization's refresher; returns its release. */
  function joinRefresher(orgId: string, everyMs: number): () => void {
    if (everyMs <= 0) return () => {};
    let refresher = refreshers.get(orgId);
    if (!refresher) {
      const state: { streams: number; timer: TimerHandle | undefined } = { streams: 0, timer: undefined };
      const tick = (): void => {
        state.timer = undefined;
        deps
          .refresh(orgId)
          .catch(() => {
            // Logged by the handler; the next tick tries again.
          })
          .finally(() => {
            if (refreshers.get(orgId) === state) state.timer = deps.clock.setTimeout(tick, everyMs);
          });
      };
      state.timer = deps.clock.setTimeout(tick, everyMs);
      refreshers.set(orgId, state);
      refresher = state;
    }
    const joined = refresher;
    joined.streams++;
    return () => {
      joined.streams--;
      if (joined.streams > 0 || refreshers.get(orgId) !== joined) return;
      refreshers.delete(orgId);
      if (joined.timer !== undefined) deps.clock.clearTimeout(joined.timer);
    };
  }

  async function handle(request: Request): Promise<Response> {
    const options = deps.options;
    if (!options) return errorResponse(new HttpError(404, 'not_found', 'Streaming is not enabled on this server.'));
    if (request.method !== 'GET') {
      return errorResponse(new HttpError(405, 'method_not_allowed', 'Use GET.', { allow: 'GET' }));
    }
    let orgId: string | undefined;
    let initial: SessionAnswerWire;
    try {
      orgId = await deps.authenticate(request);
      initial = await deps.current(orgId, request);
    } catch (error) {
      return deps.fail(error, orgId);
    }
    const org = orgId;
    const heartbeatMs = options.heartbeatMs ?? 15_000;
    let closed = false;
    let timer: TimerHandle | undefined;
    let unsubscribe: () => void = () => {};
    let leaveRefresher: () => void = () => {};
    let lastSent = '';
    let cleanup: () => void = () => {};

    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const write = (text: string): void => {
          if (closed) return;
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            cleanup();
          }
        };
        const send = (answer: SessionAnswerWire): void => {
          const json = JSON.stringify(answer);
          if (json === lastSent) return;
          lastSent = json;
          write(`data: ${json}\n\n`);
        };
        const beat = (): void => {
          write(': heartbeat\n\n');
          if (!closed) timer = deps.clock.setTimeout(beat, heartbeatMs);
        };
        cleanup = () => {
          if (closed) return;
          closed = true;
          if (timer !== undefined) deps.clock.clearTimeout(timer);
          unsubscribe();
          leaveRefresher();
          open.delete(cleanup);
          request.signal.removeEventListener('abort', cleanup);
          try {
            controller.close();
          } catch {
            // Already closed or errored by the runtime.
          }
          deps.log({ level: 'debug', event: 'stream.closed', message: 'Session stream closed.', orgId: org });
        };
        write(`retry: ${options.retryMs ?? 5_000}\n\n`);
        send(initial);
        unsubscribe = deps.hub.subscribe(org, send);
        leaveRefresher = joinRefresher(org, options.refreshMs ?? deps.defaultRefreshMs);
        timer = deps.clock.setTimeout(beat, heartbeatMs);
        open.add(cleanup);
        if (request.signal.aborted) cleanup();
        else request.signal.addEventListener('abort', cleanup);
        deps.log({ level: 'debug', event: 'stream.opened', message: 'Session stream opened.', orgId: org });
      },
      cancel() {
        cleanup();
      },
    });
    return new Response(body, { status: 200, headers: SSE_HEADERS });
  }

  return {
    handle,
    closeAll() {
      for (const close of [...open]) close();
    },
    count: () => open.size,
  };
}
