import { normalizeStatus } from '@whatsapp-connector/client/contract';
import { systemClock, type Clock, type TimerHandle } from '../clock.js';
import { safeLogger, type Logger } from '../logger.js';
import {
  attemptOutcome,
  countOutcome,
  snapshotOf,
  TIME_TO_CONNECT_BUCKETS_S,
  wahaErrorKind,
  zeroCounts,
  type MetricCounts,
  type MetricsSnapshot,
  type ServerMetrics,
  type WahaErrorMetricKind,
} from '../metrics.js';
import { DEFAULT_TIMEOUT_MS, inTransaction, withConnection, type Connection, type PostgresOptions } from './connection.js';
import { toPostgresError } from './errors.js';
import { hasNul } from './record.js';
import { tableNames } from './tables.js';

/** Options of {@link createPostgresMetrics}. */
export interface PostgresMetricsOptions extends PostgresOptions {
  /** How often buffered counts are written, in ms (default 1 000). */
  flushMs?: number;
  /**
   * How long this instance trusts that a session it saw `WORKING` has no attempt
   * pending (started by another instance), in ms (default 10 minutes). Below
   * it, a steady session costs no query.
   */
  recheckMs?: number;
  /** Structured log records (write failures). */
  logger?: Logger;
  /** Time source of the flush timer (default: real timers). */
  clock?: Clock;
}

/** {@link ServerMetrics} in PostgreSQL. */
export interface PostgresMetrics extends ServerMetrics {
  /** Every counter, summed over the instances and kept across restarts. */
  read(): Promise<MetricsSnapshot>;
  /** Writes what is buffered now; resolves once written (or kept for later when PostgreSQL is unreachable). */
  flush(): Promise<void>;
  /** Stops the flush timer after a last flush. Idempotent. */
  close(): Promise<void>;
}

type Operation =
  | { kind: 'add'; deltas: Map<string, number> }
  | { kind: 'attempt'; session: string; at: number }
  | { kind: 'conclude'; session: string; status: string; at: number }
  | { kind: 'gauge'; counts: Record<string, number> };

/** Operations kept while PostgreSQL is unreachable (the oldest are dropped beyond it). */
const MAX_QUEUED = 10_000;
/** Sessions whose last status this instance remembers. */
const MAX_REMEMBERED = 50_000;

const bucketName = (le: number) => `ttc_le_${le}`;
const errorName = (kind: WahaErrorMetricKind) => `waha_errors_${kind}`;

/** Counter deltas of an attempt's outcome. */
function outcomeDeltas(outcome: NonNullable<ReturnType<typeof attemptOutcome>>): [string, number][] {
  const counts = zeroCounts();
  countOutcome(counts, outcome);
  const deltas: [string, number][] = [
    ['connect_successes', counts.successes],
    ['connect_failures', counts.failures],
    ['ttc_count', counts.ttcCount],
    ['ttc_sum', counts.ttcSum],
    ...TIME_TO_CONNECT_BUCKETS_S.map((le, index): [string, number] => [bucketName(le), counts.buckets[index]!]),
  ];
  return deltas.filter(([, value]) => value !== 0);
}

/**
 * {@link ServerMetrics} kept in PostgreSQL (tables of `migrate`): the counters
 * survive a restart, and with several instances each event is counted once —
 * a connect attempt started on one instance and seen `WORKING` on another is
 * concluded by whichever sees it first, atomically. Pass the same registry to
 * the handler and the watcher, and serve it with `createMetricsHandler`, which
 * reads the deployment's totals (`read()`).
 *
 * Counts are buffered and written every `flushMs` (connect attempts and their
 * outcomes at once, so that every instance sees them); while PostgreSQL is
 * unreachable they are kept (up to 10,000 pending writes) and written when it is
 * back. `snapshot()` returns the totals as of the last `read()`.
 *
 * @example
 * ```ts
 * const metrics = createPostgresMetrics({ pool });
 * const handler = createSessionHandler({ getOrganizationId, store, bus, lock, metrics });
 * export const GET = createMetricsHandler(metrics);
 * ```
 */
