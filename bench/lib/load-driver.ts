// The far side of the server-load benchmark, in its own process: the WAHA simulator
// and the load generator (1,000 organizations polling), so that the measured
// process holds nothing but the session handler. Driven over IPC by
// bench/server-load.ts and bench/postgres-instances.ts (bench/lib/driver-link.ts);
// every socket is on 127.0.0.1. It lives as long as its IPC channel: when the channel
// closes (the bench disconnects, or its process ends however it ends), it exits.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createWahaSimulator } from '@whatsapp-connector/waha-simulator';

/** Commands the benchmark sends. */
export type DriverCommand =
  /** `urls`: several instances behind a round-robin "load balancer" (each GET goes to the next one); else `url`. */
  | { readonly cmd: 'target'; readonly url: string; readonly urls?: readonly string[]; readonly orgs: number; readonly connectedShare: number }
  /**
   * `precreate`: the sessions are made in the simulator directly (started, the
   * connected share scanned), and the warm-up is one GET per organization through the
   * handler, which finds its session in WAHA and stores it: adding many organizations
   * without paying WAHA's session creation for each.
   */
  | { readonly cmd: 'warmup'; readonly precreate?: boolean }
  | { readonly cmd: 'cadence'; readonly durationMs: number; readonly waitingMs: number; readonly connectedMs: number }
  | { readonly cmd: 'saturate'; readonly durationMs: number; readonly concurrency: number };

/** What one load phase measured from the outside. */
export interface PhaseReport {
  readonly gets: number;
  readonly failures: number;
  readonly elapsedMs: number;
  /** End-to-end GET latencies seen by the load generator, ms. */
  readonly latenciesMs: number[];
  /** WAHA `/api/*` requests the simulator logged during the phase. */
  readonly wahaCalls: number;
  /** `true` when the simulator's request log (capped) may have dropped entries. */
  readonly wahaLogCapped: boolean;
  /** WAHA calls by route shape, e.g. `GET /api/sessions/:name`. */
  readonly wahaRoutes: Record<string, number>;
}

/** Messages back to the benchmark. */
export type DriverMessage =
  | { readonly type: 'sim'; readonly url: string }
  | { readonly type: 'ready'; readonly statuses: Record<string, number> }
  | { readonly type: 'phase'; readonly report: PhaseReport }
  | { readonly type: 'error'; readonly message: string };

const sim = createWahaSimulator({ profile: 'fast', timings: { startingMs: 200, firstQrMs: 600_000, nextQrMs: 600_000 } });
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
let targets: readonly string[] = [];
let turn = 0;
let orgs = 0;
let connectedShare = 0;
const LOG_LIMIT = 10_000;

/** Sends a message unless the bench has gone: a phase still under way when it disconnects has no one to answer. */
function send(message: DriverMessage): void {
  if (process.connected) process.send!(message);
}

/**
 * The channel closed: the bench disconnected, or its process ended (a throw, a signal, SIGKILL).
 * Closes the simulator and exits; an unref'd timer exits anyway should the close hang.
 */
function shutdown(): void {
  setTimeout(() => process.exit(0), 2_000).unref();
  agent.destroy();
  void sim.close().finally(() => process.exit(0));
}

/** One GET of an organization's session; resolves its status (or null on failure) and latency. */
function get(org: number): Promise<{ status: string | null; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const target = targets[turn++ % targets.length]!;
    const req = request(target, { agent, headers: { 'x-org': String(org) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const ms = performance.now() - started;
        if (res.statusCode !== 200) return resolve({ status: null, ms });
        try {
          resolve({ status: (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { status: string }).status, ms });
        } catch {
          resolve({ status: null, ms });
        }
      });
    });
    req.on('error', () => resolve({ status: null, ms: performance.now() - started }));
    req.end();
  });
}

