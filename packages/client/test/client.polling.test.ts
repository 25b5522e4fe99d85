import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { wire } from '../test-kit/index.js';
import { finishAll, harness } from './helpers/harness.js';

/** A started client whose first GET is sent and held by the backend (release it with h.backend.release()). */
async function startedWithFirstGetHeld(): Promise<ReturnType<typeof harness>> {
  const h = harness();
  h.backend.holdReplies = true;
  h.client.start();
  await h.settle();
  return h;
}

afterEach(finishAll);

describe('client: cadence', () => {
  it('sends nothing before start()', async () => {
    const h = harness();
    await h.clock.advance(100_000);
    assert.equal(h.backend.requests.length, 0);
    assert.equal(h.client.getSnapshot().phase, 'idle');
  });

  it('SCAN_QR at t=0 → next GET exactly at t=8000', async () => {
    const h = harness({}, (b) => b.answer(wire.scanQr()));
    h.client.start();
    await h.settle();
    assert.deepEqual(h.getTimes(), [0]);
    assert.equal(h.client.getSnapshot().phase, 'qr');
    assert.equal(h.client.getSnapshot().nextPollAt, 8000);
    await h.clock.advance(7999);
    assert.deepEqual(h.getTimes(), [0]);
    await h.clock.advance(1);
    assert.deepEqual(h.getTimes(), [0, 8000]);
  });

  it('WORKING → every 30 000 ms', async () => {
    const h = harness({}, (b) => b.answer(wire.working()));
    h.client.start();
    await h.clock.advance(90_000);
    assert.deepEqual(h.getTimes(), [0, 30_000, 60_000, 90_000]);
    assert.equal(h.client.getSnapshot().phase, 'connected');
  });

  for (const [name, body] of [
    ['STARTING', wire.starting()],
    ['STOPPED', wire.stopped()],
    ['PASSKEY_REQUIRED', wire.passkey()],
    ['an unknown status', wire.unknown()],
  ] as const) {
    it(`${name} → every 8000 ms`, async () => {
      const h = harness({}, (b) => b.answer(body));
      h.client.start();
      await h.clock.advance(24_000);
      assert.deepEqual(h.getTimes(), [0, 8000, 16_000, 24_000]);
    });
  }

  it('the cadence follows the status as it changes', async () => {
    const h = harness({}, (b) => b.reply({ json: wire.starting() }, { json: wire.scanQr() }, { json: wire.working() }, { json: wire.stopped() }).answer(wire.working()));
    h.client.start();
    await h.clock.advance(8000 + 8000 + 30_000 + 8000);
    assert.deepEqual(h.getTimes(), [0, 8000, 16_000, 46_000, 54_000]);
  });

  for (const [name, body] of [
    ['FAILED', wire.failed()],
    ['ERROR', wire.error()],
  ] as const) {
    it(`${name} stops polling until refresh() or an action`, async () => {
      const h = harness({}, (b) => b.answer(body));
      h.client.start();
      await h.clock.advance(600_000);
      assert.deepEqual(h.getTimes(), [0]);
      const s = h.client.getSnapshot();
      assert.equal(s.phase, 'failed');
      assert.equal(s.polling, false);
      assert.equal(s.nextPollAt, null);
      assert.equal(h.clock.pending, 0);

      h.backend.answer(wire.starting());
      const after = await h.client.refresh();
      assert.equal(after.phase, 'starting');
      assert.equal(after.polling, true);
      assert.equal(after.nextPollAt, 600_000 + 8000);
      await h.clock.advance(8000);
      assert.deepEqual(h.getTimes(), [0, 600_000, 608_000]);
    });
  }

  it('custom cadence and a floor of 1 s against a zero interval', async () => {
    const h = harness({ cadence: { waitingMs: 0, connectedMs: 5000 } }, (b) => b.reply({ json: wire.scanQr() }, { json: wire.scanQr() }).answer(wire.working()));
    h.client.start();
    await h.clock.advance(1000 + 1000 + 5000);
    assert.deepEqual(h.getTimes(), [0, 1000, 2000, 7000]);
  });

  it('autoStart polls at once', async () => {
    const h = harness({ autoStart: true });
    await h.settle();
    assert.deepEqual(h.getTimes(), [0]);
  });
});

