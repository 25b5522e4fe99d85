import { normalizeStatus } from '@whatsapp-connector/client/contract';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import type { WahaConfig } from './config.js';
import { safeLogger, type Logger } from './logger.js';
import type { ServerMetrics } from './metrics.js';
import { orgFromCanonicalName } from './session-name.js';
import { createWahaClient, type WahaClient } from './waha/client.js';
import { isWahaError } from './waha/errors.js';
import type { RetryOptions } from './waha/retry.js';

/**
 * A change of a session's health:
 * - `failed`: the session went `FAILED` (or `ERROR`), including a session first seen failed;
 * - `flapping`: it dropped out of `WORKING` `threshold` times within `windowMs`;
 * - `recovered`: it is `WORKING` again after a failure, or stably `WORKING` for `stableMs` after flapping.
 */
export type HealthTransitionType = 'failed' | 'recovered' | 'flapping';

/** The health of one session as the watcher judges it. */
export type SessionHealthState = 'ok' | 'failed' | 'flapping';

/** Reported through `onTransition`, exactly once per real health change. */
export interface HealthTransition {
  /** What happened. */
  type: HealthTransitionType;
  /** The WAHA session name. */
  session: string;
  /** The organization, when the session name is `<prefix>_<orgId>` (with `sessionPrefix` set) or `orgOf` knows it. */
  orgId?: string;
  /** The status now (wire spelling, e.g. `SCAN_QR`). */
  status: string;
  /** The status at the previous observation, or `null` on first sight. */
  previousStatus: string | null;
  /** Epoch ms of the observation. */
  at: number;
}

/** One watched session. */
export interface WatchedSession {
  /** The WAHA session name. */
  session: string;
  /** Last status (wire spelling). */
  status: string;
  /** Current health. */
  health: SessionHealthState;
  /** Drops out of `WORKING` inside the flapping window. */
  recentDrops: number;
}

/** The watcher's own counters. */
export interface WatcherCounters {
  /** Listings completed. */
  checks: number;
  /** Listings that failed (WAHA down, 5xx, timeout). */
  checkErrors: number;
  /** Epoch ms of the last completed listing, or `null`. */
  lastCheckAt: number | null;
  /** Sessions seen in the last listing. */
  sessions: number;
  /** Health transitions reported, by type. */
  transitions: Record<HealthTransitionType, number>;
}

/** WAHA's URL and key plus client settings, for a watcher that makes its own client. */
export interface WatcherWahaConfig extends WahaConfig {
  /** Timeout of each listing attempt, in ms (default 10 000). */
  timeoutMs?: number;
  /** Retries of the listing (default 3 attempts). */
  retry?: RetryOptions;
}

/** When a session counts as flapping. */
export interface FlappingOptions {
  /** Drops out of `WORKING` that make an episode (default 3). */
  threshold?: number;
  /** The sliding window the drops must fall in, in ms (default 10 minutes). */
  windowMs?: number;
}

/** Options of {@link watchSessions}. */
export interface WatchSessionsOptions {
  /** The WAHA to watch: a {@link WahaClient}, or its URL and key (default `WAHA_API_URL` / `WAHA_API_KEY` are not read here: pass them). */
  waha: WahaClient | WatcherWahaConfig;
  /** Time between listings, in ms (default 60 000). The next listing is scheduled when the previous one ends. */
  intervalMs?: number;
  /** Receives each health transition once. Must not throw (errors are ignored). */
  onTransition?: (transition: HealthTransition) => void;
  /** Flapping detection (default: 3 drops in 10 minutes). */
  flapping?: FlappingOptions;
  /** Continuous WORKING time that ends a flapping episode, in ms (default: the flapping window). */
  stableMs?: number;
  /** Watch only `<prefix>_…` sessions and derive their `orgId`. */
  sessionPrefix?: string;
  /** Maps a session name to its organization (wins over `sessionPrefix`). */
  orgOf?: (session: string) => string | undefined;
  /** Counters shared with the handler and the metrics endpoint. */
  metrics?: ServerMetrics;
  /** Structured log records. */
  logger?: Logger;
  /** Time source (default: real timers). */
  clock?: Clock;
  /** Run the first listing right away (default `true`); otherwise after `intervalMs`. */
  immediate?: boolean;
}

/** A running watcher. */
export interface SessionWatcher {
  /** Runs one listing now (shared with a listing already running); never rejects. */
  check(): Promise<void>;
  /** Feeds one status seen elsewhere (a webhook, a GET) into the health rules. */
  observe(session: string, status: string, at?: number): void;
  /** The watched sessions. */
  sessions(): WatchedSession[];
  /** A copy of the counters. */
  counters(): WatcherCounters;
  /** Stops the timer; a listing in flight completes but schedules nothing. Idempotent. */
  stop(): void;
}

interface Tracked {
  status: string;
  health: SessionHealthState;
  drops: number[];
  workingSince: number | null;
}

const isFailure = (status: string) => status === 'FAILED' || status === 'ERROR';

/**
 * Watches every WAHA session: lists them each interval, judges health
 * (failed, flapping, recovered), reports each real transition exactly once and
 * keeps counters (shared with {@link createMetrics} through `metrics`).
 *
 * @example
 * ```ts
 * const watcher = watchSessions({
 *   waha: { url: process.env.WAHA_API_URL!, apiKey: process.env.WAHA_API_KEY },
 *   sessionPrefix: 'eagles',
 *   metrics,
 *   onTransition: (t) => notifyOps(`${t.session} ${t.type}`),
 * });
 * process.on('SIGTERM', () => watcher.stop());
 * ```
 */
