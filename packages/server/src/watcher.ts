import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { createWahaResolver, normalizeWahaUrl, type WahaConfig, type WahaConfigResolver } from './config.js';
import { errorNameOf, safeLogger, type Logger } from './logger.js';
import { sessionMetricKey, type ServerMetrics } from './metrics.js';
import { orgFromCanonicalName } from './session-name.js';
import type { SessionStore } from './store.js';
import { createWahaClient, type WahaClient } from './waha/client.js';
import { isWahaError, WahaError } from './waha/errors.js';
import type { RetryOptions } from './waha/retry.js';
import { healthStatus, reduceHealth, sameHealth, type HealthRules, type HealthTransitionType, type SessionHealthState } from './watcher-health.js';
import type { WatcherLease } from './watcher-lease.js';
import { createMemoryHealthStore, type StoredHealth, type WatcherHealthStore } from './watcher-state.js';

export type { HealthTransitionType, SessionHealthState } from './watcher-health.js';

/** Reported through `onTransition`, exactly once per real health change (across instances, with a shared lease and health store). */
export interface HealthTransition {
  /** What happened. */
  type: HealthTransitionType;
  /** The WAHA session name. */
  session: string;
  /** The organization: from the store's records, `orgOf`, or the `<prefix>_<orgId>` name. */
  orgId?: string;
  /** The WAHA the session lives on (normalized base URL), when the watcher knows it. */
  wahaUrl?: string;
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
  /** The WAHA it lives on (normalized base URL), when known. */
  wahaUrl?: string;
  /** Last status (wire spelling). */
  status: string;
  /** Current health. */
  health: SessionHealthState;
  /** Drops out of `WORKING` inside the flapping window. */
  recentDrops: number;
}

/** The watcher's own counters. */
export interface WatcherCounters {
  /** WAHA listings completed (one per WAHA per round). */
  checks: number;
  /** Listings that failed (WAHA down, 5xx, timeout, an unreadable answer). */
  checkErrors: number;
  /** Of those, listings that timed out. */
  checkTimeouts: number;
  /** Epoch ms of the last completed round, or `null`. */
  lastCheckAt: number | null;
  /** Sessions seen in the last round. */
  sessions: number;
  /** WAHA servers watched in the last round. */
  wahas: number;
  /** `true` while this instance holds the lease (always, without one). */
  leaseHeld: boolean;
  /** Health transitions reported by this instance, by type. */
  transitions: Record<HealthTransitionType, number>;
}

/** WAHA's URL and key plus client settings, for a watcher that makes its own client. */
export interface WatcherWahaConfig extends WahaConfig {
  /** Timeout of each listing attempt, in ms (default 10 000). */
  timeoutMs?: number;
  /** Retries of the listing (default 3 attempts). */
  retry?: RetryOptions;
  /** Largest listing body accepted, in bytes (default: the WAHA client's, 16 MiB). */
  maxListBodyBytes?: number;
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
  /**
   * The server's WAHA: a {@link WahaClient}, or its URL and key (`WAHA_API_URL` /
   * `WAHA_API_KEY` are not read here: pass them). With `store`, pass the URL and
   * key: they are the default of organizations without WAHA settings of their own.
   */
  waha?: WahaClient | WatcherWahaConfig;
  /**
   * Watch every WAHA the store's records name (`list()`), not only `waha`:
   * organizations may live on WAHA servers of their own. Sessions are matched to
   * their organization by the records.
   */
  store?: SessionStore;
  /** Per-organization WAHA URL and key for the WAHA servers found in `store` (as the handler's option). */
  resolveWahaConfig?: WahaConfigResolver;
  /** Time between listings, in ms (default 60 000). The next listing is scheduled when the previous one ends. */
  intervalMs?: number;
  /** Deadline of one WAHA's listing, in ms, retries included (default 30 000); past it the listing counts as a timeout. */
  listTimeoutMs?: number;
  /** Receives each health transition once. Must not throw (errors are ignored). */
  onTransition?: (transition: HealthTransition) => void;
  /** Flapping detection (default: 3 drops in 10 minutes). */
  flapping?: FlappingOptions;
  /** Continuous WORKING time that ends a flapping episode, in ms (default: the flapping window). */
  stableMs?: number;
  /** Watch only `<prefix>_…` sessions and derive their `orgId`. */
  sessionPrefix?: string;
  /** Maps a session name to its organization (wins over the store and `sessionPrefix`). */
  orgOf?: (session: string) => string | undefined;
  /**
   * With several instances: only the lease holder watches (e.g. `createPostgresLease`).
   * It is renewed every quarter interval for half an interval, so another instance
   * takes over within one interval when the holder dies. Default: always held.
   */
  lease?: WatcherLease;
  /**
   * Where each session's health is kept between listings (default: memory). A shared
   * one (e.g. `createPostgresHealthStore`) lets the next lease holder continue the
   * judgement, and reports each transition once even if two watchers overlap.
   */
  healthStore?: WatcherHealthStore;
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
  /** Runs one round of listings now (shared with a round already running); never rejects. Does nothing without the lease. */
  check(): Promise<void>;
  /** Feeds one status seen elsewhere (a webhook, a GET) into the health rules; resolves once judged. Never rejects. */
  observe(session: string, status: string, at?: number, wahaUrl?: string): Promise<void>;
  /** The watched sessions. */
  sessions(): WatchedSession[];
  /** A copy of the counters. */
  counters(): WatcherCounters;
  /** Stops the timers and gives the lease up; a round in flight completes but schedules nothing. Idempotent. */
  stop(): void;
}

