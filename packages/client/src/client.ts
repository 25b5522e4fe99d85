import type { ActionResult, SessionClient, SessionClientEventMap, SessionClientEventName } from './client-types.js';
import { nextPollDelay, type PollDelay } from './cadence.js';
import { resolveOptions } from './config.js';
import { SessionError } from './contract/errors.js';
import type { ParseResult } from './contract/parse.js';
import type { SessionAction, SessionActionRequest, SessionAnswer } from './contract/types.js';
import { createEmitter } from './emitter.js';
import { deriveEvents, type ClientEvent } from './events.js';
import { initialState, isStale, reduce, stalledAt, type AnswerSource, type MachineEvent, type MachineState } from './machine.js';
import type { LogLevel, SessionClientOptions, TimerHandle } from './options.js';
import { createPoller } from './poller.js';
import type { SessionSnapshot } from './snapshot.js';
import type { StreamLink } from './stream.js';
import { causeMessage, createTransport } from './transport.js';

/** Loads the push-stream module (a separate chunk: only clients offered a stream download it). */
export type StreamModuleLoader = () => Promise<typeof import('./stream.js')>;

interface PendingAction {
  readonly key: string;
  readonly seq: number;
  readonly action: SessionAction;
  readonly controller: AbortController;
  readonly promise: Promise<ActionResult>;
}

/**
 * Creates a headless session client for one endpoint: it polls the session
 * with the spec's cadence, backs off on failures, pauses while the page is
 * hidden, follows a push stream when the backend offers one, and sends
 * actions only when asked to. It never restarts a session by itself.
 *
 * Nothing is sent before {@link SessionClient.start} (or `autoStart: true`).
 *
 * @example
 * ```ts
 * import { createSessionClient } from '@whatsapp-connector/client';
 *
 * const client = createSessionClient({ endpoint: '/api/whatsapp/session' });
 * client.subscribe((snapshot) => render(snapshot));
 * client.on('connected', ({ me }) => console.log('linked', me?.id));
 * client.start();
 * ```
 */
export function createSessionClient(options: SessionClientOptions = {}): SessionClient {
  return createClient(options, () => import('./stream.js'));
}

/**
 * {@link createSessionClient} with the stream module's loader injected, so tests
 * can make it slow or fail. Not exported by the package.
 *
 * @internal
 */
