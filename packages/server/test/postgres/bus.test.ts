import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { createPostgresBus, MAX_INLINE_PAYLOAD_BYTES, migrate, type PostgresSessionBus } from '../../src/postgres/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { createDatabaseProxy, type DatabaseProxy } from './proxy.js';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
  await migrate({ pool: db.pool });
});
after(async () => {
  await db.drop();
});

const opened: PostgresSessionBus[] = [];
const proxies: DatabaseProxy[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((bus) => bus.close()));
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

/** A bus as one instance would have it, on its own pool (named, to find its connections). */
async function instance(name: string, extra: Partial<Parameters<typeof createPostgresBus>[0]> = {}, url?: string) {
  const pool = db.newPool({ application_name: name, ...(url ? { connectionString: url } : {}) });
  const bus = createPostgresBus({ pool, reconnect: { initialMs: 20, maxMs: 100 }, ...extra });
  opened.push(bus);
  await bus.ready();
  return bus;
}

/** Collects what `bus` delivers for `org`; `next()` resolves the next answer (or rejects after `ms`). */
function collect(bus: PostgresSessionBus, org: string) {
  const got: SessionAnswerWire[] = [];
  const waiters: Array<() => void> = [];
  bus.subscribe(org, (answer) => {
    got.push(answer);
    waiters.splice(0).forEach((wake) => wake());
  });
  return {
    got,
    async until(count: number, ms = 2000) {
      const deadline = Date.now() + ms;
      while (got.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} answers, got ${got.length}: ${JSON.stringify(got.map((a) => a.status))}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return got;
    },
  };
}

const answer = (status: string, extra: Partial<SessionAnswerWire> = {}): SessionAnswerWire => ({ status, sessionName: 'wac_1', connected: status === 'WORKING', ...extra });