describe('client: failures and backoff', () => {
  it('network failures back off 2 s doubling to a 60 s cap (jitter none), and the first success resets it', async () => {
    const h = harness({ backoff: { jitter: 'none' } }, (b) => b.defaultReply = { networkError: true });
    h.client.start();
    await h.clock.advance(2000 + 4000 + 8000 + 16_000 + 32_000 + 60_000 + 60_000);
    assert.deepEqual(h.getTimes(), [0, 2000, 6000, 14_000, 30_000, 62_000, 122_000, 182_000]);
    const s = h.client.getSnapshot();
    assert.equal(s.phase, 'unreachable');
    assert.equal(s.error?.code, 'network');
    assert.equal(s.consecutiveFailures, 8);
    assert.deepEqual(s.health, { level: 'down', reason: 'unreachable' });

    h.backend.reply({ json: wire.working() }, { networkError: true });
    await h.clock.advance(60_000);
    assert.equal(h.client.getSnapshot().phase, 'connected');
    assert.equal(h.client.getSnapshot().consecutiveFailures, 0);
    await h.clock.advance(30_000);
    assert.equal(h.client.getSnapshot().consecutiveFailures, 1);
    assert.equal(h.client.getSnapshot().nextPollAt, 272_000 + 2000, 'back to the first step');
  });

  it('full jitter keeps every delay within [0, min(60000, 2000·2^(n-1))]', async () => {
    const h = harness({ random: Math.random }, (b) => (b.defaultReply = { json: {}, status: 503 }));
    h.client.start();
    await h.settle();
    for (let n = 1; n <= 12; n += 1) {
      const { nextPollAt, consecutiveFailures } = h.client.getSnapshot();
      assert.equal(consecutiveFailures, n);
      assert.ok(nextPollAt !== null);
      const wait = nextPollAt - h.clock.now();
      assert.ok(wait >= 0 && wait <= Math.min(60_000, 2000 * 2 ** (n - 1)), `failure ${n}: waited ${wait}`);
      await h.clock.advanceTo(nextPollAt);
    }
  });

  it('429 with Retry-After: 5 → next GET exactly 5000 ms later', async () => {
    const h = harness({}, (b) => b.reply({ json: { error: { code: 'rate', message: 'Slow down' } }, status: 429, headers: { 'retry-after': '5' } }).answer(wire.scanQr()));
    h.client.start();
    await h.settle();
    const s = h.client.getSnapshot();
    assert.equal(s.error?.code, 'rate_limited');
    assert.equal(s.error?.message, 'Slow down');
    assert.equal(s.nextPollAt, 5000);
    await h.clock.advance(4999);
    assert.equal(h.getTimes().length, 1);
    await h.clock.advance(1);
    assert.deepEqual(h.getTimes(), [0, 5000]);
    assert.equal(h.client.getSnapshot().phase, 'qr');
  });

  for (const [name, reply, code] of [
    ['a 500', { json: { error: { code: 'x', message: 'Internal trouble' } }, status: 500 }, 'http'],
    ['an HTML page', { text: '<html>login</html>', headers: { 'content-type': 'text/html' } }, 'invalid_response'],
    ['non-JSON', { text: 'OK' }, 'invalid_response'],
    ['schema-invalid JSON', { json: { state: 'WORKING' } }, 'invalid_response'],
    ['a 404', { json: {}, status: 404 }, 'not_found'],
  ] as const) {
    it(`${name} becomes unreachable with a clear message and never throws`, async () => {
      const h = harness({ backoff: { jitter: 'none' } }, (b) => (b.defaultReply = reply));
      h.client.start();
      await h.clock.advance(2000);
      const s = h.client.getSnapshot();
      assert.equal(s.phase, 'unreachable');
      assert.equal(s.error?.code, code);
      assert.ok((s.error?.message.length ?? 0) > 5);
      assert.deepEqual(h.getTimes(), [0, 2000]);
    });
  }

  for (const status of [401, 403]) {
    it(`${status} stops polling with a "not authorized" error`, async () => {
      const h = harness({}, (b) => (b.defaultReply = { text: '', status }));
      h.client.start();
      await h.clock.advance(600_000);
      assert.deepEqual(h.getTimes(), [0]);
      const s = h.client.getSnapshot();
      assert.equal(s.phase, 'unauthorized');
      assert.equal(s.polling, false);
      assert.equal(s.error?.code, 'unauthorized');
      assert.match(s.error?.message ?? '', /not authorized/i);
      assert.equal(h.clock.pending, 0);
      // refresh() is an explicit retry (e.g. after signing in again).
      h.backend.answer(wire.working());
      assert.equal((await h.client.refresh()).phase, 'connected');
      assert.equal(h.client.getSnapshot().nextPollAt, 600_000 + 30_000);
    });
  }

  it('a timeout is measured on the injected clock', async () => {
    const h = harness({ timeoutMs: 3000, backoff: { jitter: 'none' } }, (b) => b.reply({ hang: true }));
    h.client.start();
    await h.clock.advance(2999);
    assert.equal(h.client.getSnapshot().phase, 'loading');
    await h.clock.advance(1);
    assert.equal(h.client.getSnapshot().error?.code, 'timeout');
    assert.equal(h.client.getSnapshot().nextPollAt, 3000 + 2000);
  });

  it('a throwing headers function is a failure, not an exception', async () => {
    const h = harness({
      headers: () => {
        throw new Error('no token');
      },
    });
    h.client.start();
    await h.settle();
    assert.equal(h.client.getSnapshot().phase, 'unreachable');
    assert.equal(h.backend.requests.length, 0);
  });
});

