// Two server processes on one PostgreSQL, the WAHA simulator with WAHA's real
// latencies, and a real browser: what a deployment behind a load balancer lives through.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { isDeepStrictEqual } from 'node:util';
import { after, before, describe, it } from 'node:test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { createWahaSimulator, type WahaSimulator } from '@whatsapp-connector/waha-simulator';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../../scripts/chromium.mjs';
import { canonicalSessionName, type HealthTransition } from '../../src/index.js';
import { until } from '../helpers.js';
import { createTestDatabase, type TestDatabase } from './database.js';

const KEY = 'e2e-waha-key-0123456789';
const TOKEN = 'e2e-webhook-token-0123456789';
const PHONE = { phone: '5215512345678' };
const INSTANCE = new URL('./e2e/instance.ts', import.meta.url).pathname;
const name = (org: string) => canonicalSessionName('wac', org);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polling in this file: every 25 ms, 10 s unless a call says otherwise. */
const POLL = { timeoutMs: 10_000, intervalMs: 25 };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A server process and what it said. */
interface Instance {
  url: string;
  child: ChildProcess;
  alerts: HealthTransition[];
  exited: Promise<void>;
}

let db: TestDatabase;
let sim: WahaSimulator;
let browser: Browser;
let userDataDir: string;
const ports = { a: 0, b: 0 };
const instances: Record<'a' | 'b', Instance | undefined> = { a: undefined, b: undefined };
/** Alerts of every process that ever ran (restarts included). */
const alerts: HealthTransition[] = [];

async function startInstance(which: 'a' | 'b'): Promise<Instance> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', INSTANCE], {
    env: {
      ...process.env,
      INSTANCE_NAME: which,
      PORT: String(ports[which]),
      WAHA_API_URL: sim.url!,
      WAHA_API_KEY: KEY,
      // Both register webhooks to A, as a load balancer would pick one instance.
      WEBHOOK_URL: `http://127.0.0.1:${ports.a}/api/whatsapp/session/webhook`,
      WEBHOOK_TOKEN: TOKEN,
      WATCH_INTERVAL_MS: '500',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const instance: Instance = {
    url: '',
    child,
    alerts: [],
    exited: new Promise((resolve) => child.once('exit', () => resolve())),
  };
  // Registered before it is ready, so after() ends it even if it never gets there.
  instances[which] = instance;
  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<string>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`instance ${which} was not ready within 30 s`)), 30_000);
    child.once('exit', (code) => reject(new Error(`instance ${which} exited (${code}) before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let message: { ready?: string; alert?: HealthTransition };
      try {
        message = JSON.parse(line);
      } catch {
        return;
      }
      if (message.ready) resolve(message.ready);
      if (message.alert) {
        instance.alerts.push(message.alert);
        alerts.push(message.alert);
      }
    });
  });
  try {
    instance.url = await ready;
  } finally {
    clearTimeout(timer);
  }
  return instance;
}

async function stopInstance(which: 'a' | 'b', signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const instance = instances[which];
  if (!instance) return;
  instance.child.kill(signal);
  await instance.exited;
  instances[which] = undefined;
}

/** A request as organization `org` would send it. */
async function call(which: 'a' | 'b', org: string, init: { action?: string } = {}): Promise<{ status: number; body: SessionAnswerWire & { error?: { code: string } } }> {
  const response = await fetch(`${instances[which]!.url}/api/whatsapp/session`, {
    method: init.action ? 'POST' : 'GET',
    headers: { cookie: `org=${org}`, ...(init.action ? { 'content-type': 'application/json' } : {}) },
    ...(init.action ? { body: JSON.stringify({ action: init.action }) } : {}),
  });
  return { status: response.status, body: (await response.json()) as SessionAnswerWire & { error?: { code: string } } };
}

async function metrics(which: 'a' | 'b'): Promise<Map<string, number>> {
  const text = await (await fetch(`${instances[which]!.url}/metrics`)).text();
  return new Map(text.split('\n').flatMap((line) => (/^(wac_\w+) (\S+)$/.exec(line) ? [[line.split(' ')[0]!, Number(line.split(' ')[1])]] : [])));
}

/** A page of instance `which` streaming organization `org`'s session. */
async function streamingPage(which: 'a' | 'b', org: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${instances[which]!.url}/login?org=${org}`);
  return page;
}
type PageEvent = { at: number; answer?: SessionAnswerWire; error?: true };
const eventsOf = (page: Page) => page.evaluate(() => (window as unknown as { events: PageEvent[] }).events);

before(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  // WAHA's own latencies (stop 3 s, unpair 1 s…), a short boot, and one short QR.
  sim = createWahaSimulator({
    apiKey: KEY,
    timings: { startingMs: 300, firstQrMs: 3000, nextQrMs: 3000, maxQrs: 1, failedRestartMs: Infinity },
  });
  await sim.listen(0, '127.0.0.1');
  ports.a = await freePort();
  ports.b = await freePort();
  await startInstance('a');
  await startInstance('b');
  userDataDir = await mkdtemp(join(tmpdir(), 'wac-e2e-chromium-'));
  browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, userDataDir, args: [...CHROMIUM_ARGS] });
});

