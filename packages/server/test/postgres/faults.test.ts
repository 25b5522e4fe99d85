// The database goes down or slows down under two running instances: the browser gets
// a quick, clear 503, its stream stays open, and when PostgreSQL is back the stream
// shows what happened meanwhile (WAHA retries the webhook the instances could not take).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { createWahaSimulator, type WahaSimulator } from '@whatsapp-connector/waha-simulator';
import { canonicalSessionName, createSessionHandler, type LogRecord, type SessionHandler } from '../../src/index.js';
import { toNodeHandler } from '../../src/node.js';
import { createPostgresDeployment, migrate, type PostgresDeployment } from '../../src/postgres/index.js';
import { API_KEY, until } from '../helpers.js';
import { SseReader } from '../sse.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { createDatabaseProxy, type DatabaseProxy } from './proxy.js';

const TOKEN = 'faults-webhook-token-0123456789';
const PHONE = { phone: '5215512345678' };
/** Each PostgreSQL call's deadline, and the handler's bound on a store call. */
const PG_TIMEOUT_MS = 400;
const STORE_TIMEOUT_MS = 1_000;
const name = (org: string) => canonicalSessionName('wac', org);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Instance {
  url: string;
  handler: SessionHandler;
  shared: PostgresDeployment;
  logs: LogRecord[];
  server: Server;
}

let db: TestDatabase;
let proxy: DatabaseProxy;
let sim: WahaSimulator;
let wahaUrl: string;
const instances: Instance[] = [];

/** One server instance whose every PostgreSQL connection goes through the proxy. */
async function startInstance(label: string, webhookUrl: (self: string) => string): Promise<Instance> {
  const pool = db.newPool({ connectionString: proxy.url, application_name: `wac-${label}` });
  const shared = createPostgresDeployment({ pool, timeoutMs: PG_TIMEOUT_MS, instanceName: label });
  const logs: LogRecord[] = [];
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const handler = createSessionHandler({
    getOrganizationId: (request) => request.headers.get('x-org'),
    store: shared.store,
    bus: shared.bus,
    lock: shared.lock,
    metrics: shared.metrics,
    waha: { url: wahaUrl, apiKey: API_KEY, retry: { attempts: 1 } },
    storeTimeoutMs: STORE_TIMEOUT_MS,
    // No periodic re-read: what the stream shows after the outage came through the bus.
    stream: { refreshMs: 0, heartbeatMs: 1_000 },
    webhook: { token: TOKEN, url: webhookUrl(url) },
    logger: (record) => logs.push(record),
  });
  server.on('request', toNodeHandler(handler));
  await shared.bus.ready();
  const instance = { url, handler, shared, logs, server };
  instances.push(instance);
  return instance;
}

let a: Instance;
let b: Instance;

before(async () => {
  db = await createTestDatabase();
  await migrate({ pool: db.pool });
  proxy = await createDatabaseProxy(db.url);
  // WAHA retries a webhook that failed (every 2 s, as WAHA does), with no request sleeps.
  sim = createWahaSimulator({ apiKey: API_KEY, profile: 'fast', quirks: { webhookRetries: true }, timings: { startingMs: 50 } });
  wahaUrl = await sim.listen(0, '127.0.0.1');
  a = await startInstance('a', (self) => `${self}/api/whatsapp/session/webhook`);
  // Both register webhooks to A, as a load balancer would pick one instance.
  b = await startInstance('b', () => `${a.url}/api/whatsapp/session/webhook`);
});

after(async () => {
  for (const instance of instances) {
    instance.handler.close();
    instance.server.closeAllConnections();
    await new Promise<void>((resolve) => instance.server.close(() => resolve()));
    await instance.shared.close();
  }
  await sim.close();
  await proxy.close();
  await db.drop();
});

type Answered = { status: number; ms: number; body: SessionAnswerWire & { error?: { code: string; message: string } } };

async function call(instance: Instance, org: string, action?: string): Promise<Answered> {
  const started = Date.now();
  const response = await fetch(`${instance.url}/api/whatsapp/session`, {
    method: action ? 'POST' : 'GET',
    headers: { 'x-org': org, ...(action ? { 'content-type': 'application/json' } : {}) },
    ...(action ? { body: JSON.stringify({ action }) } : {}),
  });
  const body = (await response.json()) as Answered['body'];
  return { status: response.status, ms: Date.now() - started, body };
}

/** Waits until organization `org`'s session, made by its first GET on `instance`, shows a QR. */
async function showingQr(instance: Instance, org: string): Promise<void> {
  await until(`a QR for organization ${org}`, async () => (await call(instance, org)).body.status === 'SCAN_QR', { timeoutMs: 8_000, intervalMs: 50 });
}

/** Opens organization `org`'s stream on `instance`; it is closed when the test ends, passed or failed. */
async function openStream(t: TestContext, instance: Instance, org: string): Promise<SseReader> {
  const abort = new AbortController();
  t.after(() => abort.abort());
  const response = await fetch(`${instance.url}/api/whatsapp/session/stream`, { headers: { 'x-org': org }, signal: abort.signal });
  assert.equal(response.status, 200);
  return new SseReader(response.body);
}