export function watchSessions(options: WatchSessionsOptions): SessionWatcher {
  const clock = options.clock ?? systemClock;
  const log = safeLogger(options.logger, () => clock.now());
  const intervalMs = options.intervalMs ?? 60_000;
  const threshold = options.flapping?.threshold ?? 3;
  const windowMs = options.flapping?.windowMs ?? 10 * 60_000;
  const stableMs = options.stableMs ?? windowMs;
  const metrics = options.metrics;
  const waha: WahaClient =
    'listSessions' in options.waha
      ? options.waha
      : createWahaClient({ ...options.waha, clock, onError: (error) => metrics?.wahaError(error) });
  const tracked = new Map<string, Tracked>();
  const counters: WatcherCounters = { checks: 0, checkErrors: 0, lastCheckAt: null, sessions: 0, transitions: { failed: 0, recovered: 0, flapping: 0 } };
  let timer: TimerHandle | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const orgOf = (session: string): string | undefined =>
    options.orgOf?.(session) ?? (options.sessionPrefix ? orgFromCanonicalName(options.sessionPrefix, session) : undefined);
  const watched = (session: string): boolean => !options.sessionPrefix || session.startsWith(`${options.sessionPrefix}_`);

  function report(type: HealthTransitionType, session: string, status: string, previousStatus: string | null, at: number): void {
    counters.transitions[type]++;
    if (type === 'failed') metrics?.failure(session);
    if (type === 'recovered') metrics?.recovery(session);
    if (type === 'flapping') metrics?.flap(session);
    const orgId = orgOf(session);
    const transition: HealthTransition = { type, session, status, previousStatus, at, ...(orgId === undefined ? {} : { orgId }) };
    log({ level: type === 'recovered' ? 'info' : 'warn', event: `health.${type}`, message: `Session ${type}.`, session, status, previousStatus, ...(orgId === undefined ? {} : { orgId }) });
    try {
      options.onTransition?.(transition);
    } catch {
      // A throwing hook must not stop the watcher.
    }
  }

  function observe(session: string, rawStatus: string, at = clock.now()): void {
    const normalized = normalizeStatus(rawStatus);
    const status = normalized === 'UNKNOWN' ? rawStatus : normalized;
    metrics?.observeStatus(session, status, at);
    const state = tracked.get(session);
    if (!state) {
      tracked.set(session, { status, health: isFailure(status) ? 'failed' : 'ok', drops: [], workingSince: status === 'WORKING' ? at : null });
      if (isFailure(status)) report('failed', session, status, null, at);
      return;
    }
    if (state.status === status) {
      maybeRecoverFromFlapping(session, state, at);
      return;
    }
    const previous = state.status;
    state.status = status;
    if (previous === 'WORKING') state.drops.push(at);
    state.drops = state.drops.filter((drop) => at - drop <= windowMs);
    state.workingSince = status === 'WORKING' ? at : null;

    if (isFailure(status)) {
      if (state.health !== 'failed') {
        state.health = 'failed';
        report('failed', session, status, previous, at);
      }
    } else if (state.health === 'failed' && status === 'WORKING') {
      state.health = 'ok';
      state.drops = [];
      report('recovered', session, status, previous, at);
    } else if (state.health === 'ok' && state.drops.length >= threshold) {
      state.health = 'flapping';
      report('flapping', session, status, previous, at);
    } else {
      maybeRecoverFromFlapping(session, state, at);
    }
  }

  function maybeRecoverFromFlapping(session: string, state: Tracked, at: number): void {
    if (state.health !== 'flapping' || state.workingSince === null || at - state.workingSince < stableMs) return;
    state.health = 'ok';
    state.drops = [];
    report('recovered', session, state.status, state.status, at);
  }

  async function listOnce(): Promise<void> {
    try {
      const sessions = (await waha.listSessions()).filter((session) => watched(session.name));
      const at = clock.now();
      const counts: Record<string, number> = {};
      const seen = new Set<string>();
      for (const session of sessions) {
        observe(session.name, session.status, at);
        const status = tracked.get(session.name)!.status;
        counts[status] = (counts[status] ?? 0) + 1;
        seen.add(session.name);
      }
      for (const name of tracked.keys()) if (!seen.has(name)) tracked.delete(name);
      metrics?.setSessionsByStatus(counts);
      counters.checks++;
      counters.lastCheckAt = at;
      counters.sessions = sessions.length;
    } catch (error) {
      counters.checkErrors++;
      log({
        level: 'warn',
        event: 'watcher.check_failed',
        message: 'Listing WAHA sessions failed.',
        ...(isWahaError(error) ? { errorKind: error.kind, ...(error.status === undefined ? {} : { wahaStatus: error.status }) } : {}),
      });
    }
  }

  function check(): Promise<void> {
    running ??= listOnce().finally(() => {
      running = undefined;
    });
    return running;
  }

  function schedule(delay: number): void {
    if (stopped) return;
    timer = clock.setTimeout(() => {
      timer = undefined;
      void check().then(() => schedule(intervalMs));
    }, delay);
  }

  if (options.immediate === false) schedule(intervalMs);
  else void check().then(() => schedule(intervalMs));

  return {
    check,
    observe,
    sessions: () =>
      [...tracked].map(([session, state]) => ({ session, status: state.status, health: state.health, recentDrops: state.drops.length })),
    counters: () => ({ ...counters, transitions: { ...counters.transitions } }),
    stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
