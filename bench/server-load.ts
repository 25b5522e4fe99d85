// Server load: the session handler (Node adapter, 127.0.0.1) over the WAHA
// simulator, 1,000 organizations polling at the default cadence, then a closed-loop
// saturation run. This process holds only the handler; the simulator and the load
// generator run in bench/lib/load-driver.ts. Handler overhead is each GET's time in
// the handler minus the time its WAHA calls took (attributed with AsyncLocalStorage).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { DEFAULT_CADENCE } from '@whatsapp-connector/client';
import { createSessionHandler } from '@whatsapp-connector/server';
import { toNodeHandler } from '@whatsapp-connector/server/node';
import { emit, measured, percentile, progress, type Figure } from './lib/figure.js';
import { startDriver } from './lib/driver-link.js';
import type { PhaseReport } from './lib/load-driver.js';
import { wahaTiming, type WahaTiming } from './lib/waha-timing.js';

const GROUP = 'server (handler over the simulator, loopback)';
const ORGS = 1000;
const CONNECTED_SHARE = 0.9;
const CADENCE_RUN_MS = Number(process.env.WAC_BENCH_CADENCE_MS ?? 30_000);
const SATURATE_RUN_MS = 8_000;
const SATURATE_CONCURRENCY = 32;

type RequestTiming = WahaTiming;