async function eachLimited(count: number, limit: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 1;
  const lanes = Array.from({ length: limit }, async () => {
    while (next <= count) await work(next++);
  });
  await Promise.all(lanes);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates every organization's session (through the handler, or directly), links the connected share, reads each once. */
async function warmup(precreate: boolean): Promise<Record<string, number>> {
  if (precreate) for (let org = 1; org <= orgs; org++) sim.createSession(`wac_${org}`, { start: true });
  else {
    await eachLimited(orgs, 32, async (org) => {
      await get(org);
    });
  }
  const deadline = Date.now() + 20_000;
  while (sim.listSessions().some((s) => s.status === 'STARTING') && Date.now() < deadline) await sleep(50);
  const linked = Math.round(orgs * connectedShare);
  for (let org = 1; org <= linked; org++) {
    const name = `wac_${org}`;
    if (sim.getSession(name)?.status === 'SCAN_QR_CODE') sim.scan(name, { phone: `52155${String(org).padStart(8, '0')}`, pushName: `Org ${org}` });
  }
  const statuses: Record<string, number> = {};
  await eachLimited(orgs, 32, async (org) => {
    const { status } = await get(org);
    statuses[status ?? 'failed'] = (statuses[status ?? 'failed'] ?? 0) + 1;
  });
  return statuses;
}

function routeShape(path: string): string {
  return path.replace(/wac_\d+/g, ':name');
}

function wahaReport(): Pick<PhaseReport, 'wahaCalls' | 'wahaLogCapped' | 'wahaRoutes'> {
  const log = sim.requestLog().filter((entry) => entry.path.startsWith('/api/'));
  const routes: Record<string, number> = {};
  for (const entry of log) {
    const key = `${entry.method} ${routeShape(entry.path)}`;
    routes[key] = (routes[key] ?? 0) + 1;
  }
  return { wahaCalls: log.length, wahaLogCapped: sim.requestLog().length >= LOG_LIMIT, wahaRoutes: routes };
}

/** Every organization polls at its cadence (connected or waiting), from a random phase, for `durationMs`. */
async function cadence(durationMs: number, waitingMs: number, connectedMs: number): Promise<PhaseReport> {
  sim.clearRequestLog();
  const latenciesMs: number[] = [];
  let failures = 0;
  const started = performance.now();
  const end = started + durationMs;
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  const schedule = (org: number, delay: number) => {
    if (performance.now() + delay >= end) return;
    const timer = setTimeout(async () => {
      timers.delete(timer);
      inFlight++;
      const { status, ms } = await get(org);
      inFlight--;
      latenciesMs.push(ms);
      if (status === null) failures++;
      schedule(org, status === 'WORKING' ? connectedMs : waitingMs);
    }, delay);
    timers.add(timer);
  };
  for (let org = 1; org <= orgs; org++) {
    const isConnected = org <= Math.round(orgs * connectedShare);
    schedule(org, Math.random() * (isConnected ? connectedMs : waitingMs));
  }
  await sleep(durationMs);
  for (const timer of timers) clearTimeout(timer);
  while (inFlight > 0) await sleep(10);
  return { gets: latenciesMs.length, failures, elapsedMs: performance.now() - started, latenciesMs, ...wahaReport() };
}

/** Closed loop: `concurrency` callers GET back to back over random organizations for `durationMs`. */
async function saturate(durationMs: number, concurrency: number): Promise<PhaseReport> {
  sim.clearRequestLog();
  const latenciesMs: number[] = [];
  let failures = 0;
  const started = performance.now();
  const end = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const { status, ms } = await get(1 + Math.floor(Math.random() * orgs));
        latenciesMs.push(ms);
        if (status === null) failures++;
      }
    }),
  );
  return { gets: latenciesMs.length, failures, elapsedMs: performance.now() - started, latenciesMs, ...wahaReport() };
}

process.on('message', (message: DriverCommand) => {
  void (async () => {
    try {
      switch (message.cmd) {
        case 'target':
          targets = message.urls && message.urls.length > 0 ? message.urls : [message.url];
          orgs = message.orgs;
          connectedShare = message.connectedShare;
          return;
        case 'warmup':
          return send({ type: 'ready', statuses: await warmup(message.precreate === true) });
        case 'cadence':
          return send({ type: 'phase', report: await cadence(message.durationMs, message.waitingMs, message.connectedMs) });
        case 'saturate':
          return send({ type: 'phase', report: await saturate(message.durationMs, message.concurrency) });
      }
    } catch (error) {
      send({ type: 'error', message: error instanceof Error ? error.stack ?? error.message : String(error) });
    }
  })();
});

process.once('disconnect', shutdown);
// A bench that was gone before the listener above was registered.
if (!process.connected) shutdown();
else send({ type: 'sim', url: await sim.listen(0, '127.0.0.1') });