/** Reads the stream until an answer with `status`; fails if the stream ends or `ms` passes. */
async function streamUntil(reader: SseReader, status: string, ms: number): Promise<SessionAnswerWire> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no ${status} on the stream within ${ms} ms`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), left)));
    // The timer goes as soon as a block wins: no sleep left pending to hold the process.
    const block = await Promise.race([reader.next(), late]).finally(() => clearTimeout(timer));
    if (block === 'late') continue;
    assert.ok(block, `the stream ended before ${status}`);
    if (block.data === undefined) continue;
    const answer = JSON.parse(block.data) as SessionAnswerWire;
    if (answer.status === status) return answer;
  }
}

function assertClearError(answered: Answered, bound: number, what: string): void {
  assert.equal(answered.status, 503, `${what}: ${JSON.stringify(answered.body)}`);
  assert.equal(answered.body.error?.code, 'store_error', what);
  assert.equal(typeof answered.body.error?.message, 'string', what);
  assert.ok(answered.body.error!.message.length > 0, what);
  assert.ok(answered.ms < bound, `${what}: answered in ${answered.ms} ms, bound ${bound} ms`);
}

describe('PostgreSQL down or slow under two instances', { timeout: 60_000 }, () => {
  it('down: GET and POST answer 503 store_error at once; the stream stays open and shows the scan when PostgreSQL is back', async (t) => {
    const org = '1';
    await showingQr(b, org);
    const reader = await openStream(t, b, org);
    await streamUntil(reader, 'SCAN_QR', 2_000);

    await proxy.down();
    let back = false;
    t.after(async () => {
      if (!back) await proxy.reopen();
    });
    // Refused connections fail at once; the bound leaves room for a busy machine.
    const bound = STORE_TIMEOUT_MS + 1_000;
    assertClearError(await call(a, org), bound, 'GET on A, refused');
    assertClearError(await call(b, org), bound, 'GET on B, refused');
    assertClearError(await call(b, org, 'reconnect'), bound, 'POST on B, refused');

    // The phone scans while no instance can reach PostgreSQL: A answers WAHA's webhook 503.
    const refusedBefore = a.logs.filter((r) => r.event === 'store.error').length;
    sim.scan(name(org), PHONE);
    await until('the webhook refused by A', async () => a.logs.filter((r) => r.event === 'store.error').length > refusedBefore, { timeoutMs: 3_000, intervalMs: 50 });
    await sleep(500);
    assert.equal(b.handler.openStreams(), 1, 'the stream stayed open');

    await proxy.reopen();
    back = true;
    // The bus reconnects (backoff from 250 ms) and the stream re-reads; WAHA retries its webhook every 2 s.
    const working = await streamUntil(reader, 'WORKING', 15_000);
    assert.equal(working.connected, true);
    const stored = await db.admin(`SELECT status, connected FROM wac_sessions WHERE org_id = $1`, [org]);
    assert.deepEqual(stored.rows[0], { status: 'WORKING', connected: true }, 'nothing was lost: the store has the scan');
    assert.deepEqual([(await call(a, org)).body.status, (await call(a, org)).body.connected], ['WORKING', true]);
  });

  it('slow: GET and POST answer 503 store_error within the deadline; the stream stays open and ends on the right state', async (t) => {
    // Its own organization, linked here: the test does not rely on what "down" left behind.
    const org = '2';
    await showingQr(b, org);
    sim.scan(name(org), PHONE);
    await until(`organization ${org} linked`, async () => (await call(b, org)).body.status === 'WORKING', { timeoutMs: 8_000, intervalMs: 50 });
    const reader = await openStream(t, b, org);
    await streamUntil(reader, 'WORKING', 2_000);
    const open = b.handler.openStreams();

    proxy.stall();
    t.after(() => proxy.resume());
    // Without a deadline these would hang for as long as PostgreSQL does.
    const bound = STORE_TIMEOUT_MS + 1_000;
    const answers = await Promise.all([call(a, org), call(b, org, 'reconnect'), call(a, '3')]);
    assertClearError(answers[0], bound, 'GET on A, stalled');
    assertClearError(answers[1], bound, 'POST on B, stalled');
    assertClearError(answers[2], bound, 'GET of another organization, stalled');

    // WAHA stops the session while PostgreSQL hangs.
    sim.stopSession(name(org));
    await sleep(1_500);
    assert.equal(b.handler.openStreams(), open, 'the stream stayed open');

    proxy.resume();
    const stopped = await streamUntil(reader, 'STOPPED', 15_000);
    assert.equal(stopped.connected, true, 'stopping does not unlink');
    const stored = await db.admin(`SELECT status, connected FROM wac_sessions WHERE org_id = $1`, [org]);
    assert.deepEqual(stored.rows[0], { status: 'STOPPED', connected: true });
  });
});
