import { normalizeStatus } from '@whatsapp-connector/client/contract';
import type { WahaError } from './waha/errors.js';

/** Kinds of WAHA errors counted by {@link ServerMetrics}. */
export type WahaErrorMetricKind = 'timeout' | 'network' | 'http_4xx' | 'http_5xx' | 'invalid_response';

/** Upper bounds (seconds) of the time-to-connect histogram buckets. */
export const TIME_TO_CONNECT_BUCKETS_S: readonly number[] = Object.freeze([5, 15, 30, 60, 120, 300, 600, 1800]);

/** One cumulative histogram bucket. */
export interface HistogramBucket {
  /** Upper bound in seconds (inclusive). */
  le: number;
  /** Observations at or below `le`. */
  count: number;
}

/** The time-to-connect histogram. */
export interface TimeToConnectHistogram {
  /** Number of observations. */
  count: number;
  /** Sum of the observations, in seconds. */
  sumSeconds: number;
  /** Cumulative buckets, by {@link TIME_TO_CONNECT_BUCKETS_S}. */
  buckets: HistogramBucket[];
}

/** A point-in-time copy of the counters. */
export interface MetricsSnapshot {
  /** Sessions per status as of the watcher's last listing (statuses normalized, e.g. `SCAN_QR`). */
  sessionsByStatus: Record<string, number>;
  /** Sessions created (and started) to be linked: by a GET of a missing session, `reconnect` or `change_number`. */
  connectAttempts: number;
  /** Attempts that reached `WORKING`. */
  connectSuccesses: number;
  /** Attempts that ended `FAILED` before `WORKING` (e.g. the QR expired). */
  connectFailures: number;
  /** `successes / (successes + failures)`, or `null` before any attempt concluded. */
  connectSuccessRate: number | null;
  /** Time from creation to `WORKING`, as a cumulative histogram. */
  timeToConnect: TimeToConnectHistogram;
  /** WORKING ↔ not-WORKING alternations detected as flapping (once per flapping episode). */
  flaps: number;
  /** Sessions that went `FAILED` (once per failure). */
  failures: number;
  /** Sessions that recovered from a failure or a flapping episode. */
  recoveries: number;
  /** Failed WAHA calls, by kind. */
  wahaErrors: Record<WahaErrorMetricKind, number>;
}

/**
 * How the handler and the watcher name a session to {@link ServerMetrics}:
 * `<name>@<wahaUrl>` (the WAHA's normalized base URL), or the bare name when the WAHA's
 * URL is unknown (a watcher given a `WahaClient`). A name alone does not tell sessions
 * apart: every single-session WAHA's session is `default`, whichever organization owns it.
 */
export function sessionMetricKey(session: string, wahaUrl: string | undefined): string {
  return wahaUrl ? `${session}@${wahaUrl}` : session;
}

/**
 * Counters shared by the session handler and the watcher. Pass one instance to
 * both (`metrics` option) and serve it with {@link createMetricsHandler}.
 *
 * `session` names one session on one WAHA: the handler and the watcher pass
 * `<name>@<wahaUrl>` (e.g. `default@http://waha-acme:3000`), so that two organizations'
 * single-session WAHAs, both running `default`, keep their connect attempts apart. A
 * watcher given a `WahaClient` rather than its URL passes the bare name, which the
 * handler's keys never match: give it `waha` as a URL and key to share the metrics.
 */
export interface ServerMetrics {
  /** A session was created to be linked at `at` (epoch ms). */
  connectAttempt(session: string, at: number): void;
  /** A status was observed at `at`; concludes a pending attempt on `WORKING` or `FAILED`. */
  observeStatus(session: string, status: string, at: number): void;
  /** Replaces the per-status session counts (from a full listing). */
  setSessionsByStatus(counts: Record<string, number>): void;
  /** Counts a flapping episode. */
  flap(session: string): void;
  /** Counts a failure. */
  failure(session: string): void;
  /** Counts a recovery. */
  recovery(session: string): void;
  /** Counts a failed WAHA call. */
  wahaError(error: WahaError): void;
  /** A copy of every counter (for a shared registry, as of its last {@link ServerMetrics.read}). */
  snapshot(): MetricsSnapshot;
  /**
   * Every counter as the deployment sees it, for registries kept outside the
   * process (e.g. `createPostgresMetrics`: summed over every instance, kept
   * across restarts). The metrics handler prefers it to `snapshot()`.
   */
  read?(): Promise<MetricsSnapshot>;
}

