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
 * Counters shared by the session handler and the watcher. Pass one instance to
 * both (`metrics` option) and serve it with {@link createMetricsHandler}.
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
  /** A copy of every counter. */
  snapshot(): MetricsSnapshot;
}

function wahaErrorKind(error: WahaError): WahaErrorMetricKind {
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
  const buckets = TIME_TO_CONNECT_BUCKETS_S.map(() => 0);
  let sessionsByStatus: Record<string, number> = {};
  let attempts = 0;
  let successes = 0;
  let failures = 0;
  let ttcCount = 0;
  let ttcSum = 0;
  let flaps = 0;
  let sessionFailures = 0;
  let recoveries = 0;
  const wahaErrors: Record<WahaErrorMetricKind, number> = { timeout: 0, network: 0, http_4xx: 0, http_5xx: 0, invalid_response: 0 };

  return {
    connectAttempt(session, at) {
      attempts++;
      pending.set(session, at);
    },
    observeStatus(session, status, at) {
      const started = pending.get(session);
      if (started === undefined) return;
      const normalized = normalizeStatus(status);
      if (normalized === 'WORKING') {
        pending.delete(session);
        successes++;
        const seconds = Math.max(0, at - started) / 1000;
        ttcCount++;
        ttcSum += seconds;
        TIME_TO_CONNECT_BUCKETS_S.forEach((le, index) => {
          if (seconds <= le) buckets[index]!++;
        });
      } else if (normalized === 'FAILED' || normalized === 'ERROR') {
        pending.delete(session);
        failures++;
      }
    },
    setSessionsByStatus(counts) {
      sessionsByStatus = { ...counts };
    },
    flap() {
      flaps++;
    },
    failure() {
      sessionFailures++;
    },
    recovery() {
      recoveries++;
    },
    wahaError(error) {
      wahaErrors[wahaErrorKind(error)]++;
    },
    snapshot() {
      const concluded = successes + failures;
      return {
        sessionsByStatus: { ...sessionsByStatus },
        connectAttempts: attempts,
        connectSuccesses: successes,
        connectFailures: failures,
        connectSuccessRate: concluded === 0 ? null : successes / concluded,
        timeToConnect: {
          count: ttcCount,
          sumSeconds: ttcSum,
          buckets: TIME_TO_CONNECT_BUCKETS_S.map((le, index) => ({ le, count: buckets[index]! })),
        },
        flaps,
        failures: sessionFailures,
        recoveries,
        wahaErrors: { ...wahaErrors },
      };
    },
  };
}
