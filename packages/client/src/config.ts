import { DEFAULT_BACKOFF } from './backoff.js';
import { DEFAULT_CADENCE, DEFAULT_STREAM_FALLBACK_MS } from './cadence.js';
import { DEFAULT_ENDPOINT } from './contract/types.js';
import { ELEMENT_OWNED } from './element-owned.js';
import type {
  BackoffOptions,
  CadenceOptions,
  EventSourceConstructorLike,
  HeadersInput,
  Inspector,
  SessionClientOptions,
  TimerProvider,
  Trace,
  VisibilitySource,
} from './options.js';
import { defaultTimers, MAX_TIMER_DELAY_MS } from './timers.js';
import { documentVisibility } from './visibility.js';

/** The default per-request timeout. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/** {@link SessionClientOptions} with every default filled in (`stream` and `autoStart` as given: the client reads them once). */
export interface ResolvedOptions {
  readonly endpoint: string;
  readonly fetch?: typeof globalThis.fetch | undefined;
  readonly headers?: HeadersInput | undefined;
  readonly credentials: RequestCredentials;
  readonly timeoutMs: number;
  readonly cadence: CadenceOptions;
  readonly backoff: BackoffOptions;
  readonly trace?: Trace | undefined;
  readonly inspect?: Inspector | undefined;
  readonly timers: TimerProvider;
  readonly visibility: VisibilitySource;
  readonly random: () => number;
  readonly stream?: boolean | undefined;
  readonly streamFallbackMs: number;
  readonly EventSource: EventSourceConstructorLike | undefined;
  readonly autoStart?: boolean | undefined;
}

/** The smallest accepted backoff step. */
export const MIN_BACKOFF_MS = 100;

/** The smallest accepted polling interval: below it an interval is almost certainly seconds typed as milliseconds. */
export const MIN_INTERVAL_MS = 1000;

const CREDENTIALS: readonly unknown[] = ['omit', 'same-origin', 'include'];

/**
 * A usable duration, else the default: a bad option must not cause a request storm. Nothing longer
 * than a timer can wait ({@link MAX_TIMER_DELAY_MS}): a longer `setTimeout` would fire at once.
 */
function duration(value: unknown, fallback: number): number {
  // Number.isFinite is false for anything that is not a number (no coercion).
  return Number.isFinite(value) && (value as number) >= 0 ? Math.min(value as number, MAX_TIMER_DELAY_MS) : fallback;
}

/** An interval of at least {@link MIN_INTERVAL_MS}; the default for anything unusable. */
function interval(value: unknown, fallback: number): number {
  return Math.max(MIN_INTERVAL_MS, duration(value, fallback));
}

/**
 * The polling intervals a client will use for `cadence` (the option, or a UI's
 * attributes): missing, negative or non-numeric values take the defaults
 * (8 s, 30 s) and nothing is shorter than {@link MIN_INTERVAL_MS}. UIs use it so
 * that they never restate a default or the floor.
 *
 * @example
 * ```ts
 * resolveCadence({ waitingMs: 500 }); // { waitingMs: 1000, connectedMs: 30000 }
 * ```
 */
export function resolveCadence(cadence: { readonly waitingMs?: unknown; readonly connectedMs?: unknown } = {}): CadenceOptions {
  return {
    waitingMs: interval(cadence.waitingMs, DEFAULT_CADENCE.waitingMs),
    connectedMs: interval(cadence.connectedMs, DEFAULT_CADENCE.connectedMs),
  };
}

/** The `credentials` mode a client will use: `omit`, `same-origin` or `include`; anything else is `same-origin`. */
export function resolveCredentials(credentials: unknown): RequestCredentials {
  return CREDENTIALS.includes(credentials) ? (credentials as RequestCredentials) : 'same-origin';
}

/** The endpoint a client will use: a non-empty string, else {@link DEFAULT_ENDPOINT}. */
export function resolveEndpoint(endpoint: unknown): string {
  return typeof endpoint === 'string' && endpoint !== '' ? endpoint : DEFAULT_ENDPOINT;
}

/** The options that tune a client (tests, custom environments), resolved. */
export type Tuning = Pick<ResolvedOptions, 'timeoutMs' | 'backoff' | 'timers' | 'visibility' | 'random' | 'streamFallbackMs' | 'EventSource'>;

/** Fills the defaults of {@link SessionClientOptions} and repairs unusable values. */
export function resolveOptions(options: SessionClientOptions = {}): ResolvedOptions {
  return {
    // fetch, headers, trace, inspect, stream and autoStart as given.
    ...options,
    endpoint: resolveEndpoint(options.endpoint),
    credentials: resolveCredentials(options.credentials),
    cadence: resolveCadence(options.cadence),
    // The element's own client is given none of them (see ELEMENT_OWNED): it takes the defaults as they are.
    ...(ELEMENT_OWNED ? defaultTuning() : resolveTuning(options)),
  };
}

/**
 * The tuning options' defaults: what {@link resolveOptions} gives a client tuned with none of them.
 *
 * @internal
 */
export function defaultTuning(): Tuning {
  return {
    timeoutMs: DEFAULT_TIMEOUT_MS,
    backoff: DEFAULT_BACKOFF,
    timers: defaultTimers,
    visibility: documentVisibility(),
    random: Math.random,
    streamFallbackMs: DEFAULT_STREAM_FALLBACK_MS,
    EventSource: (globalThis as { EventSource?: EventSourceConstructorLike }).EventSource,
  };
}

/** The tuning options as given, their defaults ({@link defaultTuning}) where missing, unusable values repaired. */
function resolveTuning(options: SessionClientOptions): Tuning {
  const defaults = defaultTuning();
  const backoff = options.backoff ?? {};
  // A zero backoff would retry a failing backend in a tight loop.
  const initialMs = Math.max(MIN_BACKOFF_MS, duration(backoff.initialMs, defaults.backoff.initialMs));
  return {
    // 0 would time every request out at once: treat it (and anything unusable) as "default".
    timeoutMs: duration(options.timeoutMs, 0) || defaults.timeoutMs,
    backoff: {
      initialMs,
      maxMs: Math.max(initialMs, duration(backoff.maxMs, defaults.backoff.maxMs)),
      jitter: backoff.jitter === 'none' ? 'none' : defaults.backoff.jitter,
    },
    timers: options.timers ?? defaults.timers,
    visibility: options.visibility ?? defaults.visibility,
    random: options.random ?? defaults.random,
    streamFallbackMs: interval(options.streamFallbackMs, defaults.streamFallbackMs),
    EventSource: options.EventSource ?? defaults.EventSource,
  };
}