describe('client: one GET at a time, stale answers, stop and dispose', () => {
  it('refresh() during a poll joins it', async () => {
    const h = await startedWithFirstGetHeld();
    const a = h.client.refresh();
    const b = h.client.refresh();
    await h.settle();
    assert.equal(h.backend.requests.length, 1);
    h.backend.release();
    const [sa, sb] = await Promise.all([a, b]);
    assert.equal(sa, sb);
    assert.equal(sa.phase, 'qr');
  });

  it('stop() aborts the GET in flight, leaves no timer, keeps the snapshot', async () => {
    const h = harness({}, (b) => b.reply({ json: wire.working() }));
    h.client.start();
    await h.settle();
    h.backend.holdReplies = true;
    await h.clock.advance(30_000);
    assert.equal(h.backend.held, 1);
    h.client.stop();
    await h.settle();
    assert.equal(h.backend.held, 0, 'the request was aborted');
    assert.equal(h.clock.pending, 0);
    const s = h.client.getSnapshot();
    assert.equal(s.phase, 'connected');
    assert.equal(s.polling, false);
    assert.equal(s.nextPollAt, null);
    await h.clock.advance(600_000);
    assert.equal(h.backend.requests.length, 2);
  });

  it('dispose() aborts, clears timers and drops listeners; later calls are no-ops', async () => {
    const h = harness();
    let calls = 0;
    h.client.subscribe(() => calls++);
    h.client.start();
    await h.settle();
    h.backend.holdReplies = true;
    await h.clock.advance(8000);
    h.client.dispose();
    await h.settle();
    assert.equal(h.backend.held, 0);
    assert.equal(h.clock.pending, 0);
    const before = calls;
    h.client.start();
    await h.client.refresh();
    const result = await h.client.reconnect();
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.code, 'aborted');
    await h.clock.advance(100_000);
    assert.equal(calls, before);
    assert.equal(h.backend.requests.length, 2);
  });

  it('start() after stop() polls at once and resumes the cadence', async () => {
    const h = harness();
    h.client.start();
    await h.clock.advance(1000);
    h.client.stop();
    await h.clock.advance(1000);
    h.client.start();
    await h.clock.advance(8000);
    assert.deepEqual(h.getTimes(), [0, 2000, 10_000]);
  });
});

describe('client: a STOPPED that does not heal', () => {
  it('stalled turns true two minutes after STOPPED began, to the millisecond, between polls', async () => {
    // Polls 50 s apart, so the moment (150 s) falls between two of them.
    const h = harness({ cadence: { connectedMs: 30_000, waitingMs: 50_000 } }, (b) => b.reply({ json: wire.working() }).answer(wire.stopped()));
    h.client.start();
    await h.clock.advance(30_000); // STOPPED from 30 s
    assert.equal(h.client.getSnapshot().statusSince, 30_000);
    await h.clock.advanceTo(149_999);
    assert.equal(h.client.getSnapshot().stalled, false);
    await h.clock.advance(1);
    assert.equal(h.client.getSnapshot().stalled, true);
    assert.equal(h.snapshots.at(-1)?.stalled, true, 'subscribers heard it');
    assert.deepEqual(h.getTimes(), [0, 30_000, 80_000, 130_000]);
    await h.clock.advance(50_000);
    assert.equal(h.client.getSnapshot().stalled, true, 'the next STOPPED answer agrees');
    h.backend.answer(wire.working());
    await h.clock.advance(50_000);
    assert.equal(h.client.getSnapshot().stalled, false);
    h.backend.assertPosts(0);
  });

  it('stop() cancels the moment; a hidden page does not count time it did not watch', async () => {
    const h = harness({ cadence: { connectedMs: 30_000 } }, (b) => b.reply({ json: wire.working() }).answer(wire.stopped()));
    h.client.start();
    await h.clock.advance(40_000); // STOPPED from 30 s, last seen at 38 s
    h.visibility.set(false);
    await h.clock.advance(200_000);
    assert.equal(h.client.getSnapshot().stalled, false, 'an answer 112 s old cannot vouch for the STOPPED');
    h.visibility.set(true);
    await h.settle();
    assert.equal(h.client.getSnapshot().statusSince, 240_000, 'the watch starts again');
    await h.clock.advance(32_000);
    assert.deepEqual(h.clock.dueTimes, [280_000, 360_000], 'the next poll and the moment');
    h.client.stop();
    assert.equal(h.clock.pending, 0);
  });
});

