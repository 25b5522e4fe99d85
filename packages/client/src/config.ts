import { DEFAULT_BACKOFF } from './backoff.js';
import { DEFAULT_CADENCE, DEFAULT_STREAM_FALLBACK_MS } from './cadence.js';
import { DEFAULT_ENDPOINT } from './contract/types.js';
import type {
  BackoffOptions,
  CadenceOptions,
  EventSourceConstructorLike,
  HeadersInput,
  Logger,
  SessionClientOptions,
  TimerProvider,
  VisibilitySource,
} from './options.js';
import { defaultTimers } from './timers.js';
import { documentVisibility } from './visibility.js';

/** The default per-request timeout. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/** {@link SessionClientOptions} with every default filled in. */
export interface ResolvedOptions {
  readonly endpoint: string;
  readonly fetch: typeof globalThis.fetch | undefined;
  readonly headers: HeadersInput | undefined;
  readonly credentials: RequestCredentials;
  readonly timeoutMs: number;
  readonly cadence: CadenceOptions;
  readonly backoff: BackoffOptions;
  readonly logger: Logger | undefined;
  readonly timers: TimerProvider;
  readonly visibility: VisibilitySource;
  readonly random: () => number;
  readonly stream: boolean;
  readonly streamFallbackMs: number;
  readonly EventSource: EventSourceConstructorLike | undefined;
  readonly autoStart: boolean;
}

/** The smallest accepted backoff step. */
export const MIN_BACKOFF_MS = 100;

/** A usable duration, else the default: a bad option must not cause a request storm. */
function duration(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** Fills the defaults of {@link SessionClientOptions} and repairs unusable values. */
export function resolveOptions(options: SessionClientOptions = {}): ResolvedOptions {
  const cadence = options.cadence ?? {};
  const backoff = options.backoff ?? {};
  // A zero backoff would retry a failing backend in a tight loop.
  const initialMs = Math.max(MIN_BACKOFF_MS, duration(backoff.initialMs, DEFAULT_BACKOFF.initialMs));
  return {
    endpoint: typeof options.endpoint === 'string' && options.endpoint !== '' ? options.endpoint : DEFAULT_ENDPOINT,
    fetch: options.fetch,
    headers: options.headers,
    credentials: options.credentials ?? 'same-origin',
    // 0 would time every request out at once: treat it (and anything unusable) as "default".
    timeoutMs: options.timeoutMs !== undefined && options.timeoutMs > 0 ? duration(options.timeoutMs, DEFAULT_TIMEOUT_MS) : DEFAULT_TIMEOUT_MS,
    cadence: {
      // A zero interval would poll in a tight loop; the smallest accepted interval is 1 s.
      waitingMs: Math.max(1000, duration(cadence.waitingMs, DEFAULT_CADENCE.waitingMs)),
      connectedMs: Math.max(1000, duration(cadence.connectedMs, DEFAULT_CADENCE.connectedMs)),
    },
    backoff: {
      initialMs,
      maxMs: Math.max(initialMs, duration(backoff.maxMs, DEFAULT_BACKOFF.maxMs)),
      jitter: backoff.jitter === 'none' ? 'none' : 'full',
    },
    logger: options.logger,
    timers: options.timers ?? defaultTimers,
    visibility: options.visibility ?? documentVisibility(),
    random: options.random ?? Math.random,
    stream: options.stream !== false,
    streamFallbackMs: Math.max(1000, duration(options.streamFallbackMs, DEFAULT_STREAM_FALLBACK_MS)),
    EventSource: options.EventSource ?? (globalThis as { EventSource?: EventSourceConstructorLike }).EventSource,
    autoStart: options.autoStart === true,
  };
}