export function createPostgresMetrics(options: PostgresMetricsOptions): PostgresMetrics {
  const t = tableNames(options.schema);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const flushMs = options.flushMs ?? 1_000;
  const recheckMs = options.recheckMs ?? 10 * 60_000;
  const clock = options.clock ?? systemClock;
  const log = safeLogger(options.logger, () => clock.now());

  const queue: Operation[] = [];
  /** This instance's view of each session: last status seen, when the store was last asked, and whether it started the attempt. */
  const seen = new Map<string, { status: string; checkedAt: number; pending: boolean }>();
  let lastRead: MetricsSnapshot = snapshotOf(zeroCounts());
  let flushing: Promise<void> | undefined;
  let timer: TimerHandle | undefined;
  let closed = false;
  let warned = false;

  function enqueue(operation: Operation): void {
    if (closed) return;
    // The first operation may be on its way to PostgreSQL: never merge into it.
    const last = queue.length > (flushing ? 1 : 0) ? queue[queue.length - 1] : undefined;
    if (operation.kind === 'add' && last?.kind === 'add') {
      for (const [name, value] of operation.deltas) last.deltas.set(name, (last.deltas.get(name) ?? 0) + value);
    } else if (operation.kind === 'gauge' && last?.kind === 'gauge') {
      last.counts = operation.counts;
    } else {
      queue.push(operation);
      if (queue.length > MAX_QUEUED) queue.shift();
    }
    // An attempt must be in the table before any instance can see it conclude (a scan
    // takes seconds, a write milliseconds): attempts and conclusions go at once, in order.
    // Plain counts wait for the next flush.
    if (operation.kind === 'attempt' || operation.kind === 'conclude') {
      void flush();
    } else if (timer === undefined) {
      timer = clock.setTimeout(() => {
        timer = undefined;
        void flush();
      }, flushMs);
    }
  }

  const add = (name: string, value = 1) => enqueue({ kind: 'add', deltas: new Map([[name, value]]) });

  function remember(session: string, status: string, at: number, pending: boolean): void {
    seen.delete(session);
    seen.set(session, { status, checkedAt: at, pending });
    if (seen.size > MAX_REMEMBERED) seen.delete(seen.keys().next().value!);
  }

  async function addCounters({ exec }: Connection, deltas: Iterable<[string, number]>): Promise<void> {
    const entries = [...deltas].filter(([, value]) => value !== 0);
    if (entries.length === 0) return;
    await exec(
      `INSERT INTO ${t.counters} (name, value) SELECT * FROM unnest($1::text[], $2::double precision[])
       ON CONFLICT (name) DO UPDATE SET value = ${t.counters}.value + EXCLUDED.value`,
      [entries.map(([name]) => name), entries.map(([, value]) => value)],
    );
  }

  async function apply(operation: Operation): Promise<void> {
    switch (operation.kind) {
      case 'add':
        await withConnection(options.pool, timeoutMs, 'count', (connection) => addCounters(connection, operation.deltas));
        return;
      case 'attempt':
        await inTransaction(options.pool, timeoutMs, 'count a connect attempt', async (connection) => {
          // A new attempt replaces one that never concluded (the session was recreated).
          await connection.exec(
            `INSERT INTO ${t.attempts} (session, started_at) VALUES ($1, $2) ON CONFLICT (session) DO UPDATE SET started_at = EXCLUDED.started_at`,
            [operation.session, Math.round(operation.at)],
          );
          await addCounters(connection, [['connect_attempts', 1]]);
        });
        return;
      case 'conclude':
        await inTransaction(options.pool, timeoutMs, 'conclude a connect attempt', async (connection) => {
          // Whoever deletes the pending attempt counts its outcome: once, whichever instance saw it.
          const rows = await connection.sql(`DELETE FROM ${t.attempts} WHERE session = $1 RETURNING started_at`, [operation.session]);
          if (!rows[0]) return;
          const outcome = attemptOutcome(operation.status, Number(rows[0].started_at), operation.at);
          if (outcome) await addCounters(connection, outcomeDeltas(outcome));
        });
        return;
      case 'gauge':
        await withConnection(options.pool, timeoutMs, 'save the sessions by status', ({ exec }) =>
          exec(`INSERT INTO ${t.gauges} (name, value) VALUES ('sessions_by_status', $1) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`, [
            JSON.stringify(operation.counts),
          ]),
        );
        return;
    }
  }

  function flush(): Promise<void> {
    flushing ??= (async () => {
      try {
        while (queue.length > 0) {
          await apply(queue[0]!);
          queue.shift();
        }
        warned = false;
      } catch (error) {
        // Kept in order for the next flush: nothing is lost while PostgreSQL is away.
        if (!warned) {
          warned = true;
          log({ level: 'warn', event: 'metrics.write_failed', message: 'Could not write the metrics; keeping them for later.', errorKind: toPostgresError(error, 'count').kind });
        }
        if (!closed && timer === undefined) {
          timer = clock.setTimeout(() => {
            timer = undefined;
            void flush();
          }, Math.max(flushMs, 1_000));
        }
      }
    })().finally(() => {
      flushing = undefined;
      // Queued while the last statement was in flight: not lost, written on the next tick.
      if (queue.length > 0 && !closed && timer === undefined) {
        timer = clock.setTimeout(() => {
          timer = undefined;
          void flush();
        }, flushMs);
      }
    });
    return flushing;
  }

  return {
    connectAttempt(session, at) {
      if (typeof session !== 'string' || hasNul(session)) return;
      remember(session, 'STARTING', at, true);
      enqueue({ kind: 'attempt', session, at });
    },
    observeStatus(session, status, at) {
      if (typeof session !== 'string' || hasNul(session)) return;
      const normalized = normalizeStatus(status);
      const terminal = normalized === 'WORKING' || normalized === 'FAILED' || normalized === 'ERROR';
      const before = seen.get(session);
      if (!terminal) {
        if (before?.status !== normalized) remember(session, normalized, at, before?.pending ?? false);
        return;
      }
      // Ask the store only when this may conclude an attempt: one this instance started,
      // a change it has not seen, or a while since it last asked (another instance may
      // have started one it never observed).
      if (before && !before.pending && before.status === normalized && at - before.checkedAt < recheckMs) return;
      remember(session, normalized, at, false);
      enqueue({ kind: 'conclude', session, status: normalized, at });
    },
    setSessionsByStatus(counts) {
      enqueue({ kind: 'gauge', counts: { ...counts } });
    },
    flap: () => add('flaps'),
    failure: () => add('session_failures'),
    recovery: () => add('recoveries'),
    wahaError: (error) => add(errorName(wahaErrorKind(error))),
    snapshot: () => lastRead,
    async read() {
      const [rows, gauges] = await withConnection(options.pool, timeoutMs, 'read the metrics', async ({ sql }) => [
        await sql(`SELECT name, value FROM ${t.counters}`),
        await sql(`SELECT value FROM ${t.gauges} WHERE name = 'sessions_by_status'`),
      ]);
      const value = new Map(rows.map((row) => [String(row.name), Number(row.value)]));
      const get = (name: string) => value.get(name) ?? 0;
      const counts: MetricCounts = {
        ...zeroCounts(),
        attempts: get('connect_attempts'),
        successes: get('connect_successes'),
        failures: get('connect_failures'),
        ttcCount: get('ttc_count'),
        ttcSum: get('ttc_sum'),
        buckets: TIME_TO_CONNECT_BUCKETS_S.map((le) => get(bucketName(le))),
        flaps: get('flaps'),
        sessionFailures: get('session_failures'),
        recoveries: get('recoveries'),
      };
      for (const kind of Object.keys(counts.wahaErrors) as WahaErrorMetricKind[]) counts.wahaErrors[kind] = get(errorName(kind));
      const gauge = gauges[0]?.value;
      if (gauge && typeof gauge === 'object') {
        for (const [status, count] of Object.entries(gauge as Record<string, unknown>)) if (typeof count === 'number') counts.sessionsByStatus[status] = count;
      }
      lastRead = snapshotOf(counts);
      return lastRead;
    },
    flush,
    async close() {
      if (closed) return;
      await flush();
      closed = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