describe('client: visibility', () => {
  it('no requests while hidden; on show, refresh at once, then resume the cadence', async () => {
    const h = harness();
    h.client.start();
    await h.clock.advance(3000);
    h.visibility.set(false);
    assert.equal(h.client.getSnapshot().nextPollAt, null);
    await h.clock.advance(120_000);
    assert.deepEqual(h.getTimes(), [0]);
    h.visibility.set(true);
    await h.settle();
    assert.deepEqual(h.getTimes(), [0, 123_000]);
    await h.clock.advance(8000);
    assert.deepEqual(h.getTimes(), [0, 123_000, 131_000]);
  });

  it('a client started while hidden waits', async () => {
    const h = harness();
    h.visibility.set(false);
    h.client.start();
    await h.clock.advance(50_000);
    assert.equal(h.backend.requests.length, 0);
    assert.equal(h.client.getSnapshot().phase, 'loading');
    h.visibility.set(true);
    await h.settle();
    assert.deepEqual(h.getTimes(), [50_000]);
  });

  it('showing the page does not wake a FAILED or unauthorized client', async () => {
    const h = harness({}, (b) => b.answer(wire.failed()));
    h.client.start();
    await h.settle();
    h.visibility.set(false);
    h.visibility.set(true);
    await h.clock.advance(100_000);
    assert.deepEqual(h.getTimes(), [0]);
  });
});

// The polling rules the poller's own tests checked before polling became part of the client.
describe('client: polling rules', () => {
  it('waits for the GET to finish before counting the next delay', async () => {
    const h = await startedWithFirstGetHeld();
    await h.clock.advance(5000);
    assert.equal(h.client.getSnapshot().nextPollAt, null, 'nothing is scheduled while a GET is in flight');
    h.backend.release();
    await h.settle();
    assert.equal(h.client.getSnapshot().nextPollAt, 13_000);
  });

  it('refresh() restarts the cadence from its own answer', async () => {
    const h = harness();
    h.client.start();
    await h.clock.advance(3000);
    await h.client.refresh();
    assert.deepEqual(h.getTimes(), [0, 3000]);
    await h.clock.advance(7999);
    assert.equal(h.backend.requests.length, 2, 'the old timer was cleared');
    await h.clock.advance(1);
    assert.deepEqual(h.getTimes(), [0, 3000, 11_000]);
  });

  it('refresh() on a client that was never started sends one GET and schedules nothing after', async () => {
    const h = harness();
    await h.client.refresh();
    assert.equal(h.backend.requests.length, 1);
    assert.equal(h.clock.pending, 0);
    assert.equal(h.client.getSnapshot().nextPollAt, null);
  });

  it('showing the page while a GET is in flight does not send a second one', async () => {
    const h = await startedWithFirstGetHeld();
    h.visibility.set(false);
    h.visibility.set(true);
    await h.settle();
    assert.equal(h.backend.requests.length, 1);
    h.backend.release();
  });

  it('a GET that finishes while the page is hidden schedules nothing; showing it refreshes at once', async () => {
    const h = await startedWithFirstGetHeld();
    h.visibility.set(false);
    h.backend.holdReplies = false;
    h.backend.release();
    await h.settle();
    assert.equal(h.client.getSnapshot().nextPollAt, null);
    await h.clock.advance(60_000);
    assert.equal(h.backend.requests.length, 1);
    h.visibility.set(true);
    await h.settle();
    assert.deepEqual(h.getTimes(), [0, 60_000]);
  });
});
