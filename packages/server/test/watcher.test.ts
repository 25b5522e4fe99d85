import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import FakeTimers from '@sinonjs/fake-timers';
import { createWahaSimulator, type WahaSimulator } from '@whatsapp-connector/waha-simulator';
import {
  createMemoryHealthStore,
  createMemoryStore,
  createMetrics,
  WahaError,
  watchSessions,
  type WatcherLease,
  type Clock,
  type HealthTransition,
  type SessionWatcher,
  type WahaClient,
  type WahaSessionInfo,
} from '../src/index.js';
import { API_KEY } from './helpers.js';

type Fake = ReturnType<typeof FakeTimers.createClock>;
const clockOf = (fake: Fake): Clock => ({ now: () => fake.now, setTimeout: (f, ms) => fake.setTimeout(f, ms), clearTimeout: (h) => fake.clearTimeout(h as never) });

/** A WAHA whose listing is scripted: each call returns the next step (the last one repeats). */
function scriptedWaha(steps: Array<Record<string, string> | Error>): WahaClient & { calls: number } {
  const client = {
    calls: 0,
    async listSessions(): Promise<WahaSessionInfo[]> {
      const step = steps[Math.min(client.calls, steps.length - 1)]!;
      client.calls++;
      if (step instanceof Error) throw step;
      return Object.entries(step).map(([name, status]) => ({ name, status }));
    },
  };
  return client as unknown as WahaClient & { calls: number };
}

let watcher: SessionWatcher | undefined;
let sim: WahaSimulator | undefined;
afterEach(async () => {
  watcher?.stop();
  watcher = undefined;
  await sim?.close();
  sim = undefined;
});

function start(fake: Fake, steps: Array<Record<string, string> | Error>, extra: Partial<Parameters<typeof watchSessions>[0]> = {}) {
  const transitions: HealthTransition[] = [];
  const waha = scriptedWaha(steps);
  const metrics = createMetrics();
  watcher = watchSessions({
    waha,
    clock: clockOf(fake),
    intervalMs: 1000,
    flapping: { threshold: 3, windowMs: 10_000 },
    stableMs: 5000,
    metrics,
    onTransition: (t) => transitions.push(t),
    ...extra,
  });
  return { transitions, waha, metrics, types: () => transitions.map((t) => `${t.type}:${t.session}`) };
}

