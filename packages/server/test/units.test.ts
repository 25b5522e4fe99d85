import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import FakeTimers from '@sinonjs/fake-timers';
import { backoffDelay, DEFAULT_RETRY, phoneFromId, WahaError } from '../src/index.js';
import { withRetry } from '../src/waha/retry.js';
import { KeyedLanes } from '../src/lanes.js';
import { reconnectSession } from '../src/rules.js';
import type { WahaClient } from '../src/waha/client.js';

describe('phoneFromId', () => {
  it('derives digits from c.us and s.whatsapp.net ids only', () => {
    assert.equal(phoneFromId('5215512345678@c.us'), '5215512345678');
    assert.equal(phoneFromId('5215512345678:12@s.whatsapp.net'), '5215512345678');
    assert.equal(phoneFromId('123123@lid'), null);
    assert.equal(phoneFromId('120363@g.us'), null);
  });
});

describe('retry', () => {
  it('backs off exponentially with equal jitter, capped', () => {
    const options = { attempts: 10, baseDelayMs: 200, maxDelayMs: 1000 };
    assert.equal(backoffDelay(1, options, 0), 100);
    assert.equal(backoffDelay(1, options, 0.999999), 200);
    assert.equal(backoffDelay(2, options, 0), 200);
    assert.equal(backoffDelay(3, options, 0.5), 600);
    assert.equal(backoffDelay(9, options, 1), 1000);
    assert.deepEqual(DEFAULT_RETRY, { attempts: 3, baseDelayMs: 200, maxDelayMs: 2000 });
  });

  it('waits the computed delays on the injected clock and stops at the cap', async () => {
    const fake = FakeTimers.createClock(0);
    const clock = { now: () => fake.now, setTimeout: (f: () => void, ms: number) => fake.setTimeout(f, ms), clearTimeout: (t: unknown) => fake.clearTimeout(t as never) };
    const at: number[] = [];
    const failing = async () => {
      at.push(fake.now);
      throw new WahaError({ kind: 'http', method: 'GET', path: '/x', status: 503 });
    };
    const result = withRetry(failing, { options: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 }, shouldRetry: () => true, clock, random: () => 0.5 }).catch((e: unknown) => e);
    await fake.runAllAsync();
    assert.ok((await result) instanceof WahaError);
    assert.deepEqual(at, [0, 75, 225]);
  });

  it('does not retry what shouldRetry refuses', async () => {
    let calls = 0;
    const clock = { now: () => 0, setTimeout: () => assert.fail('no wait expected'), clearTimeout: () => {} };
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw new Error('no');
        },
        { options: DEFAULT_RETRY, shouldRetry: () => false, clock, random: () => 0 },
      ),
    );
    assert.equal(calls, 1);
  });
});

describe('KeyedLanes', () => {
  it('serializes a key, coalesces pending reads, and forgets idle keys', async () => {
    const lanes = new KeyedLanes();
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = lanes.run('a', async () => {
      order.push('a1 start');
      await gate;
      order.push('a1 end');
    });
    const second = lanes.run('a', async () => {
      order.push('a2');
    });
    let reads = 0;
    const read = () => lanes.read('a', async () => ++reads);
    const [r1, r2] = [read(), read()];
    const other = lanes.run('b', async () => {
      order.push('b');
    });
    await other;
    assert.deepEqual(order, ['a1 start', 'b']);
    release();
    await Promise.all([first, second]);
    assert.deepEqual(await Promise.all([r1, r2]), [1, 1]);
    assert.deepEqual(order, ['a1 start', 'b', 'a1 end', 'a2']);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lanes.size, 0);
  });

  it('keeps the queue going after a failed task', async () => {
    const lanes = new KeyedLanes();
    await assert.rejects(lanes.run('a', async () => Promise.reject(new Error('x'))));
    assert.equal(await lanes.run('a', async () => 'ok'), 'ok');
  });
});

describe('reconnectSession (WAHA stubbed: the simulator never reports ERROR)', () => {
  function stubWaha(status: string) {
    const calls: string[] = [];
    const waha = {
      async getSession(name: string) {
        calls.push(`get ${name}`);
        return { name, status, me: null };
      },
      async deleteSession(name: string) {
        calls.push(`delete ${name}`);
      },
      async restartSession(name: string) {
        calls.push(`restart ${name}`);
        return { name, status: 'STARTING' };
      },
      async createSession(name: string) {
        calls.push(`create ${name}`);
        return { name, status: 'STARTING' };
      },
      async getQrRaw() {
        return null;
      },
      async getMe() {
        return null;
      },
    } as unknown as WahaClient;
    return { waha, calls };
  }

  it('restarts an ERROR session like a FAILED one (no delete: the phone stays linked)', async () => {
    const { waha, calls } = stubWaha('ERROR');
    const view = await reconnectSession({ waha, name: 'eagles_1' });
    assert.deepEqual(calls, ['get eagles_1', 'restart eagles_1']);
    assert.equal(view.status, 'STARTING');
    assert.equal(view.restarted, true);
    assert.equal(view.repair, 'restart');
  });

  for (const healthy of ['STARTING', 'SCAN_QR_CODE', 'WORKING']) {
    it(`leaves a ${healthy} session alone`, async () => {
      const { waha, calls } = stubWaha(healthy);
      await reconnectSession({ waha, name: 'eagles_1' });
      assert.deepEqual(calls, ['get eagles_1']);
    });
  }
});
