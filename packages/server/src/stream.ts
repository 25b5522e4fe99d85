import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import type { SessionBus } from './bus.js';
import type { Clock, TimerHandle } from './clock.js';
import { HttpError, errorResponse } from './errors.js';
import type { LogInput } from './logger.js';
import { DEFAULT_MAX_QUEUED_BYTES, DEFAULT_MAX_STREAMS, DEFAULT_MAX_STREAMS_PER_ORGANIZATION, StreamSlots } from './stream-limits.js';
import { StreamRefreshers } from './stream-refresh.js';
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
   * `0` turns it off. Default: 5 000. With the webhook receiver on, an
   * organization's refresh stops once a verified webhook has arrived from its WAHA
   * (in this process): WAHA's `session.status` events, re-sent on every QR change,
   * then do the job — and a webhook route that never receives anything no longer
   * leaves the QR frozen (a `webhook.none_received` warning says so, once).
   */
  refreshMs?: number;
  /**
   * Streams one organization may hold open at once (default 20). One more is
   * answered `429 rate_limited` with `Retry-After`; the widget then polls.
   */
  maxStreamsPerOrganization?: number;
  /** Streams this process may hold open at once, all organizations together (default 2 000); beyond, `429`. */
  maxStreams?: number;
  /**
   * Bytes a stream may hold for a reader that does not keep up (default 64 KiB).
   * Past that the stream is dropped, not buffered: the browser reconnects and
   * gets the current state (answers are state, so nothing is lost).
   */
  maxQueuedBytes?: number;
}

/** What the stream handler needs from the session handler. */
export interface StreamDependencies {
  options: StreamOptions | undefined;
  clock: Clock;
  /** Where the organizations' answers arrive (the handler's {@link SessionBus}). */
  hub: Pick<SessionBus, 'subscribe' | 'onResync'>;
  authenticate: (request: Request) => Promise<string>;
  current: (orgId: string, request: Request) => Promise<SessionAnswerWire>;
  /** Re-reads an organization's session (publishing it on the bus); used by the refresher. */
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
  /** Number of open streams (of `orgId`, or all), those still opening included. */
  count: (orgId?: string) => number;
}

/** The response headers of an event stream. */
export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store, no-transform',
  'x-accel-buffering': 'no',
  'x-content-type-options': 'nosniff',
});

/** One open stream, as the handler sees it. */
interface Connection {
  /** Ends the stream normally. */
  close: () => void;
  /** Re-sends the current state (the bus may have lost answers). */
  resync: () => void;
}

/**
 * Creates the SSE stream of the caller's organization session: the current
 * answer on connect, then every answer that differs from the last one sent
 * (published by GETs, actions and webhooks), plus a comment heartbeat. Streams
 * are capped per organization and in total, and a reader that falls behind by
 * more than `maxQueuedBytes` is dropped. Everything is released when the client
 * disconnects (request aborted or stream cancelled).
 */
