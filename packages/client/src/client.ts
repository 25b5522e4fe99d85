import type { ActionResult, SessionClient, SessionClientEventMap, SessionClientEventName } from './client-types.js';
import { nextPollDelay } from './cadence.js';
import { resolveOptions } from './config.js';
import { SessionError, type SessionErrorCode } from './contract/errors.js';
import type { ParseResult } from './contract/parse.js';
import type { SessionAction, SessionActionRequest } from './contract/types.js';
import { createEmitter } from './emitter.js';
import { ELEMENT_OWNED } from './element-owned.js';
import { deriveEvents, type ClientEvent } from './events.js';
import { initialState, isStale, reduce, stalledAt, type AnswerSource, type MachineEvent, type MachineState } from './machine.js';
import type { SessionClientOptions, TimerHandle } from './options.js';
import { createPush, type PushOptions, type StreamModuleLoader } from './push.js';
import type { SessionSnapshot } from './snapshot.js';
import { createTransport } from './transport.js';

export type { StreamModuleLoader } from './push.js';

/** A machine event as the client dispatches it: `dispatch` stamps the time. */
type Untimed<E> = E extends MachineEvent ? Omit<E, 'at'> : never;

interface PendingAction {
  /** The request as JSON: the same request again joins this one. */
  readonly key: string;
  readonly action: SessionAction;
  readonly promise: Promise<ActionResult>;
  /** Aborts it and ends it in the state (stop()). */
  cancel(): void;
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
  const { endpoint, timers } = config;
  const now = () => timers.now();
  // The element's own client never has these (see ELEMENT_OWNED).
  const log = ELEMENT_OWNED ? undefined : config.trace;
  const inspect = ELEMENT_OWNED ? undefined : config.inspect;
  const transport = createTransport(config);

  let state: MachineState = initialState;
  let published: SessionSnapshot = state.snapshot;
  const queued: ClientEvent[] = [];
  let notifying = false;
  let seq = 0;
  let disposed = false;
  let pending: PendingAction | null = null;
  /** The timer of the next `tick` the machine waits for (see `stalledAt`), if any. */
  let tick: TimerHandle | undefined;
  const failed = (where: string, error: unknown) => log?.('listener.failed', where, error);
  const snapshots = createEmitter<SessionSnapshot>({ onError: (error) => failed('subscribe', error) });
  const events = createEmitter<ClientEvent>({ onError: (error, event) => failed(event.name, error) });

  /**
   * The one way state changes. Everything a change causes is decided here: its
   * events, the `tick` timer, and one notification per turn. Whatever runs in the
   * same synchronous turn (an answer and the next poll's schedule, an action and the
   * aborted poll) reaches listeners as one snapshot, in a microtask; so a caller
   * never flushes by hand, and a listener that calls the client simply causes the
   * next notification.
   */
  function dispatch(happened: Untimed<MachineEvent>): void {
    const event = { ...happened, at: now() } as MachineEvent;
    const prev = state;
    const next = reduce(prev, event);
    try {
      inspect?.({ event, prev: prev.snapshot, next: next.snapshot });
    } catch (error) {
      failed('inspect', error);
    }
    if (next === prev) return;
    state = next;
    deriveEvents(prev.snapshot, next.snapshot, event, queued);
    scheduleTick();
    if (!notifying) {
      notifying = true;
      queueMicrotask(notify);
    }
  }

  function notify(): void {
    notifying = false;
    if (state.snapshot !== published) snapshots.emit((published = state.snapshot));
    // Taken out first: what listeners cause is queued for the next notification.
    for (const event of queued.splice(0)) events.emit(event);
  }

  /**
   * Sets one timer, after every change, on the moment the machine's time rule waits for,
   * so `stalled` turns at that exact millisecond.
   */
  function scheduleTick(): void {
    if (tick !== undefined) timers.clearTimeout(tick);
    const at = stalledAt(state);
    tick = at === null ? undefined : timers.setTimeout(() => dispatch({ type: 'tick' }), at - now());
  }

  /** Applies a request's result (or a push message): its answer or its failure becomes the state. */
  function apply(result: ParseResult, source: AnswerSource, requestSeq: number, action?: SessionAction): void {
    if (result.ok) {
      dispatch({ type: 'answer', seq: requestSeq, source, answer: result.answer, action });
      if (result.answer.stream !== null && state.running) push?.follow(result.answer.stream);
    } else {
      dispatch({ type: 'failure', seq: requestSeq, source: source as 'poll' | 'action', error: result.error, action });
      // Retrying cannot fix a refusal: the stream would only fail again and again.
      if (result.error.code === 'unauthorized') push?.close();
    }
  }

  // Polling: one GET in flight at most, never while the page is hidden, at the delay the
  // cadence gives for the current state (none while an action runs, after a terminal
  // status, once stopped).
  /** Stops watching the page's visibility: set from start() to stop(), while polling runs. */
  let unwatch: (() => void) | null = null;
  /** The page's visibility as last heard. */
  let visible = true;
  /** The timer of the next poll. */
  let timer: TimerHandle | undefined;
  /** The GET in flight (its controller is its identity), and its promise (a refresh() joins it). */
  let inFlight: AbortController | null = null;
  let polled: Promise<void>;

  /** Milliseconds to the next poll by the cadence, or `null` for none. */
  const nextDelay = () => nextPollDelay(state.snapshot, config)?.delayMs ?? null;

