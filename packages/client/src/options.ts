import type { MachineEvent } from './machine.js';
import type { SessionSnapshot } from './snapshot.js';

/** Polling intervals, in milliseconds. */
export interface CadenceOptions {
  /** While `STARTING`, `SCAN_QR`, `STOPPED`, `PASSKEY_*` or an unknown status. Default `8000`. */
  waitingMs: number;
  /** While `WORKING`. Default `30000`. */
  connectedMs: number;
}

/** Exponential backoff after failed requests. */
export interface BackoffOptions {
  /** Delay after the first failure. Default `2000`. */
  initialMs: number;
  /** Upper bound of the delay. Default `60000`. */
  maxMs: number;
  /**
   * `'full'` (default) draws the delay uniformly in `[0, cap]` where
   * `cap = min(maxMs, initialMs * 2^(failures-1))`; `'none'` uses `cap` exactly.
   */
  jitter: 'full' | 'none';
}

/** A handle returned by {@link TimerProvider.setTimeout}. */
export type TimerHandle = unknown;

/**
 * Where the client gets time from. Inject one in tests to control time exactly;
 * the default uses the global `setTimeout`, `clearTimeout` and `Date.now`.
 */
export interface TimerProvider {
  /** Schedules `callback` after `ms` milliseconds. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  /** Cancels a scheduled callback. */
  clearTimeout(handle: TimerHandle): void;
  /** The current time in epoch milliseconds. */
  now(): number;
}

/**
 * Whether the page is visible, and a way to hear about changes. The default
 * reads `document.visibilityState`; without a `document` (Node, workers) the
 * page is always visible.
 */
export interface VisibilitySource {
  /** `true` when the page is visible. */
  isVisible(): boolean;
  /** Calls `listener` whenever visibility changes; returns the unsubscribe function. */
  subscribe(listener: (visible: boolean) => void): () => void;
}

/** Severity of a {@link LogRecord}. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * A structured log record: a plain object with stable fields, never a
 * preformatted string.
 */
export interface LogRecord {
  /** Severity. */
  level: LogLevel;
  /** A stable, dotted event name, e.g. `poll.failed`, `status.changed`, `status.unknown`. */
  event: string;
  /** A short human-readable sentence. */
  message: string;
  /** Epoch milliseconds. */
  time: number;
  /** The endpoint concerned. */
  endpoint: string;
  /** Event-specific fields (status, httpStatus, delayMs, action, errorCode…). */
  [field: string]: unknown;
}

/** Receives structured log records. */
export type Logger = (record: LogRecord) => void;

/**
 * How the client hands the steps that change no state to `withLogger`
 * (`@whatsapp-connector/client/metrics`): an event name (`poll.aborted`,
 * `poll.discarded`, `action.refused`, `push.discarded`, `push.invalid`,
 * `stream.refused`, `stream.opened`, `stream.closed`, `stream.failed`,
 * `listener.failed`…) and what it concerns, positionally. The arguments belong to the package and may change: read logs
 * through `withLogger`, whose records are stable.
 */
export type Trace = (event: string, ...data: unknown[]) => void;

/** Headers to send with every request: an object, or a (possibly async) function called before each request. */
export type HeadersInput =
  | Record<string, string>
  | (() => Record<string, string> | Promise<Record<string, string>>);

/**
 * Options of {@link createSessionClient}. Every field is optional.
 *
 * @example
 * ```ts
 * const client = createSessionClient({
 *   endpoint: '/api/whatsapp/session',
 *   headers: async () => ({ Authorization: `Bearer ${await getToken()}` }),
 *   cadence: { waitingMs: 5000 },
 *   logger: (record) => console.log(record),
 * });
 * ```
 */
export interface SessionClientOptions {
  /** The session endpoint URL. Default `/api/whatsapp/session`. */
  endpoint?: string;
  /** The `fetch` to use. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Extra request headers, or a function returning them before each request (token refresh). */
  headers?: HeadersInput;
  /** The `credentials` mode of each request. Default `'same-origin'`. */
  credentials?: RequestCredentials;
  /** Per-request timeout in milliseconds, reading the body included. Default `15000` (also used for `0` or invalid values). */
  timeoutMs?: number;
  /** Polling intervals; missing fields keep their defaults. */
  cadence?: Partial<CadenceOptions>;
  /** Failure backoff; missing fields keep their defaults. */
  backoff?: Partial<BackoffOptions>;
  /**
   * Receives structured log records when the options go through `withLogger`
   * (`@whatsapp-connector/client/metrics`):
   * `createSessionClient(withLogger({ logger }))`. The client itself builds no
   * record, so a page without logs downloads no logging code. Default: none.
   */
  logger?: Logger;
  /** The client's steps that change no state, for `withLogger` (which sets it; see {@link Trace}). Default: none. */
  trace?: Trace;
  /**
   * Told of every event the state machine reduces, with the snapshots around it.
   * For metrics (`createMetricsRecorder` of `@whatsapp-connector/client/metrics`)
   * and debugging tools. Default: none.
   */
  inspect?: Inspector;
  /** Time source (tests). */
  timers?: TimerProvider;
  /** Page visibility source (tests, custom environments). */
  visibility?: VisibilitySource;
  /** Random source in `[0, 1)` for the backoff jitter (tests). Default `Math.random`. */
  random?: () => number;
  /**
   * Use the Server-Sent Events stream when the backend advertises one
   * (`stream` in the session answer). Default `true`. The stream's code is a
   * separate module, imported the first time an answer offers a stream.
   */
  stream?: boolean;
  /** Safety-net polling interval while the stream is open. Default `60000`. */
  streamFallbackMs?: number;
  /** An `EventSource` constructor (tests, polyfills). Default `globalThis.EventSource`. */
  EventSource?: EventSourceConstructorLike;
  /** Start polling at once. Default `false`: call {@link SessionClient.start} (or subscribe through a UI adapter). */
  autoStart?: boolean;
}

/** The minimal `EventSource` the client needs. */
export interface EventSourceLike {
  /** Adds a listener for `message`, `error` or `open`. */
  addEventListener(type: 'message' | 'error' | 'open', listener: (event: { data?: unknown }) => void): void;
  /** Closes the stream. */
  close(): void;
}

/** A constructor of {@link EventSourceLike}. */
export type EventSourceConstructorLike = new (url: string, init?: { withCredentials?: boolean }) => EventSourceLike;

/** A listener of snapshots. */
export type SnapshotListener = (snapshot: SessionSnapshot) => void;

/** One event the state machine reduced, with the snapshots before and after it. */
export interface Transition {
  /** The event. */
  readonly event: MachineEvent;
  /** The snapshot before. */
  readonly prev: SessionSnapshot;
  /** The snapshot after: the same object as `prev` when the event changed nothing. */
  readonly next: SessionSnapshot;
}

/** Receives every {@link Transition} of a client (see {@link SessionClientOptions.inspect}). */
export type Inspector = (transition: Transition) => void;
