// Two instances on PostgreSQL: 10,000 organizations added through two session
// handlers that share one database (store, bus, action lock, metrics from
// createPostgresDeployment), behind a round-robin "load balancer", then the default
// polling cadence and a closed-loop saturation run. This process holds both
// instances; the WAHA simulator and the load generator run in bench/lib/load-driver.ts;
// PostgreSQL is DATABASE_URL's server or a throwaway embedded one
// (scripts/test-postgres.mjs), in a database made and dropped for the run.
//
// Handler overhead is each GET's time in the handler minus the time its WAHA calls
// took (PostgreSQL's time is part of the overhead); queries per GET are the
// statements each GET sent, attributed with AsyncLocalStorage.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants as osConstants } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { DEFAULT_CADENCE } from '@whatsapp-connector/client';
import { createSessionHandler, type SessionHandler } from '@whatsapp-connector/server';
import { toNodeHandler } from '@whatsapp-connector/server/node';
import { createPostgresDeployment, migrate, type PgPool, type PgPoolClient, type PostgresDeployment } from '@whatsapp-connector/server/postgres';
import { startTestPostgres } from '../scripts/test-postgres.mjs';
import { emit, measured, percentile, progress, type Figure } from './lib/figure.js';
import { startDriver } from './lib/driver-link.js';
import type { PhaseReport } from './lib/load-driver.js';
import { wahaTiming, type WahaTiming } from './lib/waha-timing.js';

const GROUP = 'two instances on PostgreSQL (handler + pg over the simulator, loopback)';
const ORGS = Number(process.env.WAC_BENCH_PG_ORGS ?? 10_000);
const CONNECTED_SHARE = 0.9;
const CADENCE_RUN_MS = Number(process.env.WAC_BENCH_PG_CADENCE_MS ?? 10_000);
const SATURATE_RUN_MS = Number(process.env.WAC_BENCH_PG_SATURATE_MS ?? 5_000);
const SATURATE_CONCURRENCY = 32;
/** Each instance's pool (node-postgres' default). */
const POOL_MAX = 10;

interface GetTiming extends WahaTiming {
  queries: number;
}
interface Sample {
  totalMs: number;
  wahaMs: number;
  wahaCalls: number;
  queries: number;
}

const { als, timedFetch } = wahaTiming<GetTiming>();
let samples: Sample[] = [];
let queriesTotal = 0;
const debugCounts = new Map<string, number>();

/** The pool as the deployment sees it: every statement counted, and charged to the GET that sent it. */
function countingPool(pool: pg.Pool): PgPool {
  const counted = new WeakSet<object>();
  return {
    async connect() {
      const client = (await pool.connect()) as unknown as PgPoolClient;
      if (!counted.has(client)) {
        counted.add(client);
        const query = client.query.bind(client);
        client.query = (config) => {
          queriesTotal++;
          if (process.env.WAC_BENCH_PG_DEBUG) {
            const key = String((config as { text: string }).text).replace(/\s+/g, ' ').slice(0, 70);
            debugCounts.set(key, (debugCounts.get(key) ?? 0) + 1);
          }
          const timing = als.getStore();
          if (timing) timing.queries++;
          return query(config);
        };
      }
      return client;
    },
  };
}

// ---- teardown --------------------------------------------------------------------------
/** What the run started, newest last: teardown() ends it all, after the run, when a step throws, or on a signal. */
const cleanups: Array<() => unknown> = [];
let ending: Promise<void> | undefined;
/**
 * Ends what the run started, newest first; once only (later calls get the same promise). A
 * resource a step still under way registers meanwhile is ended too.
 */