  /**
   * Sets the timer of the next poll, or none (stopped, hidden, a GET in flight, the cadence says none); the state records it.
   * Called after anything the cadence depends on (an answer, a stream change, an action's end); while a GET is in flight it
   * changes nothing (the GET's end schedules).
   */
  function schedule(): void {
    if (timer !== undefined) timers.clearTimeout(timer);
    // Never negative nor longer than a timer waits: the resolved options bound every interval and backoff step (cadence.test.ts).
    const delay = unwatch !== null && visible && inFlight === null ? nextDelay() : null;
    timer = delay === null ? undefined : timers.setTimeout(() => void poll(), delay);
    dispatch({ type: 'schedule', nextPollAt: delay === null ? null : now() + delay });
  }

  /** Forgets and aborts the GET in flight: forgotten first, it schedules nothing when it settles. */
  function abortPoll(): void {
    const aborted = inFlight;
    inFlight = null;
    aborted?.abort();
  }

  /**
   * Sends one GET, or joins the one in flight. Its result and the schedule of the next
   * poll are applied in the same turn, so that listeners hear both as one change.
   */
  function poll(): Promise<void> {
    if (inFlight !== null) return polled;
    const controller = (inFlight = new AbortController());
    const requestSeq = ++seq;
    // The promise before the request event, as an action's: an inspector calling refresh() on it joins this GET.
    polled = (async () => {
      const result = await transport.get(controller.signal);
      const mine = inFlight === controller;
      if (mine) inFlight = null;
      if (disposed) return;
      if (!result.ok && result.error.code === 'aborted') log?.('poll.aborted', requestSeq);
      else if (isStale(state, requestSeq)) log?.('poll.discarded', requestSeq);
      else apply(result, 'poll', requestSeq);
      if (mine) schedule();
    })();
    dispatch({ type: 'request', seq: requestSeq, action: null });
    // In flight: clears the timer and records no next poll.
    schedule();
    return polled;
  }

  function onVisibility(nowVisible: boolean): void {
    if (unwatch === null || nowVisible === visible) return;
    visible = nowVisible;
    // Back on screen: refresh at once (when the cadence would poll at all), then resume the cadence.
    if (nowVisible && inFlight === null && nextDelay() !== null) void poll();
    else schedule();
  }

  const push =
    config.stream !== false && config.EventSource
      ? createPush({
          // Narrowed by the test above: it has an EventSource.
          ...(config as PushOptions),
          load: loadStream,
          onOpenChange(open) {
            dispatch({ type: 'stream', open });
            schedule();
          },
          onMessage(parsed) {
            // The action's own answer becomes the state; a push racing it is dropped.
            if (pending !== null) log?.('push.discarded');
            else if (!parsed.ok) log?.('push.invalid', parsed.error);
            else {
              apply(parsed, 'push', ++seq);
              schedule();
            }
          },
        })
      : null;

  // Not async: the same request while one is pending answers that request's own promise (README, docs/headless.md).
  function runAction(request: SessionActionRequest): Promise<ActionResult> {
    const { action } = request;
    const failure = (error: SessionError): ActionResult => ({ ok: false, action, error });
    /** A failure the client finds itself: a request it does not send, an answer it cannot use. */
    const ownFailure = (code: SessionErrorCode, message: string) => Promise.resolve(failure(new SessionError({ code, message })));
    if (disposed) return ownFailure('aborted', 'disposed');
    const key = JSON.stringify(request);
    if (pending !== null) {
      if (pending.key === key) return pending.promise;
      log?.('action.refused', action, pending.action);
      return ownFailure('busy', `${pending.action} is running`);
    }
    const requestSeq = ++seq;
    const controller = new AbortController();
    // Whole before the request is dispatched: an inspector calling the client then sees the action with its promise.
    const mine: PendingAction = (pending = {
      key,
      action,
      promise: (async (): Promise<ActionResult> => {
        const result = await transport.post(request, controller.signal);
        // Unless stop() / dispose() already ended this action in the state (cancel() aborted it; a newer one may be running).
        if (!controller.signal.aborted) {
          pending = null;
          apply(result, 'action', requestSeq, action);
          schedule();
        }
        if (!result.ok) return failure(result.error);
        // A pairing code is the point of request_code: an answer without one (none kept from before either) failed.
        if (action === 'request_code' && state.snapshot.pairingCode === null) {
          return ownFailure('invalid_response', 'no pairing code');
        }
        return { ok: true, action, session: result.answer };
      })(),
      cancel() {
        pending = null;
        controller.abort();
        const error = new SessionError({ code: 'aborted', message: 'stopped' });
        dispatch({ type: 'failure', seq: requestSeq, source: 'action', error, action });
      },
    });
    dispatch({ type: 'request', seq: requestSeq, action });
    // The state has the pending action: the cadence (nextPollDelay) says no poll until it ends.
    abortPoll();
    schedule();
    return mine.promise;
  }

  function stop(): void {
    if (disposed) return;
    pending?.cancel();
    push?.close();
    abortPoll();
    unwatch?.();
    unwatch = null;
    // Stopped: clears the timer and records no next poll.
    schedule();
    dispatch({ type: 'stop' });
  }

  const client: SessionClient = {
    endpoint,
    subscribe: (listener) => (disposed ? () => {} : snapshots.subscribe(listener)),
    getSnapshot: () => state.snapshot,
    start() {
      if (disposed || state.running) return;
      dispatch({ type: 'start' });
      const { visibility } = config;
      visible = visibility.isVisible();
      unwatch = visibility.subscribe(onVisibility);
      if (visible) void poll();
      else schedule();
    },
    stop,
    async refresh() {
      // An action in flight is the freshest answer to wait for; else a poll (joining one in flight).
      if (!disposed) await (pending?.promise ?? poll());
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

  if (!ELEMENT_OWNED && config.autoStart === true) client.start();
  return client;
}
