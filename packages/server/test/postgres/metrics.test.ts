import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { createMetricsHandler, WahaError } from '../../src/index.js';
import { createPostgresMetrics, migrate, type PgPool, type PostgresMetrics } from '../../src/postgres/index.js';
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

const registries: PostgresMetrics[] = [];
const proxies: DatabaseProxy[] = [];
beforeEach(async () => {
  await db.pool.query(`TRUNCATE wac_metric_counters, wac_metric_gauges, wac_connect_attempts`);
});
afterEach(async () => {
  await Promise.all(registries.splice(0).map((r) => r.close()));
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

/** A pool that counts the connections it lends (one per statement or transaction here). */
function counted(pool: PgPool): PgPool & { lent: number } {
  const wrapper = {
    lent: 0,
    connect() {
      wrapper.lent++;
      return pool.connect();
    },
  };
  return wrapper;
}

/** One instance's registry (flushed by hand in these tests). */
function instance(pool: PgPool = db.newPool(), extra: Partial<Parameters<typeof createPostgresMetrics>[0]> = {}): PostgresMetrics {
  const metrics = createPostgresMetrics({ pool, flushMs: 60_000, ...extra });
  registries.push(metrics);
  return metrics;
}

describe('createPostgresMetrics', () => {
  it('concludes an attempt once, whichever instance sees it connect', async () => {
    const a = instance();
    const b = instance();
    a.connectAttempt('wac_1', 1_000_000);
    a.observeStatus('wac_1', 'SCAN_QR_CODE', 1_005_000);
    await a.flush();
    // The webhook reaches B and a GET reaches A, both seeing WORKING.
    b.observeStatus('wac_1', 'WORKING', 1_042_000);
    await b.flush();
    a.observeStatus('wac_1', 'WORKING', 1_043_000);
    await a.flush();
    const totals = await a.read();
    assert.equal(totals.connectAttempts, 1);
    assert.equal(totals.connectSuccesses, 1);
    assert.equal(totals.timeToConnect.count, 1);
    assert.equal(totals.timeToConnect.sumSeconds, 42, 'measured by the instance that concluded it');
    assert.equal(totals.timeToConnect.buckets.find((bucket) => bucket.le === 60)!.count, 1);
    assert.equal(totals.timeToConnect.buckets.find((bucket) => bucket.le === 30)!.count, 0);
  });

  it('counts a race for the same conclusion once', async () => {
    const registries = [instance(), instance(), instance()];
    registries[0]!.connectAttempt('wac_9', 0);
    await registries[0]!.flush();
    registries.forEach((r, i) => r.observeStatus('wac_9', 'WORKING', 10_000 + i));
    await Promise.all(registries.map((r) => r.flush()));
    const totals = await registries[0]!.read();
    assert.deepEqual([totals.connectAttempts, totals.connectSuccesses, totals.timeToConnect.count], [1, 1, 1]);
  });

  it('sums the instances and survives a restart', async () => {
    const a = instance();
    const b = instance();
    a.flap('wac_1');
    b.flap('wac_2');
    b.failure('wac_2');
    a.recovery('wac_2');
    a.wahaError(new WahaError({ kind: 'timeout', method: 'GET', path: '/api/sessions' }));
    b.wahaError(new WahaError({ kind: 'http', method: 'GET', path: '/api/sessions', status: 503 }));
    a.connectAttempt('wac_3', 0);
    a.observeStatus('wac_3', 'FAILED', 1000);
    b.setSessionsByStatus({ WORKING: 2, SCAN_QR: 1 });
    await Promise.all([a.close(), b.close()]);
    // A restart: new registries on new pools.
    const totals = await instance().read();
    assert.equal(totals.flaps, 2);
    assert.equal(totals.failures, 1);
    assert.equal(totals.recoveries, 1);
    assert.deepEqual(totals.wahaErrors, { timeout: 1, network: 0, http_4xx: 0, http_5xx: 1, invalid_response: 0 });
    assert.equal(totals.connectFailures, 1);
    assert.equal(totals.connectSuccessRate, 0);
    assert.deepEqual(totals.sessionsByStatus, { WORKING: 2, SCAN_QR: 1 });
  });

  it('costs no query for a steady session, and still concludes an attempt started elsewhere', async () => {
    const pool = counted(db.newPool());
    const a = instance(pool, { recheckMs: 60_000 });
    const b = instance();
    a.observeStatus('wac_1', 'WORKING', 0);
    await a.flush();
    const after = pool.lent;
    for (let at = 1000; at < 30_000; at += 1000) a.observeStatus('wac_1', 'WORKING', at);
    await a.flush();
    assert.equal(pool.lent, after, 'no statement for WORKING seen again');
    // B recreates the session (change of number); A only ever sees WORKING again.
    b.connectAttempt('wac_1', 40_000);
    await b.flush();
    a.observeStatus('wac_1', 'WORKING', 50_000);
    await a.flush();
    assert.equal((await a.read()).connectSuccesses, 0, 'within recheckMs A trusts what it saw');
    a.observeStatus('wac_1', 'WORKING', 100_000);
    await a.flush();
    assert.equal((await a.read()).connectSuccesses, 1, 'after recheckMs A asks, and concludes it');
  });

  it('keeps the counts while PostgreSQL is down and writes them when it is back', async () => {
    const proxy = await createDatabaseProxy(db.url);
    proxies.push(proxy);
    const a = instance(db.newPool({ connectionString: proxy.url }), { timeoutMs: 500 });
    await proxy.down();
    a.flap('wac_1');
    a.connectAttempt('wac_2', 0);
    a.observeStatus('wac_2', 'WORKING', 5000);
    await a.flush();
    await proxy.reopen();
    await a.flush();
    const totals = await instance().read();
    assert.deepEqual([totals.flaps, totals.connectAttempts, totals.connectSuccesses], [1, 1, 1]);
  });

  it('is what the metrics endpoint serves', async () => {
    const a = instance();
    a.flap('wac_1');
    await a.flush();
    const text = await (await createMetricsHandler(instance())(new Request('http://x/metrics'))).text();
    assert.match(text, /^wac_flaps_total 1$/m);
  });

  it('answers 503 when the totals cannot be read', async () => {
    const proxy = await createDatabaseProxy(db.url);
    proxies.push(proxy);
    const a = instance(db.newPool({ connectionString: proxy.url }), { timeoutMs: 300 });
    await proxy.down();
    const response = await createMetricsHandler(a)(new Request('http://x/metrics'));
    assert.equal(response.status, 503);
  });
});