export function createClient(options: SessionClientOptions, loadStream: StreamModuleLoader): SessionClient {
  const config = resolveOptions(options);
  const { endpoint, timers, logger } = config;
  const now = () => timers.now();
  const transport = createTransport(config);

  let state: MachineState = initialState;
  let published: SessionSnapshot = state.snapshot;
  let queuedEvents: ClientEvent[] = [];
  let flushing = false;
  let flushAgain = false;
  let seq = 0;
  let disposed = false;
  let pending: PendingAction | null = null;
  let lastDelay: PollDelay | null = null;
  const listener = (where: string) => (error: unknown) =>
    log('error', 'listener.failed', { listener: where, errorMessage: causeMessage(error) }, where);
  const snapshots = createEmitter<SessionSnapshot>({ onError: listener('subscribe') });
  const events = createEmitter<ClientEvent>({ onError: (error, event) => listener(event.name)(error) });
  const warnedStatuses = new Set<string>();
  /** The timer of the next `tick` the machine waits for (see `stalledAt`), and its moment. */
  let tick: { at: number; handle: TimerHandle } | null = null;

  /**
   * Sends one structured record to the logger. The message is built from the
   * event name ("poll.failed" → "poll failed") and an optional detail, so that
   * the bundle carries no sentence per event (size budget).
   */
  function log(level: LogLevel, event: string, fields: Record<string, unknown> = {}, detail?: string): void {
    if (logger === undefined) return;
    const message = event.replace('.', ' ') + (detail === undefined ? '' : `: ${detail}`);
    try {
      logger({ ...fields, level, event, message, time: now(), endpoint });
    } catch {
      // A failing logger must not break polling.
    }
  }

  function dispatch(event: MachineEvent): void {
    const prev = state;
    const next = reduce(prev, event);
    if (config.inspect !== undefined) {
      try {
        config.inspect({ event, prev: prev.snapshot, next: next.snapshot });
      } catch (error) {
        listener('inspect')(error);
      }
    }
    if (next === prev) return;
    state = next;
    scheduleTick();
    queuedEvents.push(...deriveEvents(prev.snapshot, next.snapshot, event));
    const from = prev.snapshot.status;
    const to = next.snapshot.status;
    if (to !== null && to !== from) {
      log('info', 'status.changed', { from, to, phase: next.snapshot.phase }, `${from} → ${to}`);
    }
  }

  /** Keeps one timer on the moment the machine's time rule waits for, so `stalled` turns at that exact millisecond. */
  function scheduleTick(): void {
    const at = stalledAt(state);
    if (at === (tick?.at ?? null)) return;
    if (tick !== null) timers.clearTimeout(tick.handle);
    tick =
      at === null
        ? null
        : {
            at,
            handle: timers.setTimeout(() => {
              tick = null;
              dispatch({ type: 'tick', at: now() });
              flush();
            }, at - now()),
          };
  }

  /** Publishes the snapshot and the queued events, once per batch of dispatches. */
  function flush(): void {
    if (flushing) {
      flushAgain = true;
      return;
    }
    flushing = true;
    try {
      do {
        flushAgain = false;
        if (state.snapshot !== published) {
          published = state.snapshot;
          snapshots.emit(published);
        }
        const queued = queuedEvents;
        queuedEvents = [];
        for (const event of queued) events.emit(event);
      } while (flushAgain || queuedEvents.length > 0 || state.snapshot !== published);
    } finally {
      flushing = false;
    }
  }

  function applyAnswer(answer: SessionAnswer, source: AnswerSource, requestSeq: number, action?: SessionAction): void {
    dispatch({ type: 'answer', at: now(), seq: requestSeq, source, answer, action });
    if (answer.status === 'UNKNOWN' && !warnedStatuses.has(answer.rawStatus)) {
      warnedStatuses.add(answer.rawStatus);
      log('warn', 'status.unknown', { rawStatus: answer.rawStatus }, answer.rawStatus);
    }
    if (answer.stream !== null && EventSourceCtor !== undefined && poller.running) connectStream(answer.stream);
  }

  function applyFailure(error: SessionError, source: 'poll' | 'action', requestSeq: number, action?: SessionAction): void {
    dispatch({ type: 'failure', at: now(), seq: requestSeq, source, error, action });
    // Retrying cannot fix a refusal: the stream would only fail again and again.
    if (error.code === 'unauthorized') closeStream();
    const fields: Record<string, unknown> = { errorCode: error.code, httpStatus: error.httpStatus, consecutiveFailures: state.snapshot.consecutiveFailures };
    if (action !== undefined) fields.action = action;
    log(error.code === 'unauthorized' ? 'error' : 'warn', `${source}.failed`, fields, error.message);
  }

  async function poll(signal: AbortSignal): Promise<void> {
    const requestSeq = ++seq;
    dispatch({ type: 'request', at: now(), seq: requestSeq, action: null });
    log('debug', 'poll.sent', { seq: requestSeq });
    const result = await transport.get(signal);
    if (disposed) return;
    if (!result.ok && result.error.code === 'aborted') {
      log('debug', 'poll.aborted', { seq: requestSeq });
      return;
    }
    if (isStale(state, requestSeq)) {
      log('debug', 'poll.discarded', { seq: requestSeq });
      return;
    }
    if (result.ok) applyAnswer(result.answer, 'poll', requestSeq);
    else applyFailure(result.error, 'poll', requestSeq);
  }

  const poller = createPoller({
    timers,
    visibility: config.visibility,
    poll,
    nextDelay() {
      // The resolved options are a CadenceConfig (cadence, backoff, streamFallbackMs, random).
      lastDelay = nextPollDelay(state.snapshot, config);
      return lastDelay?.delayMs ?? null;
    },
    onSchedule(nextPollAt) {
      if (disposed) return;
      if (nextPollAt !== null && nextPollAt !== state.snapshot.nextPollAt && lastDelay !== null) {
        log('debug', 'poll.scheduled', { ...lastDelay });
      }
      dispatch({ type: 'schedule', at: now(), nextPollAt });
      flush();
    },
    onVisibilityChange(visible) {
      log('debug', visible ? 'page.visible' : 'page.hidden');
      if (visible) stream?.resume();
      else stream?.suspend();
    },
  });

  // The stream module is loaded on the first answer that offers a stream, once per
  // client. `streamUrl` is what the stream should follow (null: nothing, e.g. after
  // stop()); a load that lands late reads it, so it opens only what is still wanted.
  const EventSourceCtor = config.stream ? config.EventSource : undefined;
  let stream: StreamLink | null = null;
  let streamUrl: string | null = null;
  let streamLoading = false;
  let streamLoadFailed = false;

  function connectStream(url: string): void {
    streamUrl = url;
    if (stream !== null) stream.connect(url);
    else if (!streamLoading) void loadStreamLink();
  }

  function closeStream(): void {
    streamUrl = null;
    stream?.close();
  }

  async function loadStreamLink(): Promise<void> {
    streamLoading = true;
    let module: Awaited<ReturnType<StreamModuleLoader>>;
    try {
      module = await loadStream();
    } catch (error) {
      // Polling goes on at the normal cadence; the next answer offering a stream loads
      // again. Browsers may keep failing the same import, so only the first failure warns.
      if (!disposed) log(streamLoadFailed ? 'debug' : 'warn', 'stream.failed', { url: streamUrl, errorMessage: causeMessage(error) }, causeMessage(error));
      streamLoadFailed = true;
      return;
    } finally {
      streamLoading = false;
    }
    if (disposed || EventSourceCtor === undefined) return;
    stream = module.createStreamLink({
      endpoint,
      EventSource: EventSourceCtor,
      withCredentials: config.credentials === 'include',
      timers,
      backoff: config.backoff,
      random: config.random,
      onOpenChange(open) {
        dispatch({ type: 'stream', at: now(), open });
        poller.reschedule();
        flush();
      },
      onMessage: onPushMessage,
      log,
    });
    if (streamUrl === null) return;
    // The page was hidden while the module loaded: remember the URL, open it when visible.
    if (!config.visibility.isVisible()) stream.suspend();
    stream.connect(streamUrl);
  }

  function onPushMessage(parsed: ParseResult): void {
    if (disposed) return;
    if (pending !== null) {
      // The action's own answer becomes the state; a push racing it is dropped.
      log('debug', 'push.discarded');
      return;
    }
    if (!parsed.ok) {
      log('warn', 'push.invalid', {}, parsed.error.message);
      return;
    }
    applyAnswer(parsed.answer, 'push', ++seq);
    poller.reschedule();
    flush();
  }

  function isPending(controller: AbortController): boolean {
    return pending !== null && pending.controller === controller;
  }

  function runAction(request: SessionActionRequest): Promise<ActionResult> {
    const { action } = request;
    if (disposed) {
      return Promise.resolve({ ok: false, action, error: new SessionError({ code: 'aborted', message: 'The client is disposed.' }) });
    }
    const key = JSON.stringify(request);
    if (pending !== null) {
      if (pending.key === key) return pending.promise;
      const error = new SessionError({ code: 'busy', message: `Another action (${pending.action}) is running; "${action}" was not sent.` });
      log('warn', 'action.refused', { action, pendingAction: pending.action }, error.message);
      return Promise.resolve({ ok: false, action, error });
    }
    const requestSeq = ++seq;
    const controller = new AbortController();
    dispatch({ type: 'request', at: now(), seq: requestSeq, action });
    log('info', 'action.sent', { action });
    const promise = (async (): Promise<ActionResult> => {
      const result = await transport.post(request, controller.signal);
      // Unless stop() / dispose() already ended this action in the state (a newer one may be running).
      if (isPending(controller)) {
        pending = null;
        if (result.ok) {
          applyAnswer(result.answer, 'action', requestSeq, action);
          log('info', 'action.succeeded', { action, status: result.answer.status });
        } else {
          applyFailure(result.error, 'action', requestSeq, action);
        }
        poller.resume();
        flush();
      }
      if (!result.ok) return { ok: false, action, error: result.error };
      // A pairing code is the point of request_code: an answer without one (none kept from before either) failed.
      if (action === 'request_code' && state.snapshot.pairingCode === null) {
        return { ok: false, action, error: new SessionError({ code: 'invalid_response', message: 'request_code was answered without a pairing code.' }) };
      }
      return { ok: true, action, session: result.answer };
    })();
    pending = { key, seq: requestSeq, action, controller, promise };
    poller.pause();
    flush();
    return promise;
  }

  function stop(): void {
    if (disposed) return;
    const aborted = pending;
    if (aborted !== null) {
      pending = null;
      aborted.controller.abort();
      const error = new SessionError({ code: 'aborted', message: `"${aborted.action}" was cancelled by stop().` });
      dispatch({ type: 'failure', at: now(), seq: aborted.seq, source: 'action', error, action: aborted.action });
    }
    closeStream();
    poller.stop();
    dispatch({ type: 'stop', at: now() });
    flush();
  }

  const client: SessionClient = {
    endpoint,
    subscribe: (listener) => (disposed ? () => {} : snapshots.subscribe(listener)),
    getSnapshot: () => state.snapshot,
    start() {
      if (disposed || state.running) return;
      dispatch({ type: 'start', at: now() });
      log('debug', 'client.started');
      poller.start();
      flush();
    },
    stop() {
      if (!disposed && state.running) log('debug', 'client.stopped');
      stop();
    },
    async refresh() {
      if (disposed) return state.snapshot;
      if (pending !== null) await pending.promise;
      else await poller.pollNow();
      flush();
      return state.snapshot;
    },
    reconnect: () => runAction({ action: 'reconnect' }),
    changeNumber: () => runAction({ action: 'change_number' }),
    logout: () => runAction({ action: 'logout' }),
    // People type "+52 1 55…": the backend wants international digits only.
    requestPairingCode: (phoneNumber) => runAction({ action: 'request_code', phoneNumber: String(phoneNumber).replace(/\D/g, '') }),
    on<K extends SessionClientEventName>(name: K, handler: (detail: SessionClientEventMap[K]) => void) {
      if (disposed) return () => {};
      return events.subscribe((event) => {
        if (event.name === name) handler(event.detail as SessionClientEventMap[K]);
      });
    },
    dispose() {
      if (disposed) return;
      stop();
      disposed = true;
      snapshots.clear();
      events.clear();
    },
  };

  if (config.autoStart) client.start();
  return client;
}