async function backendPids(applicationName: string, listening = false): Promise<number[]> {
  const rows = await db.admin(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 ${listening ? `AND (query LIKE 'LISTEN%' OR query = 'SELECT 1')` : ''}`,
    [applicationName],
  );
  return rows.rows.map((row) => Number(row.pid));
}

describe('createPostgresBus', () => {
  it('delivers an answer published on one instance to the streams of another, once each', async () => {
    const a = await instance('bus-a1');
    const b = await instance('bus-b1');
    const onA = collect(a, '1');
    const onB = collect(b, '1');
    const started = Date.now();
    await a.publish('1', answer('SCAN_QR', { qr: '2@abc' }));
    assert.deepEqual(await onB.until(1), [answer('SCAN_QR', { qr: '2@abc' })]);
    assert.ok(Date.now() - started < 1000, 'well within a second');
    assert.deepEqual(onA.got, [answer('SCAN_QR', { qr: '2@abc' })], 'the publisher delivers locally, and not again from its own NOTIFY');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(onA.got.length, 1);
    assert.equal(onB.got.length, 1);
    // Other organizations' streams hear nothing.
    const other = collect(b, '2');
    await a.publish('1', answer('WORKING'));
    await onB.until(2);
    assert.deepEqual(other.got, []);
  });

  it('sends an answer too large for NOTIFY by reference, in order with the small ones', async () => {
    const a = await instance('bus-a2');
    const b = await instance('bus-b2');
    const onB = collect(b, '1');
    const big = answer('SCAN_QR', { qrImage: `data:image/png;base64,${'A'.repeat(MAX_INLINE_PAYLOAD_BYTES * 3)}` });
    await a.publish('1', answer('STARTING'));
    await a.publish('1', big);
    await a.publish('1', answer('WORKING'));
    const got = await onB.until(3);
    assert.deepEqual(got.map((x) => x.status), ['STARTING', 'SCAN_QR', 'WORKING']);
    assert.equal(got[1]!.qrImage, big.qrImage);
    assert.equal((await db.pool.query(`SELECT count(*)::int AS n FROM wac_bus_payloads`)).rows[0].n, 1);
  });

  it('under a burst, sends the latest answer rather than every one, never out of order', async () => {
    const a = await instance('bus-a2b');
    const b = await instance('bus-b2b');
    const onB = collect(b, '1');
    const statuses = ['STARTING', 'SCAN_QR', 'WORKING', 'STOPPED', 'STARTING', 'WORKING'];
    await Promise.all(statuses.map((status, i) => a.publish('1', answer(status, { qr: String(i) }))));
    await onB.until(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const seen = onB.got.map((x) => Number(x.qr));
    assert.equal(seen.at(-1), statuses.length - 1, 'ends on the latest');
    assert.deepEqual(seen, [...seen].sort((x, y) => x - y), 'in publish order');
  });

  it('ignores notifications it cannot read', async () => {
    const b = await instance('bus-b3');
    const onB = collect(b, '1');
    for (const junk of ['not json', '{}', '{"i":"x","o":"1"}', '{"i":"x","o":"1","a":"text"}', '{"i":"x","o":"1","r":"999999"}']) {
      await db.pool.query(`SELECT pg_notify('wac_sessions', $1)`, [junk]);
    }
    await db.pool.query(`SELECT pg_notify('wac_sessions', $1)`, [JSON.stringify({ i: 'x', o: '1', a: answer('WORKING') })]);
    assert.deepEqual((await onB.until(1)).map((x) => x.status), ['WORKING']);
  });

  it('reconnects after pg_terminate_backend, asks streams to re-read, and delivers again', async () => {
    const a = await instance('bus-a4');
    const b = await instance('bus-b4');
    let resyncs = 0;
    b.onResync(() => resyncs++);
    const onB = collect(b, '1');
    const [pid] = await backendPids('bus-b4', true);
    assert.ok(pid, 'the listening connection is visible');
    await db.admin(`SELECT pg_terminate_backend($1)`, [pid]);
    const deadline = Date.now() + 3000;
    while (resyncs === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(resyncs, 1, 'one resync after the reconnection');
    assert.equal(b.listening(), true);
    await a.publish('1', answer('WORKING'));
    assert.deepEqual((await onB.until(1)).map((x) => x.status), ['WORKING']);
  });

  it('notices a connection that stopped answering (ping) and comes back when it does', async () => {
    const proxy = await createDatabaseProxy(db.url);
    proxies.push(proxy);
    const b = await instance('bus-b5', { pingMs: 100, timeoutMs: 300 }, proxy.url);
    let resyncs = 0;
    b.onResync(() => resyncs++);
    proxy.stall();
    const deadline = Date.now() + 2000;
    while (b.listening() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(b.listening(), false, 'the silent connection was given up');
    proxy.resume();
    const back = Date.now() + 3000;
    while (resyncs === 0 && Date.now() < back) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(resyncs, 1);
    assert.equal(b.listening(), true);
  });

  it('keeps what it could not send while PostgreSQL was down and sends it when it is back', async () => {
    const proxy = await createDatabaseProxy(db.url);
    proxies.push(proxy);
    const a = await instance('bus-a6', { timeoutMs: 500 }, proxy.url);
    const b = await instance('bus-b6');
    const onA = collect(a, '1');
    const onB = collect(b, '1');
    await proxy.down();
    await a.publish('1', answer('SCAN_QR'));
    await a.publish('1', answer('WORKING'));
    assert.deepEqual(onA.got.map((x) => x.status), ['SCAN_QR', 'WORKING'], 'local streams are served meanwhile');
    await proxy.reopen();
    // The latest state per organization is what the others need.
    assert.deepEqual((await onB.until(1, 4000)).map((x) => x.status), ['WORKING']);
  });

  it('close stops delivering, leaves the connection clean, and is idempotent', async () => {
    const pool = db.newPool({ application_name: 'bus-a7', max: 1 });
    const bus = createPostgresBus({ pool });
    await bus.ready();
    const got = collect(bus, '1');
    await bus.close();
    await bus.close();
    assert.equal(bus.listening(), false);
    await bus.publish('1', answer('WORKING'));
    assert.deepEqual(got.got, []);
    // The one connection of this pool went back without a LISTEN.
    const rows = await pool.query(`SELECT count(*)::int AS n FROM pg_listening_channels()`);
    assert.equal(rows.rows[0].n, 0);
  });
});