describe('watchSessions', () => {
  it('lists right away, then every interval, to the millisecond', async () => {
    const fake = FakeTimers.createClock(0);
    const { waha } = start(fake, [{ a: 'WORKING' }]);
    await fake.tickAsync(0);
    assert.equal(waha.calls, 1);
    await fake.tickAsync(999);
    assert.equal(waha.calls, 1);
    await fake.tickAsync(1);
    assert.equal(waha.calls, 2);
    await fake.tickAsync(3000);
    assert.equal(waha.calls, 5);
    assert.equal(watcher!.counters().checks, 5);
  });

  it('reports failed exactly once, then recovered exactly once', async () => {
    const fake = FakeTimers.createClock(0);
    const s = start(fake, [{ a: 'WORKING' }, { a: 'FAILED' }, { a: 'FAILED' }, { a: 'FAILED' }, { a: 'STARTING' }, { a: 'SCAN_QR_CODE' }, { a: 'WORKING' }]);
    await fake.tickAsync(10_000);
    assert.deepEqual(s.types(), ['failed:a', 'recovered:a']);
    assert.deepEqual(
      s.transitions.map((t) => [t.previousStatus, t.status, t.at]),
      [
        ['WORKING', 'FAILED', 1000],
        ['SCAN_QR', 'WORKING', 6000],
      ],
    );
    assert.deepEqual(s.metrics.snapshot().failures, 1);
    assert.deepEqual(s.metrics.snapshot().recoveries, 1);
  });

  it('reports a session first seen FAILED once', async () => {
    const fake = FakeTimers.createClock(0);
    const s = start(fake, [{ a: 'FAILED', b: 'WORKING' }]);
    await fake.tickAsync(5000);
    assert.deepEqual(s.types(), ['failed:a']);
    assert.equal(s.transitions[0]!.previousStatus, null);
  });

  it('reports flapping once per episode and recovered after stable WORKING', async () => {
    const fake = FakeTimers.createClock(0);
    const flap = [{ a: 'WORKING' }, { a: 'STOPPED' }, { a: 'WORKING' }, { a: 'STOPPED' }, { a: 'WORKING' }, { a: 'STOPPED' }, { a: 'WORKING' }, { a: 'STOPPED' }];
    const s = start(fake, [...flap, { a: 'WORKING' }]);
    await fake.tickAsync(5000); // 6 listings: the third drop happens at t=5000
    assert.deepEqual(s.types(), ['flapping:a']);
    assert.equal(s.transitions[0]!.at, 5000);
    assert.equal(watcher!.sessions()[0]!.health, 'flapping');
    await fake.tickAsync(2000); // a fourth drop: same episode, not reported again
    assert.deepEqual(s.types(), ['flapping:a']);
    await fake.tickAsync(1000 + 4999); // WORKING since t=8000: 4999 ms is not yet stable
    assert.deepEqual(s.types(), ['flapping:a']);
    await fake.tickAsync(1);
    assert.deepEqual(s.types(), ['flapping:a', 'recovered:a']);
    assert.equal(s.transitions[1]!.at, 13_000);
    assert.equal(s.metrics.snapshot().flaps, 1);
  });

  it('forgets drops older than the flapping window', async () => {
    const fake = FakeTimers.createClock(0);
    const s = start(fake, [{ a: 'WORKING' }, { a: 'STOPPED' }, { a: 'WORKING' }, { a: 'STOPPED' }, { a: 'WORKING' }]);
    await fake.tickAsync(20_000); // drops at t=1000 and t=3000, then WORKING
    watcher!.stop();
    assert.equal(watcher!.sessions()[0]!.recentDrops, 2);
    await watcher!.observe('a', 'STOPPED', 20_000); // a third drop, but the first two are out of the 10 s window
    assert.deepEqual(s.types(), []);
    assert.equal(watcher!.sessions()[0]!.recentDrops, 1);
  });

  it('counts listing errors, reports nothing and keeps watching', async () => {
    const fake = FakeTimers.createClock(0);
    const logs: unknown[] = [];
    const s = start(fake, [{ a: 'WORKING' }, new WahaError({ kind: 'network', method: 'GET', path: '/api/sessions' }), { a: 'WORKING' }], {
      logger: (r) => logs.push(r),
    });
    await fake.tickAsync(2000);
    assert.deepEqual(s.types(), []);
    assert.equal(watcher!.counters().checkErrors, 1);
    assert.equal(watcher!.counters().checks, 2);
    assert.ok(JSON.stringify(logs).includes('watcher.check_failed'));
  });

  it('filters by prefix and derives the organization', async () => {
    const fake = FakeTimers.createClock(0);
    const s = start(fake, [{ eagles_42: 'FAILED', other: 'FAILED' }], { sessionPrefix: 'eagles' });
    await fake.tickAsync(0);
    assert.deepEqual(s.types(), ['failed:eagles_42']);
    assert.equal(s.transitions[0]!.orgId, '42');
  });

  it('publishes sessions by status to the metrics', async () => {
    const fake = FakeTimers.createClock(0);
    const s = start(fake, [{ a: 'WORKING', b: 'SCAN_QR_CODE', c: 'SCAN_QR_CODE' }]);
    await fake.tickAsync(0);
    assert.deepEqual(s.metrics.snapshot().sessionsByStatus, { WORKING: 1, SCAN_QR: 2 });
  });

  it('stop() leaves no timer behind', async () => {
    const fake = FakeTimers.createClock(0);
    const { waha } = start(fake, [{ a: 'WORKING' }]);
    await fake.tickAsync(1500);
    watcher!.stop();
    assert.equal(fake.countTimers(), 0);
    await fake.tickAsync(10_000);
    assert.equal(waha.calls, 2);
  });

  it('sees the simulator flapping and recovering over HTTP', async () => {
    const fake = FakeTimers.createClock(0);
    sim = createWahaSimulator({ profile: 'fast', apiKey: API_KEY, clock: clockOf(fake), timings: { startingMs: 10 } });
    const url = await sim.listen(0, '127.0.0.1');
    sim.createSession('eagles_1');
    fake.tick(10);
    sim.scan('eagles_1', { phone: '5215512345678' });
    const transitions: HealthTransition[] = [];
    watcher = watchSessions({
      waha: { url, apiKey: API_KEY },
      clock: clockOf(fake),
      intervalMs: 500,
      flapping: { threshold: 3, windowMs: 60_000 },
      stableMs: 3000,
      sessionPrefix: 'eagles',
      onTransition: (t) => transitions.push(t),
    });
    await watcher.check();
    sim.flap('eagles_1', { times: 3, intervalMs: 1000 });
    for (let elapsed = 0; elapsed < 12_000; elapsed += 500) {
      fake.tick(500);
      await watcher.check();
    }
    assert.deepEqual(
      transitions.map((t) => `${t.type}:${t.orgId}`),
      ['flapping:1', 'recovered:1'],
    );
  });
});