/** One WAHA to list: its client, the scope of its saved health, and the organizations of its sessions. */
interface Target {
  scope: string;
  wahaUrl: string | undefined;
  client: WahaClient;
  orgs: Map<string, string>;
  /**
   * `true` for the WAHA given as `waha` (the server's own): every session it lists is
   * judged. A WAHA found through an organization's record is that organization's to
   * run: only the sessions the store places there are judged, so its other sessions
   * (any name, any number) never pose as another organization's in the transitions
   * and metrics.
   */
  own: boolean;
}

/** Scope of a WAHA given as a client without its URL. */
const DEFAULT_SCOPE = 'default';
/** The WAHA URL of a scope (`undefined` for a WAHA given as a client without its URL). */
const urlOfScope = (scope: string): string | undefined => (scope === DEFAULT_SCOPE ? undefined : scope);
/** Saves of health records in flight at once (the first listing of many sessions). */
const SAVE_CONCURRENCY = 8;
/** WAHA servers listed at once. */
const LIST_CONCURRENCY = 4;

/** Runs `work` over `items`, `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Watches WAHA sessions: lists them each interval — on every WAHA the store's
 * organizations live on, or the one configured — judges health with the pure
 * rules of `reduceHealth` (failed, flapping, recovered), reports each real
 * transition once and keeps counters (shared with `createMetrics` through
 * `metrics`). With several instances give every one the same `lease` and
 * `healthStore`: one watches, the others stand by.
 *
 * @example
 * ```ts
 * const watcher = watchSessions({
 *   waha: { url: process.env.WAHA_API_URL!, apiKey: process.env.WAHA_API_KEY },
 *   store,
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
  const listTimeoutMs = options.listTimeoutMs ?? 30_000;
  const windowMs = options.flapping?.windowMs ?? 10 * 60_000;
  const rules: HealthRules = { threshold: options.flapping?.threshold ?? 3, windowMs, stableMs: options.stableMs ?? windowMs };
  const metrics = options.metrics;
  const healthStore = options.healthStore ?? createMemoryHealthStore();
  const onError = (error: WahaError) => metrics?.wahaError(error);

  const given = options.waha;
  const defaultConfig = given && !('listSessions' in given) ? given : undefined;
  const defaultTarget: Target | undefined = given
    ? {
        scope: defaultConfig ? normalizeWahaUrl(defaultConfig.url) : DEFAULT_SCOPE,
        wahaUrl: defaultConfig ? normalizeWahaUrl(defaultConfig.url) : undefined,
        client: 'listSessions' in given ? given : createWahaClient({ ...given, clock, onError }),
        orgs: new Map(),
        own: true,
      }
    : undefined;
  const shared = {
    clock,
    onError,
    ...(defaultConfig?.timeoutMs === undefined ? {} : { timeoutMs: defaultConfig.timeoutMs }),
    ...(defaultConfig?.retry ? { retry: defaultConfig.retry } : {}),
    ...(defaultConfig?.maxListBodyBytes === undefined ? {} : { maxListBodyBytes: defaultConfig.maxListBodyBytes }),
  };
  const resolveWaha = createWahaResolver(options.resolveWahaConfig, () => ({ url: defaultConfig?.url, apiKey: defaultConfig?.apiKey ?? null }), shared);

  /** Saved health per scope, as last loaded or saved (dropped when the lease is lost or a save lost). */
  const health = new Map<string, Map<string, StoredHealth>>();
  /** Sessions per status of each WAHA's last successful listing. */
  const statusCounts = new Map<string, Record<string, number>>();
  let lastTargets: Target[] = defaultTarget ? [defaultTarget] : [];
  const counters: WatcherCounters = {
    checks: 0,
    checkErrors: 0,
    checkTimeouts: 0,
    lastCheckAt: null,
    sessions: 0,
    wahas: 0,
    leaseHeld: !options.lease,
    transitions: { failed: 0, recovered: 0, flapping: 0 },
  };
  let listTimer: TimerHandle | undefined;
  let leaseTimer: TimerHandle | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let everHeld = false;

  const watched = (session: string): boolean => !options.sessionPrefix || session.startsWith(`${options.sessionPrefix}_`);
  const orgOf = (session: string, target: Target | undefined): string | undefined =>
    options.orgOf?.(session) ?? target?.orgs.get(session) ?? (options.sessionPrefix ? orgFromCanonicalName(options.sessionPrefix, session) : undefined);

  function report(type: HealthTransitionType, session: string, metricKey: string, status: string, previousStatus: string | null, at: number, target: Target | undefined): void {
    counters.transitions[type]++;
    if (type === 'failed') metrics?.failure(metricKey);
    if (type === 'recovered') metrics?.recovery(metricKey);
    if (type === 'flapping') metrics?.flap(metricKey);
    const orgId = orgOf(session, target);
    const where = { ...(orgId === undefined ? {} : { orgId }), ...(target?.wahaUrl ? { wahaUrl: target.wahaUrl } : {}) };
    log({ level: type === 'recovered' ? 'info' : 'warn', event: `health.${type}`, message: `Session ${type}.`, session, status, previousStatus, ...where });
    try {
      options.onTransition?.({ type, session, status, previousStatus, at, ...where });
    } catch {
      // A throwing hook must not stop the watcher.
    }
  }

  async function savedHealth(scope: string): Promise<Map<string, StoredHealth>> {
    let saved = health.get(scope);
    if (!saved) {
      saved = await healthStore.load(scope);
      health.set(scope, saved);
    }
    return saved;
  }

  /** Judges one observation; saves and reports only if the save won (another watcher may have judged it first). */
  async function judge(target: Target | undefined, scope: string, saved: Map<string, StoredHealth>, session: string, rawStatus: string, at: number): Promise<void> {
    const status = healthStatus(rawStatus);
    const metricKey = sessionMetricKey(session, urlOfScope(scope));
    metrics?.observeStatus(metricKey, status, at);
    const before = saved.get(session);
    const step = reduceHealth(before?.health, status, at, rules);
    if (sameHealth(before?.health, step.state)) return;
    const version = await healthStore.save(scope, session, step.state, before?.version ?? 0);
    if (version === null) {
      // Someone else saved first: our view is stale; reload it next time and report nothing.
      health.delete(scope);
      return;
    }
    saved.set(session, { health: step.state, version });
    if (step.change) report(step.change.type, session, metricKey, status, step.change.previousStatus, at, target);
  }

  async function collectTargets(): Promise<Target[]> {
    if (!options.store?.list) return defaultTarget ? [defaultTarget] : [];
    let records;
    try {
      records = await options.store.list();
    } catch (error) {
      log({ level: 'warn', event: 'watcher.store_failed', message: 'Listing the stored sessions failed; watching the WAHA servers known before.', errorName: errorNameOf(error) });
      return lastTargets;
    }
    const targets = new Map<string, Target>();
    if (defaultTarget) targets.set(defaultTarget.scope, { ...defaultTarget, orgs: new Map() });
    for (const { orgId, record } of records) {
      if (!record.sessionName) continue;
      let url = record.wahaUrl ? normalizeWahaUrl(record.wahaUrl) : defaultTarget?.scope;
      let target = url ? targets.get(url) : undefined;
      if (!target) {
        try {
          // The key of a WAHA comes from the settings of an organization that lives there (or the default's).
          const resolved = await resolveWaha(orgId);
          url = resolved.url;
          target = targets.get(url) ?? { scope: url, wahaUrl: url, client: resolved.client, orgs: new Map(), own: false };
          targets.set(url, target);
        } catch {
          continue; // No WAHA configured for it: nothing to watch.
        }
      }
      target.orgs.set(record.sessionName, orgId);
    }
    lastTargets = [...targets.values()];
    return lastTargets;
  }

  /**
   * One WAHA's listing, retries included, within `listTimeoutMs`. At the deadline the
   * listing is cancelled (its connection closed, no further retry) and counted once as
   * a timeout here; the client does not count it again.
   */
  function listWithDeadline(target: Target): Promise<Awaited<ReturnType<WahaClient['listSessions']>>> {
    return new Promise((resolve, reject) => {
      const cancel = new AbortController();
      const timer = clock.setTimeout(() => {
        const error = new WahaError({ kind: 'timeout', method: 'GET', path: '/api/sessions' });
        cancel.abort(error);
        onError(error);
        reject(error);
      }, listTimeoutMs);
      target.client.listSessions({ signal: cancel.signal }).then(
        (sessions) => {
          clock.clearTimeout(timer);
          resolve(sessions);
        },
        (error: unknown) => {
          clock.clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  async function listOne(target: Target): Promise<number> {
    let sessions;
    try {
      sessions = (await listWithDeadline(target)).filter((session) => watched(session.name) && (target.own || target.orgs.has(session.name)));
    } catch (error) {
      counters.checkErrors++;
      if (isWahaError(error) && error.kind === 'timeout') counters.checkTimeouts++;
      log({
        level: 'warn',
        event: 'watcher.check_failed',
        message: 'Listing WAHA sessions failed.',
        ...(target.wahaUrl ? { wahaUrl: target.wahaUrl } : {}),
        ...(isWahaError(error) ? { errorKind: error.kind, ...(error.status === undefined ? {} : { wahaStatus: error.status }) } : {}),
      });
      return 0;
    }
    const at = clock.now();
    try {
      const saved = await savedHealth(target.scope);
      await eachLimited(sessions, SAVE_CONCURRENCY, (session) => judge(target, target.scope, saved, session.name, session.status, at));
      const seen = new Set(sessions.map((session) => session.name));
      const gone = [...saved.keys()].filter((name) => !seen.has(name));
      if (gone.length > 0) {
        await healthStore.remove(target.scope, gone);
        for (const name of gone) saved.delete(name);
      }
    } catch (error) {
      health.delete(target.scope);
      log({ level: 'warn', event: 'watcher.state_failed', message: 'Saving the sessions’ health failed; judging again next time.', errorName: errorNameOf(error) });
    }
    const counts: Record<string, number> = {};
    for (const session of sessions) {
      const status = healthStatus(session.status);
      counts[status] = (counts[status] ?? 0) + 1;
    }
    statusCounts.set(target.scope, counts);
    counters.checks++;
    return sessions.length;
  }

  async function round(): Promise<void> {
    if (!counters.leaseHeld) return;
    const targets = await collectTargets();
    let total = 0;
    await eachLimited(targets, LIST_CONCURRENCY, async (target) => {
      // Not `total += await …`: that reads `total` before the listing, and parallel listings lose each other's counts.
      const listed = await listOne(target);
      total += listed;
    });
    for (const scope of statusCounts.keys()) if (!targets.some((target) => target.scope === scope)) statusCounts.delete(scope);
    const counts: Record<string, number> = {};
    for (const perWaha of statusCounts.values()) for (const [status, count] of Object.entries(perWaha)) counts[status] = (counts[status] ?? 0) + count;
    metrics?.setSessionsByStatus(counts);
    counters.lastCheckAt = clock.now();
    counters.sessions = total;
    counters.wahas = targets.length;
  }

  function check(): Promise<void> {
    running ??= round().finally(() => {
      running = undefined;
    });
    return running;
  }

  /** The listing loop: one round, then the next `intervalMs` after it ends (one timer at most). */
  function scheduleListing(delay: number): void {
    if (stopped) return;
    if (listTimer !== undefined) clock.clearTimeout(listTimer);
    listTimer = clock.setTimeout(() => {
      listTimer = undefined;
      listNow();
    }, delay);
  }

  function listNow(): void {
    void check().then(() => scheduleListing(intervalMs));
  }

  /** The lease loop: renew every quarter interval for half an interval; list at once on taking over. */
  async function renewLease(lease: WatcherLease): Promise<void> {
    leaseTimer = undefined;
    let held = false;
    try {
      held = await lease.acquire(Math.max(2, Math.floor(intervalMs / 2)));
    } catch (error) {
      log({ level: 'warn', event: 'watcher.lease_failed', message: 'Could not renew the watcher lease; standing by.', errorName: errorNameOf(error) });
    }
    if (stopped) {
      if (held) void lease.release();
      return;
    }
    if (held && !counters.leaseHeld) {
      counters.leaseHeld = true;
      log({ level: 'info', event: 'watcher.lease_acquired', message: 'This instance now watches the WAHA sessions.' });
      if (!everHeld && options.immediate === false) scheduleListing(intervalMs);
      else listNow();
      everHeld = true;
    } else if (!held && counters.leaseHeld) {
      counters.leaseHeld = false;
      // Another instance may judge meanwhile: what we remember is no longer the truth.
      health.clear();
      log({ level: 'warn', event: 'watcher.lease_lost', message: 'This instance no longer holds the watcher lease; standing by.' });
    }
    leaseTimer = clock.setTimeout(() => void renewLease(lease), Math.max(1, Math.floor(intervalMs / 4)));
  }

  if (options.lease) {
    void renewLease(options.lease);
    scheduleListing(intervalMs);
  } else if (options.immediate === false) {
    scheduleListing(intervalMs);
  } else {
    listNow();
  }

  return {
    check,
    async observe(session, rawStatus, at = clock.now(), wahaUrl) {
      const scope = wahaUrl ? normalizeWahaUrl(wahaUrl) : (defaultTarget?.scope ?? DEFAULT_SCOPE);
      const target = lastTargets.find((candidate) => candidate.scope === scope);
      try {
        await judge(target, scope, await savedHealth(scope), session, rawStatus, at);
      } catch {
        health.delete(scope);
      }
    },
    sessions: () =>
      [...health].flatMap(([scope, saved]) =>
        [...saved].map(([session, { health: state }]) => {
          const wahaUrl = urlOfScope(scope);
          return { session, ...(wahaUrl ? { wahaUrl } : {}), status: state.status, health: state.health, recentDrops: state.drops.length };
        }),
      ),
    counters: () => ({ ...counters, transitions: { ...counters.transitions } }),
    stop() {
      if (stopped) return;
      stopped = true;
      if (listTimer !== undefined) clock.clearTimeout(listTimer);
      if (leaseTimer !== undefined) clock.clearTimeout(leaseTimer);
      listTimer = leaseTimer = undefined;
      if (options.lease && counters.leaseHeld) {
        counters.leaseHeld = false;
        void options.lease.release().catch(() => {});
      }
    },
  };
}