export function createStreamHandler(deps: StreamDependencies): StreamHandler {
  const open = new Set<Connection>();
  const encoder = new TextEncoder();
  const refreshers = new StreamRefreshers(deps.clock, deps.refresh);
  const options = deps.options;
  const slots = new StreamSlots({
    perOrganization: options?.maxStreamsPerOrganization ?? DEFAULT_MAX_STREAMS_PER_ORGANIZATION,
    total: options?.maxStreams ?? DEFAULT_MAX_STREAMS,
  });
  const maxQueuedBytes = options?.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
  let stopResync: (() => void) | undefined;

  /** Listens for bus resyncs while any stream is open. */
  function track(connection: Connection): void {
    open.add(connection);
    stopResync ??= deps.hub.onResync(() => {
      for (const each of [...open]) each.resync();
    });
  }
  function untrack(connection: Connection): void {
    open.delete(connection);
    if (open.size > 0 || !stopResync) return;
    stopResync();
    stopResync = undefined;
  }

  async function handle(request: Request): Promise<Response> {
    if (!options) return errorResponse(new HttpError(404, 'not_found', 'Streaming is not enabled on this server.'));
    if (request.method !== 'GET') {
      return errorResponse(new HttpError(405, 'method_not_allowed', 'Use GET.', { allow: 'GET' }));
    }
    let orgId: string | undefined;
    let release: () => void = () => {};
    let initial: SessionAnswerWire;
    try {
      slots.checkTotal(); // a full server refuses before spending an authentication on it
      orgId = await deps.authenticate(request);
      release = slots.acquire(orgId);
      initial = await deps.current(orgId, request);
    } catch (error) {
      release();
      return deps.fail(error, orgId);
    }
    const org = orgId;
    const heartbeatMs = options.heartbeatMs ?? 15_000;
    let closed = false;
    let timer: TimerHandle | undefined;
    let unsubscribe: () => void = () => {};
    let leaveRefresher: () => void = () => {};
    let lastSent = '';
    let end: (how: 'close' | 'drop') => void = () => {};
    const connection: Connection = { close: () => end('close'), resync: () => {} };

    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          const queued = (): number => maxQueuedBytes - (controller.desiredSize ?? 0);
          const write = (text: string): void => {
            if (closed) return;
            try {
              controller.enqueue(encoder.encode(text));
            } catch {
              end('close');
              return;
            }
            // The reader is that far behind: drop it rather than buffer for it.
            if (queued() > maxQueuedBytes) end('drop');
          };
          const send = (answer: SessionAnswerWire): void => {
            const json = JSON.stringify(answer);
            if (json === lastSent) return;
            lastSent = json;
            write(`data: ${json}\n\n`);
          };
          const beat = (): void => {
            // Bytes are already waiting: a heartbeat would only add to them.
            if (queued() === 0) write(': heartbeat\n\n');
            if (!closed) timer = deps.clock.setTimeout(beat, heartbeatMs);
          };
          end = (how) => {
            if (closed) return;
            closed = true;
            const waiting = queued();
            if (timer !== undefined) deps.clock.clearTimeout(timer);
            unsubscribe();
            leaveRefresher();
            release();
            untrack(connection);
            request.signal.removeEventListener('abort', connection.close);
            try {
              // Erroring discards what the slow reader left queued; closing lets it drain.
              if (how === 'drop') controller.error(new Error('The stream reader fell behind.'));
              else controller.close();
            } catch {
              // Already closed or errored by the runtime.
            }
            if (how === 'drop') {
              deps.log({ level: 'warn', event: 'stream.dropped', message: 'Dropped a stream whose reader fell behind.', orgId: org, queuedBytes: waiting });
            } else {
              deps.log({ level: 'debug', event: 'stream.closed', message: 'Session stream closed.', orgId: org });
            }
          };
          connection.resync = () => {
            deps.current(org, request).then(send, () => {
              // Logged by the handler; the next answer on the bus catches up.
            });
          };
          write(`retry: ${options.retryMs ?? 5_000}\n\n`);
          send(initial);
          unsubscribe = deps.hub.subscribe(org, send);
          leaveRefresher = refreshers.join(org, options.refreshMs ?? deps.defaultRefreshMs);
          timer = deps.clock.setTimeout(beat, heartbeatMs);
          track(connection);
          if (request.signal.aborted) end('close');
          else request.signal.addEventListener('abort', connection.close);
          deps.log({ level: 'debug', event: 'stream.opened', message: 'Session stream opened.', orgId: org });
        },
        cancel() {
          end('close');
        },
      },
      // Counts bytes, so that `desiredSize` says how far behind the reader is.
      new ByteLengthQueuingStrategy({ highWaterMark: maxQueuedBytes }),
    );
    return new Response(body, { status: 200, headers: SSE_HEADERS });
  }

  return {
    handle,
    closeAll() {
      for (const connection of [...open]) connection.close();
    },
    count: (orgId) => slots.count(orgId),
  };
}