after(async () => {
  await browser?.close();
  await Promise.all([stopInstance('a'), stopInstance('b')]);
  await sim?.close();
  await db?.drop();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

describe('two instances on one PostgreSQL', { timeout: 180_000 }, () => {
  it('a browser streaming from B sees, within 1 s, a scan whose webhook reached A', async (t) => {
    const page = await streamingPage('b', '1');
    await until('the QR on the stream', async () => (await eventsOf(page)).some((e) => e.answer?.status === 'SCAN_QR'), POLL);
    const webhooksBefore = sim.webhookStats();
    const scannedAt = Date.now();
    sim.scan(name('1'), PHONE);
    const working = await until('WORKING on the stream', async () => (await eventsOf(page)).find((e) => e.answer?.status === 'WORKING'), { ...POLL, timeoutMs: 5000 });
    t.diagnostic(`scan on WAHA → webhook to A → bus → B's stream → browser: ${working.at - scannedAt} ms`);
    assert.ok(working.at - scannedAt < 1000, `seen ${working.at - scannedAt} ms after the scan`);
    await sim.webhooksSettled();
    assert.ok(sim.webhookStats().delivered > webhooksBefore.delivered, 'the scan travelled as a webhook (to A)');
    assert.equal(working.answer!.connected, true);
    await page.close();
  });

  it('reports each health transition once, with two watchers running', async () => {
    const before = alerts.length;
    sim.fail(name('1'));
    await until('the failure alert', () => alerts.length > before, { ...POLL, timeoutMs: 5000 });
    sim.restartSession(name('1'));
    await until('the recovery alert', () => alerts.slice(before).some((t) => t.type === 'recovered'), { ...POLL, timeoutMs: 8000 });
    await sleep(2000); // more watcher rounds on both instances: nothing new
    assert.deepEqual(
      alerts.slice(before).map((t) => `${t.type}:${t.session}:${t.orgId}`),
      [`failed:${name('1')}:1`, `recovered:${name('1')}:1`],
    );
  });

  it('streams resume after the bus connection is dropped, and end on the right state', async () => {
    const page = await streamingPage('b', '1');
    await until('WORKING on the stream', async () => (await eventsOf(page)).some((e) => e.answer?.status === 'WORKING'), POLL);
    const listening = await db.admin(
      `SELECT pid FROM pg_stat_activity WHERE application_name = 'wac-b' AND (query LIKE 'LISTEN%' OR query = 'SELECT 1')`,
    );
    assert.equal(listening.rows.length, 1, 'B listens on one connection');
    await db.admin(`SELECT pg_terminate_backend($1)`, [listening.rows[0].pid]);
    // While B reconnects, the session stops: A hears it (webhook) and publishes.
    sim.stopSession(name('1'));
    const last = await until(
      'STOPPED on the stream',
      async () => {
        const events = await eventsOf(page);
        const answer = events.at(-1)?.answer;
        return answer?.status === 'STOPPED' ? answer : undefined;
      },
      { ...POLL, timeoutMs: 8000 },
    );
    assert.equal(last.connected, true, 'stopping does not unlink');
    assert.ok(!(await eventsOf(page)).some((e) => e.error), 'the browser’s stream never broke');
    await page.close();
  });

  it('kill A during change_number: B finishes it after A, never both at once', async (t) => {
    const org = '3';
    await until('a QR for organization 3', async () => (await call('b', org)).body.status === 'SCAN_QR' || undefined, POLL);
    sim.scan(name(org), PHONE);
    await until('organization 3 linked', async () => (await call('b', org)).body.status === 'WORKING' || undefined, POLL);
    sim.clearRequestLog();

    const onA = call('a', org, { action: 'change_number' }).catch((error: unknown) => error);
    await until('A logging the phone out', () => sim.requestLog().some((e) => e.path.endsWith(`/${name(org)}/logout`)), { ...POLL, timeoutMs: 5000 });
    const onB = call('b', org, { action: 'change_number' });
    await sleep(300); // B is waiting for A's lock
    const killedAt = Date.now();
    await stopInstance('a', 'SIGKILL');
    assert.ok((await onA) instanceof Error, 'A died mid-action');

    const answer = await onB;
    t.diagnostic(`B answered ${answer.status} ${answer.status === 200 ? answer.body.status : answer.body.error?.code} ${Date.now() - killedAt} ms after A died`);
    const log = sim.requestLog().filter((e) => e.method !== 'GET' && e.path.includes(name(org)));
    const logouts = log.filter((e) => e.path.endsWith('/logout'));
    assert.equal(logouts.filter((e) => e.at < killedAt).length, 1, 'B did not start while A held the organization');
    if (answer.status === 200) {
      // B finished the change: a fresh session waiting for a QR scan.
      assert.ok(['STARTING', 'SCAN_QR'].includes(answer.body.status), JSON.stringify(answer.body));
      assert.equal(answer.body.connected, false);
    } else {
      // Or B reports why it could not, in the API's error shape.
      assert.equal(typeof answer.body.error?.code, 'string', JSON.stringify(answer.body));
    }
    await sleep(5000); // WAHA finishes what A had started
    const settled = await call('b', org);
    assert.equal(settled.status, 200, JSON.stringify(settled.body));
    assert.equal(sim.listSessions().filter((s) => s.name === name(org)).length, 1, 'one session for the organization');
    await startInstance('a');
  });

  it('restart both: the linked flag, the expiry reason and the metrics survive', async () => {
    // Organization 1: linked, then WAHA stops it. Organization 4: its only QR expires unscanned.
    await until('organization 1 stopped', async () => (await call('a', '1')).body.status === 'STOPPED' || undefined, POLL);
    assert.equal((await call('a', '1')).body.connected, true);
    await until('a QR for organization 4', async () => (await call('b', '4')).body.status === 'SCAN_QR' || undefined, POLL);
    const expired = await until('the QR of organization 4 expired', async () => {
      const { body } = await call('a', '4');
      return body.status === 'FAILED' ? body : undefined;
    }, POLL);
    assert.equal(expired.reason, 'qr_expired');
    // Both instances serve the totals of the one store. Instances still record what they
    // observe (the expiry's failure reaches a counter through either of them), so a read of A
    // and a read of B may straddle an increment: the same totals must show once it settles.
    const counted = await until('both instances serve the same totals', async () => {
      const [fromA, fromB] = [await metrics('a'), await metrics('b')];
      return isDeepStrictEqual(fromA, fromB) ? fromA : undefined;
    }, POLL);
    assert.ok(counted.get('wac_connect_attempts_total')! >= 3, JSON.stringify([...counted]));
    assert.ok(counted.get('wac_connect_successes_total')! >= 2, JSON.stringify([...counted]));
    assert.ok(counted.get('wac_session_failures_total')! >= 1, JSON.stringify([...counted]));

    await Promise.all([stopInstance('a'), stopInstance('b')]);
    await startInstance('a');
    await startInstance('b');

    const linked = await call('b', '1');
    assert.deepEqual([linked.body.status, linked.body.connected], ['STOPPED', true]);
    const failed = await call('a', '4');
    assert.deepEqual([failed.body.status, failed.body.reason], ['FAILED', 'qr_expired']);
    const after = await metrics('b');
    for (const family of ['wac_connect_attempts_total', 'wac_connect_successes_total', 'wac_session_failures_total', 'wac_session_recoveries_total']) {
      assert.ok(after.get(family)! >= counted.get(family)!, `${family} survived (${counted.get(family)} → ${after.get(family)})`);
    }
  });
});
