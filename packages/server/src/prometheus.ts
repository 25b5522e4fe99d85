import { HttpError, errorResponse } from './errors.js';
import type { MetricsSnapshot, ServerMetrics } from './metrics.js';
import type { SessionWatcher } from './watcher.js';

/** The content type of the Prometheus text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Statuses always exported (as 0 when absent), so dashboards have stable series. */
const BASE_STATUSES = ['STARTING', 'SCAN_QR', 'WORKING', 'STOPPED', 'FAILED'];

/** Escapes a label value (`\`, `"`, newline). */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function number(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

class Exposition {
  readonly lines: string[] = [];
  constructor(readonly prefix: string) {}

  family(name: string, type: 'counter' | 'gauge' | 'histogram', help: string): string {
    const full = `${this.prefix}_${name}`;
    this.lines.push(`# HELP ${full} ${help}`, `# TYPE ${full} ${type}`);
    return full;
  }

  sample(name: string, value: number, labels: Record<string, string> = {}): void {
    const pairs = Object.entries(labels).map(([key, label]) => `${key}="${escapeLabel(label)}"`);
    this.lines.push(`${name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${number(value)}`);
  }

  simple(name: string, type: 'counter' | 'gauge', help: string, value: number): void {
    this.sample(this.family(name, type, help), value);
  }
}

/** Options of {@link toPrometheus} and {@link createMetricsHandler}. */
export interface PrometheusOptions {
  /** Metric name prefix (default `wac`). */
  prefix?: string;
  /** Adds the watcher's own counters (`<prefix>_watcher_*`). */
  watcher?: SessionWatcher;
}

/**
 * Renders a {@link MetricsSnapshot} in the Prometheus text exposition format
 * (version 0.0.4): sessions by status, connect attempts / successes / failures
 * and success ratio, a time-to-connect histogram, flaps, failures, recoveries
 * and WAHA errors by kind.
 */
export function toPrometheus(snapshot: MetricsSnapshot, options: PrometheusOptions = {}): string {
  const out = new Exposition(options.prefix ?? 'wac');

  const sessions = out.family('sessions', 'gauge', 'WhatsApp sessions by status at the last watcher listing.');
  const statuses = new Set([...BASE_STATUSES, ...Object.keys(snapshot.sessionsByStatus)]);
  for (const status of statuses) out.sample(sessions, snapshot.sessionsByStatus[status] ?? 0, { status });

  out.simple('connect_attempts_total', 'counter', 'Sessions created or recreated to be linked.', snapshot.connectAttempts);
  out.simple('connect_successes_total', 'counter', 'Connect attempts that reached WORKING.', snapshot.connectSuccesses);
  out.simple('connect_failures_total', 'counter', 'Connect attempts that ended FAILED before WORKING.', snapshot.connectFailures);
  out.simple('connect_success_ratio', 'gauge', 'Successful share of concluded connect attempts (NaN before any).', snapshot.connectSuccessRate ?? NaN);

  const ttc = out.family('time_to_connect_seconds', 'histogram', 'Time from session creation to WORKING.');
  for (const bucket of snapshot.timeToConnect.buckets) out.sample(`${ttc}_bucket`, bucket.count, { le: String(bucket.le) });
  out.sample(`${ttc}_bucket`, snapshot.timeToConnect.count, { le: '+Inf' });
  out.sample(`${ttc}_sum`, snapshot.timeToConnect.sumSeconds);
  out.sample(`${ttc}_count`, snapshot.timeToConnect.count);

  out.simple('flaps_total', 'counter', 'Flapping episodes (repeated WORKING <-> not WORKING).', snapshot.flaps);
  out.simple('session_failures_total', 'counter', 'Sessions that went FAILED.', snapshot.failures);
  out.simple('session_recoveries_total', 'counter', 'Sessions that recovered from a failure or flapping.', snapshot.recoveries);

  const errors = out.family('waha_errors_total', 'counter', 'Failed WAHA calls by kind.');
  for (const [kind, count] of Object.entries(snapshot.wahaErrors)) out.sample(errors, count, { kind });

  if (options.watcher) {
    const counters = options.watcher.counters();
    out.simple('watcher_checks_total', 'counter', 'Completed watcher listings.', counters.checks);
    out.simple('watcher_check_errors_total', 'counter', 'Failed watcher listings.', counters.checkErrors);
    out.simple('watcher_check_timeouts_total', 'counter', 'Watcher listings that timed out.', counters.checkTimeouts);
    out.simple('watcher_lease_held', 'gauge', '1 while this instance holds the watcher lease (watches), 0 while it stands by.', counters.leaseHeld ? 1 : 0);
    out.simple('watcher_wahas', 'gauge', 'WAHA servers watched in the last round.', counters.wahas);
    if (counters.lastCheckAt !== null) {
      out.simple('watcher_last_check_timestamp_seconds', 'gauge', 'Time of the last completed listing.', counters.lastCheckAt / 1000);
    }
  }
  return `${out.lines.join('\n')}\n`;
}

/** Options of {@link createMetricsHandler}. */
export interface MetricsHandlerOptions extends PrometheusOptions {
  /** Decides who may scrape (e.g. a bearer token check); `false` → 401. Default: everyone. */
  authorize?: (request: Request) => boolean | Promise<boolean>;
}

/**
 * A Fetch handler serving the metrics in Prometheus text format (`GET` only).
 *
 * @example
 * ```ts
 * export const GET = createMetricsHandler(metrics, { watcher, authorize: (r) => r.headers.get('authorization') === `Bearer ${token}` });
 * ```
 */
export function createMetricsHandler(metrics: ServerMetrics, options: MetricsHandlerOptions = {}): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return errorResponse(new HttpError(405, 'method_not_allowed', 'Use GET.', { allow: 'GET, HEAD' }));
    }
    let allowed = true;
    try {
      allowed = options.authorize ? await options.authorize(request) : true;
    } catch {
      allowed = false;
    }
    if (!allowed) return errorResponse(new HttpError(401, 'unauthorized', 'Not allowed to read metrics.'));
    let snapshot: MetricsSnapshot;
    try {
      snapshot = metrics.read ? await metrics.read() : metrics.snapshot();
    } catch {
      return errorResponse(new HttpError(503, 'store_error', 'The metrics could not be read.'));
    }
    const body = request.method === 'HEAD' ? null : toPrometheus(snapshot, options);
    return new Response(body, { status: 200, headers: { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' } });
  };
}