/** A lease whose answers the test decides; records each acquire's time to live. */
function scriptedLease(answers: boolean[]): WatcherLease & { ttls: number[]; released: number } {
  const lease = {
    ttls: [] as number[],
    released: 0,
    async acquire(ttlMs: number) {
      lease.ttls.push(ttlMs);
      return answers[Math.min(lease.ttls.length - 1, answers.length - 1)]!;
    },
    async release() {
      lease.released++;
    },
  };
  return lease;
}

/** Two listening WAHA simulators on one fake clock: A takes API_KEY, B its own key 'key-of-b'. */
async function twoWahas(fake: Fake) {
  const simA = createWahaSimulator({ profile: 'fast', apiKey: API_KEY, clock: clockOf(fake), timings: { startingMs: 10 } });
  const simB = createWahaSimulator({ profile: 'fast', apiKey: 'key-of-b', clock: clockOf(fake), timings: { startingMs: 10 } });
  const close = async () => {
    await simA.close();
    await simB.close();
  };
  try {
    const urlA = await simA.listen(0, '127.0.0.1');
    const urlB = await simB.listen(0, '127.0.0.1');
    return { simA, simB, urlA, urlB, close };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}

describe('watchSessions on several WAHA servers and instances', () => {
  it('watches every WAHA the store knows, with each WAHA its key, and names the organization', async () => {
    const fake = FakeTimers.createClock(0);
    const { simA, simB, urlA, urlB, close } = await twoWahas(fake);
    try {
      simA.createSession('wac_1');
      simB.createSession('wac_2');
      fake.tick(10);
      const store = createMemoryStore({
        '1': { sessionName: 'wac_1', connected: false, wahaUrl: urlA },
        '2': { sessionName: 'wac_2', connected: false, wahaUrl: urlB },
        'no-session': { sessionName: null, connected: false },
      });
      const transitions: HealthTransition[] = [];
      watcher = watchSessions({
        waha: { url: urlA, apiKey: API_KEY, retry: { attempts: 1 } },
        store,
        resolveWahaConfig: (org) => (org === '2' ? { url: urlB, apiKey: 'key-of-b' } : null),
        clock: clockOf(fake),
        intervalMs: 1000,
        onTransition: (t) => transitions.push(t),
      });
      await watcher.check();
      assert.deepEqual(watcher.counters().wahas, 2);
      assert.equal(watcher.counters().checkErrors, 0, 'each WAHA got its own key');
      assert.equal(watcher.counters().sessions, 2, 'the sessions of both WAHAs');
      simB.fail('wac_2');
      await fake.tickAsync(1000);
      await watcher.check();
      assert.deepEqual(
        transitions.map((t) => [t.type, t.session, t.orgId, t.wahaUrl]),
        [['failed', 'wac_2', '2', urlB.replace(/\/$/, '')]],
      );
    } finally {
      await close();
    }
  });

  it("judges on a WAHA an organization names only that organization's session: its other sessions never pose as another organization's", async () => {
    const fake = FakeTimers.createClock(0);
    const { simA, simB, urlA, urlB, close } = await twoWahas(fake);
    try {
      simA.createSession('wac_1');
      // Organization 2 names WAHA B, and runs it: beside its own session, one named like organization 1's, and others.
      for (const name of ['wac_2', 'wac_1', 'wac_3', 'other']) simB.createSession(name);
      fake.tick(10);
      const store = createMemoryStore({
        '1': { sessionName: 'wac_1', connected: true, wahaUrl: urlA },
        '2': { sessionName: 'wac_2', connected: true, wahaUrl: urlB },
      });
      const transitions: HealthTransition[] = [];
      const metrics = createMetrics();
      watcher = watchSessions({
        waha: { url: urlA, apiKey: API_KEY, retry: { attempts: 1 } },
        store,
        resolveWahaConfig: (org) => (org === '2' ? { url: urlB, apiKey: 'key-of-b' } : null),
        sessionPrefix: 'wac',
        clock: clockOf(fake),
        intervalMs: 1000,
        metrics,
        onTransition: (t) => transitions.push(t),
      });
      await watcher.check();
      for (const name of ['wac_1', 'wac_3', 'wac_2']) simB.fail(name);
      await fake.tickAsync(1000);
      await watcher.check();
      assert.deepEqual(
        transitions.map((t) => [t.type, t.session, t.orgId, t.wahaUrl]),
        [['failed', 'wac_2', '2', urlB.replace(/\/$/, '')]],
      );
      assert.equal(metrics.snapshot().failures, 1);
      assert.deepEqual(
        watcher.sessions().map((session) => [session.session, session.wahaUrl ?? null]).sort(),
        [['wac_1', urlA.replace(/\/$/, '')], ['wac_2', urlB.replace(/\/$/, '')]],
      );
    } finally {
      await close();
    }
  });

  it('gives up on a listing at its deadline and counts the timeout', async () => {
    const fake = FakeTimers.createClock(0);
    const metrics = createMetrics();
    const hanging = { listSessions: () => new Promise<WahaSessionInfo[]>(() => {}) } as unknown as WahaClient;
    watcher = watchSessions({ waha: hanging, clock: clockOf(fake), intervalMs: 60_000, listTimeoutMs: 5000, metrics });
    await fake.tickAsync(4999);
    assert.equal(watcher.counters().checkTimeouts, 0);
    await fake.tickAsync(1);
    assert.deepEqual([watcher.counters().checkErrors, watcher.counters().checkTimeouts], [1, 1]);
    assert.equal(metrics.snapshot().wahaErrors.timeout, 1);
    // And the watcher goes on: the next round comes an interval after this one ended.
    await fake.tickAsync(65_000);
    assert.equal(watcher.counters().checkTimeouts, 2);
  });

  it('watches only while it holds the lease, renewed every quarter interval', async () => {
    const fake = FakeTimers.createClock(0);
    const lease = scriptedLease([false, false, true, true, true, false]);
    const s = start(fake, [{ a: 'WORKING' }], { lease, intervalMs: 1000 });
    await fake.tickAsync(499); // two renewals refused (t=0, t=250)
    assert.equal(s.waha.calls, 0);
    assert.equal(watcher!.counters().leaseHeld, false);
    await fake.tickAsync(1); // t=500: taken → lists at once
    assert.equal(s.waha.calls, 1);
    assert.equal(watcher!.counters().leaseHeld, true);
    assert.deepEqual(lease.ttls, [500, 500, 500], 'held for half an interval');
    await fake.tickAsync(750); // t=1250: lost at t=1250
    assert.equal(watcher!.counters().leaseHeld, false);
    await fake.tickAsync(5000);
    assert.equal(s.waha.calls, 1, 'a standby lists nothing');
    watcher!.stop();
    assert.equal(fake.countTimers(), 0);
  });

  it('gives the lease up when stopped', async () => {
    const fake = FakeTimers.createClock(0);
    const lease = scriptedLease([true]);
    start(fake, [{ a: 'WORKING' }], { lease });
    await fake.tickAsync(0);
    watcher!.stop();
    await fake.tickAsync(0);
    assert.equal(lease.released, 1);
  });

  it('two watchers sharing the health store report a transition once', async () => {
    const fake = FakeTimers.createClock(0);
    const healthStore = createMemoryHealthStore();
    const transitions: HealthTransition[] = [];
    const steps = [{ a: 'WORKING' }, { a: 'FAILED' }];
    const make = () =>
      watchSessions({ waha: scriptedWaha(steps), clock: clockOf(fake), intervalMs: 1000, healthStore, onTransition: (t) => transitions.push(t) });
    const one = make();
    const two = make();
    try {
      await fake.tickAsync(1000);
      assert.deepEqual(transitions.map((t) => t.type), ['failed']);
      // The loser learned the truth: it does not report it later either.
      await fake.tickAsync(5000);
      assert.deepEqual(transitions.map((t) => t.type), ['failed']);
    } finally {
      one.stop();
      two.stop();
    }
  });

  it('continues the judgement of the previous holder instead of starting afresh', async () => {
    const fake = FakeTimers.createClock(0);
    const healthStore = createMemoryHealthStore();
    const transitions: HealthTransition[] = [];
    const first = watchSessions({ waha: scriptedWaha([{ a: 'FAILED' }]), clock: clockOf(fake), intervalMs: 1000, healthStore, onTransition: (t) => transitions.push(t) });
    await fake.tickAsync(0);
    first.stop();
    const next = watchSessions({ waha: scriptedWaha([{ a: 'FAILED' }, { a: 'WORKING' }]), clock: clockOf(fake), intervalMs: 1000, healthStore, onTransition: (t) => transitions.push(t) });
    try {
      await fake.tickAsync(1000);
      assert.deepEqual(transitions.map((t) => `${t.type}:${t.previousStatus}`), ['failed:null', 'recovered:FAILED']);
    } finally {
      next.stop();
    }
  });
});