const { als, timedFetch } = wahaTiming<RequestTiming>();
let handlerSamples: { totalMs: number; wahaMs: number; wahaCalls: number }[] = [];

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function memory() {
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

const baseline = memory();

// No try/finally: the handler and its server live in this process, and the driver exits when
// this process ends, however it ends (bench/lib/driver-link.ts). A step that throws fails the run.
const { command, expect, end } = startDriver();

const { url: wahaUrl } = await expect('sim');
const handler = createSessionHandler({
  getOrganizationId: (request) => request.headers.get('x-org'),
  waha: { url: wahaUrl, apiKey: 'simulator-key', fetch: timedFetch },
});
const timed = async (request: Request): Promise<Response> => {
  const timing: RequestTiming = { wahaMs: 0, wahaCalls: 0 };
  return als.run(timing, async () => {
    const started = performance.now();
    const response = await handler(request);
    if (request.method === 'GET') handlerSamples.push({ totalMs: performance.now() - started, wahaMs: timing.wahaMs, wahaCalls: timing.wahaCalls });
    return response;
  });
};
const server = createServer(toNodeHandler(timed));
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
command({ cmd: 'target', url: `http://127.0.0.1:${port}/api/whatsapp/session`, orgs: ORGS, connectedShare: CONNECTED_SHARE });

progress(`warming up: creating ${ORGS} sessions through the handler`);
command({ cmd: 'warmup' });
const { statuses } = await expect('ready');
progress(`statuses after warm-up: ${JSON.stringify(statuses)}`);
const afterWarmup = memory();

function summarize(report: PhaseReport) {
  const samples = handlerSamples;
  handlerSamples = [];
  const overhead = samples.map((s) => Math.max(0, s.totalMs - s.wahaMs));
  return {
    getsPerSecond: report.gets / (report.elapsedMs / 1000),
    overheadP50: percentile(overhead, 50),
    overheadP99: percentile(overhead, 99),
    handlerP50: percentile(samples.map((s) => s.totalMs), 50),
    handlerP99: percentile(samples.map((s) => s.totalMs), 99),
    wahaP50: percentile(samples.map((s) => s.wahaMs), 50),
    latencyP50: percentile(report.latenciesMs, 50),
    latencyP99: percentile(report.latenciesMs, 99),
    wahaPerGet: report.gets === 0 ? null : report.wahaCalls / report.gets,
    wahaPerGetFromHandler: samples.length === 0 ? null : samples.reduce((n, s) => n + s.wahaCalls, 0) / samples.length,
    samples: samples.length,
    report: { ...report, latenciesMs: undefined },
  };
}

const offered = ORGS * CONNECTED_SHARE * (1000 / DEFAULT_CADENCE.connectedMs) + ORGS * (1 - CONNECTED_SHARE) * (1000 / DEFAULT_CADENCE.waitingMs);
progress(`cadence run: ${ORGS} orgs (${CONNECTED_SHARE * 100}% WORKING at 30 s, the rest SCAN_QR at 8 s) for ${CADENCE_RUN_MS / 1000} s`);
handlerSamples = [];
command({ cmd: 'cadence', durationMs: CADENCE_RUN_MS, waitingMs: DEFAULT_CADENCE.waitingMs, connectedMs: DEFAULT_CADENCE.connectedMs });
const cadence = summarize((await expect('phase')).report);
const afterCadence = memory();
progress(`cadence: ${cadence.getsPerSecond.toFixed(1)} GET/s, overhead p50 ${cadence.overheadP50?.toFixed(2)} ms p99 ${cadence.overheadP99?.toFixed(2)} ms`);

progress(`saturation run: ${SATURATE_CONCURRENCY} callers back to back for ${SATURATE_RUN_MS / 1000} s`);
command({ cmd: 'saturate', durationMs: SATURATE_RUN_MS, concurrency: SATURATE_CONCURRENCY });
const saturation = summarize((await expect('phase')).report);
const afterSaturation = memory();
progress(`saturation: ${saturation.getsPerSecond.toFixed(0)} GET/s`);

await end();
handler.close();
await new Promise<void>((resolve) => server.close(() => resolve()));

const ms = (v: number | null) => (v === null ? 'not measured' : `${v.toFixed(2)} ms`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const figures: Figure[] = [
  measured(
    {
      id: 'server.cadenceGetsPerSecond',
      group: GROUP,
      label: `GET/s served, ${ORGS} orgs at the default cadence`,
      value: Math.round(cadence.getsPerSecond * 10) / 10,
      unit: 'GET/s',
      display: `${cadence.getsPerSecond.toFixed(1)} GET/s`,
      target: `keeps up with offered ${offered.toFixed(1)} GET/s`,
    },
    // The offered load is a mean over random phases; within 10 % means the server kept up.
    (value) => value >= offered * 0.9 && cadence.report.failures === 0,
  ),
  measured({ id: 'server.overheadP50', group: GROUP, label: 'handler overhead p50 (handler − WAHA time)', value: cadence.overheadP50, unit: 'ms', display: ms(cadence.overheadP50), target: null }),
  measured({ id: 'server.overheadP99', group: GROUP, label: 'handler overhead p99', value: cadence.overheadP99, unit: 'ms', display: ms(cadence.overheadP99), target: null }),
  measured({ id: 'server.latencyP50', group: GROUP, label: 'GET latency p50, end to end (incl. WAHA)', value: cadence.latencyP50, unit: 'ms', display: ms(cadence.latencyP50), target: null }),
  measured({ id: 'server.latencyP99', group: GROUP, label: 'GET latency p99, end to end', value: cadence.latencyP99, unit: 'ms', display: ms(cadence.latencyP99), target: null }),
  measured({
    id: 'server.wahaCallsPerGet',
    group: GROUP,
    label: 'WAHA calls per GET (simulator request log)',
    value: cadence.wahaPerGet === null ? null : Math.round(cadence.wahaPerGet * 100) / 100,
    unit: 'calls',
    display: cadence.wahaPerGet === null ? 'not measured' : `${cadence.wahaPerGet.toFixed(2)} (${Object.entries(cadence.report.wahaRoutes).map(([r, n]) => `${r} ×${n}`).join(', ')})`,
    target: null,
    ...(cadence.report.wahaLogCapped ? { note: 'the simulator request log hit its cap; the count is a lower bound' } : {}),
  }),
  measured({
    id: 'server.saturationGetsPerSecond',
    group: GROUP,
    label: `max GET/s (${SATURATE_CONCURRENCY} callers back to back)`,
    value: Math.round(saturation.getsPerSecond),
    unit: 'GET/s',
    display: `${saturation.getsPerSecond.toFixed(0)} GET/s (overhead p50 ${ms(saturation.overheadP50)}, p99 ${ms(saturation.overheadP99)})`,
    target: null,
    note: 'all three parties (handler; simulator + load generator) share the machine\'s 2 cores, so this is a floor, not the handler\'s own limit',
  }),
  measured({
    id: 'server.heapPerOrg',
    group: GROUP,
    label: `heap growth for ${ORGS} orgs (after GC)`,
    value: afterWarmup.heapUsed - baseline.heapUsed,
    unit: 'bytes',
    display: `${mb(afterWarmup.heapUsed - baseline.heapUsed)} (${((afterWarmup.heapUsed - baseline.heapUsed) / ORGS / 1024).toFixed(1)} KB/org)`,
    target: null,
  }),
  measured({ id: 'server.rss', group: GROUP, label: 'handler process RSS after the runs', value: afterSaturation.rss, unit: 'bytes', display: `${mb(afterSaturation.rss)} (heap ${mb(afterSaturation.heapUsed)})`, target: null }),
];
emit({
  name: 'server-load',
  figures,
  details: { orgs: ORGS, connectedShare: CONNECTED_SHARE, offeredGetsPerSecond: offered, statuses, cadence, saturation, memory: { baseline, afterWarmup, afterCadence, afterSaturation } },
});