function teardown(): Promise<void> {
  ending ??= (async () => {
    for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) {
      try {
        await cleanup();
      } catch (error) {
        progress(`teardown: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })();
  return ending;
}
/** The signals the bench tears down on. */
const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
// scripts/bench.mjs ends a bench that overruns its time with SIGTERM (SIGKILL 10 s later);
// SIGINT is ^C, SIGHUP a closed terminal. Each tears down as a failed run does, then exits
// non-zero (128 + signal). startTestPostgres leaves stopping PostgreSQL to this teardown. The load
// driver is ended by the teardown too, and would end with this process anyway (bench/lib/driver-link.ts).
for (const signal of SIGNALS) {
  process.once(signal, () => {
    progress(`${signal}: tearing down`);
    void teardown().then(() => process.exit(128 + osConstants.signals[signal]));
  });
}

// ---- PostgreSQL ------------------------------------------------------------------
const starting = startTestPostgres({ log: progress });
// A signal while the server starts: its stop waits for the start (a failed start removes its own files).
cleanups.push(() => starting.then((started) => started.stop(), () => {}));
const postgres = await starting;
const database = `wac_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Pool({ connectionString: postgres.url, max: 2 });
// pool.end() resolves before its connections have closed: one that the server ends meanwhile
// (DROP DATABASE … WITH (FORCE), PostgreSQL stopping) is an 'error' on the pool, which unheard
// would crash the bench in the middle of its teardown. The instances' pools ignore it too.
admin.on('error', () => {});
cleanups.push(() => admin.end());
const databaseUrl = new URL(postgres.url);
databaseUrl.pathname = `/${database}`;

interface Instance {
  name: string;
  pool: pg.Pool;
  shared: PostgresDeployment;
  handler: SessionHandler;
  server: Server;
  url: string;
}

/** One instance on its own pool; its teardown is registered before it can fail half-started. */
async function startInstance(name: string, wahaUrl: string): Promise<Instance> {
  const pool = new pg.Pool({ connectionString: databaseUrl.toString(), max: POOL_MAX, application_name: `wac-bench-${name}` });
  pool.on('error', () => {});
  const shared = createPostgresDeployment({ pool: countingPool(pool), instanceName: name });
  const handler = createSessionHandler({
    getOrganizationId: (request) => request.headers.get('x-org'),
    store: shared.store,
    bus: shared.bus,
    lock: shared.lock,
    metrics: shared.metrics,
    waha: { url: wahaUrl, apiKey: 'simulator-key', fetch: timedFetch },
  });
  const timed = async (request: Request): Promise<Response> => {
    const timing: GetTiming = { wahaMs: 0, wahaCalls: 0, queries: 0 };
    return als.run(timing, async () => {
      const started = performance.now();
      const response = await handler(request);
      if (request.method === 'GET') samples.push({ totalMs: performance.now() - started, ...timing });
      return response;
    });
  };
  const server = createServer(toNodeHandler(timed));
  server.keepAliveTimeout = 60_000;
  cleanups.push(async () => {
    handler.close();
    server.closeAllConnections();
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    await shared.close();
    await pool.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await shared.bus.ready();
  return { name, pool, shared, handler, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/whatsapp/session` };
}

// ---- connections held, sampled -------------------------------------------------------
const instances: Instance[] = [];
let connectionsMax = 0;
let serverBackendsMax = 0;
async function serverBackends(): Promise<number> {
  const { rows } = await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'wac-bench-%'`, [database]);
  return Number(rows[0].n);
}

function summarize(report: PhaseReport) {
  const taken = samples;
  samples = [];
  const overhead = taken.map((s) => Math.max(0, s.totalMs - s.wahaMs));
  const sum = (f: (s: Sample) => number) => taken.reduce((n, s) => n + f(s), 0);
  return {
    getsPerSecond: report.gets / (report.elapsedMs / 1000),
    gets: report.gets,
    failures: report.failures,
    overheadP50: percentile(overhead, 50),
    overheadP99: percentile(overhead, 99),
    latencyP50: percentile(report.latenciesMs, 50),
    latencyP99: percentile(report.latenciesMs, 99),
    queriesPerGet: taken.length === 0 ? null : sum((s) => s.queries) / taken.length,
    queriesPerGetP99: percentile(taken.map((s) => s.queries), 99),
    wahaCallsPerGet: taken.length === 0 ? null : sum((s) => s.wahaCalls) / taken.length,
    samples: taken.length,
  };
}

// ---- the run ---------------------------------------------------------------------------
async function run() {
  await admin.query(`CREATE DATABASE ${database}`);
  cleanups.push(() => admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  // The load driver (simulator + load generator) in its child process.
  const { command, expect, end } = startDriver();
  cleanups.push(end);
  const { url: wahaUrl } = await expect('sim');
  /** The bench's own connections to the bench database (not counted): migrate, then count rows. */
  const own = new pg.Pool({ connectionString: databaseUrl.toString(), max: 1, application_name: 'bench-observer' });
  own.on('error', () => {});
  cleanups.push(() => own.end());
  await migrate({ pool: own });
  instances.push(await startInstance('a', wahaUrl), await startInstance('b', wahaUrl));

  const sampler = setInterval(() => {
    connectionsMax = Math.max(connectionsMax, instances.reduce((n, i) => n + i.pool.totalCount, 0));
    void serverBackends().then((n) => {
      serverBackendsMax = Math.max(serverBackendsMax, n);
    }, () => {});
  }, 200);
  cleanups.push(() => clearInterval(sampler));

  command({ cmd: 'target', url: instances[0]!.url, urls: instances.map((i) => i.url), orgs: ORGS, connectedShare: CONNECTED_SHARE });
  progress(`adding ${ORGS} organizations through two instances (round robin) on PostgreSQL: their sessions made in the simulator, each organization's first GET stores it`);
  const warmupStarted = performance.now();
  command({ cmd: 'warmup', precreate: true });
  const { statuses } = await expect('ready');
  const warmupMs = performance.now() - warmupStarted;
  debugCounts.clear();
  samples = [];
  const rows = Number((await own.query(`SELECT count(*)::int AS n FROM wac_sessions`)).rows[0].n);
  progress(`added in ${(warmupMs / 1000).toFixed(1)} s; statuses ${JSON.stringify(statuses)}; ${rows} rows in wac_sessions`);

  const offered = ORGS * CONNECTED_SHARE * (1000 / DEFAULT_CADENCE.connectedMs) + ORGS * (1 - CONNECTED_SHARE) * (1000 / DEFAULT_CADENCE.waitingMs);
  progress(`cadence run: ${ORGS} orgs at the default cadence (offered ${offered.toFixed(0)} GET/s) for ${CADENCE_RUN_MS / 1000} s`);
  queriesTotal = 0;
  command({ cmd: 'cadence', durationMs: CADENCE_RUN_MS, waitingMs: DEFAULT_CADENCE.waitingMs, connectedMs: DEFAULT_CADENCE.connectedMs });
  const cadence = { ...summarize((await expect('phase')).report), queriesAll: queriesTotal };
  progress(`cadence: ${cadence.getsPerSecond.toFixed(1)} GET/s, overhead p50 ${cadence.overheadP50?.toFixed(2)} ms p99 ${cadence.overheadP99?.toFixed(2)} ms, ${cadence.queriesPerGet?.toFixed(2)} queries/GET`);

  progress(`saturation run: ${SATURATE_CONCURRENCY} callers back to back for ${SATURATE_RUN_MS / 1000} s`);
  queriesTotal = 0;
  command({ cmd: 'saturate', durationMs: SATURATE_RUN_MS, concurrency: SATURATE_CONCURRENCY });
  const saturation = { ...summarize((await expect('phase')).report), queriesAll: queriesTotal };
  progress(`saturation: ${saturation.getsPerSecond.toFixed(0)} GET/s`);
  if (process.env.WAC_BENCH_PG_DEBUG) for (const [text, n] of [...debugCounts].sort((x, y) => y[1] - x[1]).slice(0, 15)) progress(`${n} × ${text}`);
  clearInterval(sampler);
  const connectionsEnd = instances.reduce((n, i) => n + i.pool.totalCount, 0);
  const backendsEnd = await serverBackends();
  await end();
  return { statuses, warmupMs, rows, offered, cadence, saturation, connectionsEnd, backendsEnd };
}

// A throw anywhere in the run still ends the load driver, the instances and PostgreSQL (then the bench fails).
let result: Awaited<ReturnType<typeof run>>;
try {
  result = await run();
} finally {
  await teardown();
}
const { statuses, warmupMs, rows, offered, cadence, saturation, connectionsEnd, backendsEnd } = result;

const ms = (v: number | null) => (v === null ? 'not measured' : `${v.toFixed(2)} ms`);
const q = (v: number | null) => (v === null ? 'not measured' : v.toFixed(2));
const figures: Figure[] = [
  measured({
    id: 'pg.addOrganizations',
    group: GROUP,
    label: `time to add ${ORGS} organizations (first GET of each stores it, 32 at a time)`,
    value: Math.round(warmupMs),
    unit: 'ms',
    display: `${(warmupMs / 1000).toFixed(1)} s (${rows} rows stored; ${Object.entries(statuses).map(([s, n]) => `${s} ×${n}`).join(', ')})`,
    target: null,
  }),
  measured(
    {
      id: 'pg.cadenceGetsPerSecond',
      group: GROUP,
      label: `GET/s served, ${ORGS} orgs at the default cadence`,
      value: Math.round(cadence.getsPerSecond * 10) / 10,
      unit: 'GET/s',
      display: `${cadence.getsPerSecond.toFixed(1)} GET/s (${cadence.failures} failed)`,
      target: `keeps up with offered ${offered.toFixed(0)} GET/s`,
    },
    (value) => value >= offered * 0.9 && cadence.failures === 0,
  ),
  measured({ id: 'pg.overheadP50', group: GROUP, label: 'handler overhead p50 (handler − WAHA time; PostgreSQL included)', value: cadence.overheadP50, unit: 'ms', display: ms(cadence.overheadP50), target: null }),
  measured({ id: 'pg.overheadP99', group: GROUP, label: 'handler overhead p99', value: cadence.overheadP99, unit: 'ms', display: ms(cadence.overheadP99), target: null }),
  measured({
    id: 'pg.queriesPerGet',
    group: GROUP,
    label: 'PostgreSQL statements per GET (sent by the GET itself)',
    value: cadence.queriesPerGet === null ? null : Math.round(cadence.queriesPerGet * 100) / 100,
    unit: 'queries',
    display: `${q(cadence.queriesPerGet)} (p99 ${cadence.queriesPerGetP99 ?? '?'}; all statements incl. bus and metrics: ${q(cadence.gets ? cadence.queriesAll / cadence.gets : null)} per GET)`,
    target: null,
  }),
  measured({
    id: 'pg.connectionsHeld',
    group: GROUP,
    label: `connections held, both instances (pool max ${POOL_MAX} each)`,
    value: connectionsMax,
    unit: 'connections',
    display: `${connectionsMax} at most, ${connectionsEnd} at the end (server side: ${serverBackendsMax} at most, ${backendsEnd} at the end)`,
    target: `≤ ${2 * POOL_MAX}`,
  }, (value) => value <= 2 * POOL_MAX),
  measured({
    id: 'pg.saturationGetsPerSecond',
    group: GROUP,
    label: `max GET/s (${SATURATE_CONCURRENCY} callers back to back, both instances)`,
    value: Math.round(saturation.getsPerSecond),
    unit: 'GET/s',
    display: `${saturation.getsPerSecond.toFixed(0)} GET/s (overhead p50 ${ms(saturation.overheadP50)}, p99 ${ms(saturation.overheadP99)}; ${q(saturation.queriesPerGet)} queries/GET)`,
    target: null,
    note: 'both instances, PostgreSQL, the simulator and the load generator share the machine\'s cores: a floor, not the handler\'s own limit',
  }),
];
emit({
  name: 'postgres-instances',
  figures,
  details: { orgs: ORGS, connectedShare: CONNECTED_SHARE, poolMax: POOL_MAX, offeredGetsPerSecond: offered, statuses, rows, warmupMs, cadence, saturation, connections: { max: connectionsMax, end: connectionsEnd, serverMax: serverBackendsMax, serverEnd: backendsEnd }, externalDatabase: postgres.external },
});
process.exit(0);
