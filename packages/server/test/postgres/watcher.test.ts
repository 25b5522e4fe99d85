import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { createWahaSimulator, type WahaSimulator } from '@whatsapp-connector/waha-simulator';
import { watchSessions, type HealthTransition, type SessionWatcher, type WatcherLease } from '../../src/index.js';
import { createPostgresHealthStore, createPostgresLease, createPostgresStore, migrate } from '../../src/postgres/index.js';
import { API_KEY, until } from '../helpers.js';
import { createTestDatabase, type TestDatabase } from './database.js';

let db: TestDatabase;
let sim: WahaSimulator;
let wahaUrl: string;
before(async () => {
  db = await createTestDatabase();
  await migrate({ pool: db.pool });
  sim = createWahaSimulator({ apiKey: API_KEY, profile: 'fast', timings: { startingMs: 10 } });
  wahaUrl = await sim.listen(0, '127.0.0.1');
});
after(async () => {
  await sim.close();
  await db.drop();
});

const watchers: SessionWatcher[] = [];
afterEach(() => {
  watchers.splice(0).forEach((w) => w.stop());
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const INTERVAL = 1000;

/** One instance's watcher: its own pool, the shared lease and health tables. */
function instance(name: string, transitions: HealthTransition[], lease?: WatcherLease) {
  const pool = db.newPool({ application_name: name });
  const watcher = watchSessions({
    waha: { url: wahaUrl, apiKey: API_KEY, retry: { attempts: 1 } },
    store: createPostgresStore({ pool }),
    lease: lease ?? createPostgresLease({ pool, holder: name }),
    healthStore: createPostgresHealthStore({ pool }),
    intervalMs: INTERVAL,
    onTransition: (t) => transitions.push(t),
  });
  watchers.push(watcher);
  return watcher;
}

describe('watchSessions on PostgreSQL, two instances', () => {
  it('one watches, one alert per transition, and the other takes over within one interval', async () => {
    await createPostgresStore({ pool: db.pool }).set('7', { sessionName: 'wac_7', connected: true, wahaUrl });
    sim.createSession('wac_7');
    await sleep(30);
    sim.scan('wac_7', { phone: '5215512345678' });

    const seenA: HealthTransition[] = [];
    const seenB: HealthTransition[] = [];
    // A dies without giving the lease back (a crash): its lease only expires.
    const leaseA = createPostgresLease({ pool: db.pool, holder: 'a' });
    const a = instance('watch-a', seenA, { acquire: (ttl) => leaseA.acquire(ttl), release: async () => {} });
    await until("A's first check", () => a.counters().checks > 0, { timeoutMs: 5000 });
    const b = instance('watch-b', seenB);
    await sleep(INTERVAL / 2);
    assert.equal(b.counters().leaseHeld, false, 'B stands by');
    assert.equal(b.counters().checks, 0);

    sim.fail('wac_7');
    await until('the failure alert', () => seenA.length + seenB.length > 0, { timeoutMs: 3 * INTERVAL });
    await sleep(2 * INTERVAL);
    assert.deepEqual([...seenA, ...seenB].map((t) => `${t.type}:${t.orgId}`), ['failed:7'], 'one alert, with the organization from the store');

    a.stop();
    const diedAt = Date.now();
    await until("B's first check after A died", () => b.counters().checks > 0, { timeoutMs: 3 * INTERVAL });
    const tookOver = Date.now() - diedAt;
    assert.ok(tookOver <= INTERVAL + 250, `B listed ${tookOver} ms after A died`);
    // B continues A's judgement: the session still FAILED is not reported again.
    await sleep(2 * INTERVAL);
    assert.deepEqual([...seenA, ...seenB].map((t) => t.type), ['failed']);
    // WAHA restarts it (the phone stays linked): B reports the recovery, once.
    sim.restartSession('wac_7');
    await until("B's recovery alert", () => seenB.length > 0, { timeoutMs: 5 * INTERVAL });
    await sleep(INTERVAL);
    assert.deepEqual([...seenA, ...seenB].map((t) => t.type), ['failed', 'recovered']);
  });
});