/** The raw counters a {@link MetricsSnapshot} is computed from (what a shared registry stores). */
export interface MetricCounts {
  attempts: number;
  successes: number;
  failures: number;
  ttcCount: number;
  ttcSum: number;
  /** Cumulative counts per {@link TIME_TO_CONNECT_BUCKETS_S} bound. */
  buckets: number[];
  flaps: number;
  sessionFailures: number;
  recoveries: number;
  wahaErrors: Record<WahaErrorMetricKind, number>;
  sessionsByStatus: Record<string, number>;
}

/** Every counter at zero. */
export function zeroCounts(): MetricCounts {
  return {
    attempts: 0,
    successes: 0,
    failures: 0,
    ttcCount: 0,
    ttcSum: 0,
    buckets: TIME_TO_CONNECT_BUCKETS_S.map(() => 0),
    flaps: 0,
    sessionFailures: 0,
    recoveries: 0,
    wahaErrors: { timeout: 0, network: 0, http_4xx: 0, http_5xx: 0, invalid_response: 0 },
    sessionsByStatus: {},
  };
}

/** The snapshot of `counts` (copies everything). */
export function snapshotOf(counts: MetricCounts): MetricsSnapshot {
  const concluded = counts.successes + counts.failures;
  return {
    sessionsByStatus: { ...counts.sessionsByStatus },
    connectAttempts: counts.attempts,
    connectSuccesses: counts.successes,
    connectFailures: counts.failures,
    connectSuccessRate: concluded === 0 ? null : counts.successes / concluded,
    timeToConnect: {
      count: counts.ttcCount,
      sumSeconds: counts.ttcSum,
      buckets: TIME_TO_CONNECT_BUCKETS_S.map((le, index) => ({ le, count: counts.buckets[index] ?? 0 })),
    },
    flaps: counts.flaps,
    failures: counts.sessionFailures,
    recoveries: counts.recoveries,
    wahaErrors: { ...counts.wahaErrors },
  };
}

/** How an attempt that started at `started` ends with `status` at `at`: `success` (with seconds), `failure`, or `null` (not yet). */
export function attemptOutcome(status: string, started: number, at: number): { success: true; seconds: number } | { success: false } | null {
  const normalized = normalizeStatus(status);
  if (normalized === 'WORKING') return { success: true, seconds: Math.max(0, at - started) / 1000 };
  if (normalized === 'FAILED' || normalized === 'ERROR') return { success: false };
  return null;
}

/** Adds an attempt's outcome to `counts`. */
export function countOutcome(counts: MetricCounts, outcome: NonNullable<ReturnType<typeof attemptOutcome>>): void {
  if (!outcome.success) {
    counts.failures++;
    return;
  }
  counts.successes++;
  counts.ttcCount++;
  counts.ttcSum += outcome.seconds;
  TIME_TO_CONNECT_BUCKETS_S.forEach((le, index) => {
    if (outcome.seconds <= le) counts.buckets[index]!++;
  });
}

/** The metric kind of a WAHA error. */
export function wahaErrorKind(error: WahaError): WahaErrorMetricKind {
  if (error.kind === 'http') return error.status !== undefined && error.status >= 500 ? 'http_5xx' : 'http_4xx';
  return error.kind;
}

/**
 * Creates a {@link ServerMetrics} registry.
 *
 * @example
 * ```ts
 * const metrics = createMetrics();
 * const handler = createSessionHandler({ getOrganizationId, metrics });
 * const watcher = watchSessions({ waha, metrics });
 * export const GET = createMetricsHandler(metrics);
 * ```
 */
export function createMetrics(): ServerMetrics {
  const pending = new Map<string, number>();
  const counts = zeroCounts();
  return {
    connectAttempt(session, at) {
      counts.attempts++;
      pending.set(session, at);
    },
    observeStatus(session, status, at) {
      const started = pending.get(session);
      if (started === undefined) return;
      const outcome = attemptOutcome(status, started, at);
      if (!outcome) return;
      pending.delete(session);
      countOutcome(counts, outcome);
    },
    setSessionsByStatus(next) {
      counts.sessionsByStatus = { ...next };
    },
    flap() {
      counts.flaps++;
    },
    failure() {
      counts.sessionFailures++;
    },
    recovery() {
      counts.recoveries++;
    },
    wahaError(error) {
      counts.wahaErrors[wahaErrorKind(error)]++;
    },
    snapshot: () => snapshotOf(counts),
  };
}
