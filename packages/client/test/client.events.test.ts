import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { SessionClientEventMap, SessionClientEventName } from '../src/client-types.js';
import { createMetricsRecorder } from '../src/metrics.js';
import { wire } from '../test-kit/index.js';
import { finishAll, harness, type Harness } from './helpers/harness.js';

afterEach(finishAll);

function record(h: Harness) {
  const seen: { name: SessionClientEventName; detail: SessionClientEventMap[SessionClientEventName] }[] = [];
  for (const name of ['status-change', 'connected', 'disconnected', 'failed', 'qr', 'error'] as const) {
    h.client.on(name, (detail) => seen.push({ name, detail }));
  }
  return seen;
}

describe('client: snapshots', () => {
  it('getSnapshot() returns the same frozen object until something changes', async () => {
    const h = harness({}, (b) => b.answer(wire.working()));
    const first = h.client.getSnapshot();
    assert.equal(h.client.getSnapshot(), first);
    h.client.start();
    await h.settle();
    const connected = h.client.getSnapshot();
    assert.notEqual(connected, first);
    assert.equal(h.client.getSnapshot(), connected);
    assert.ok(Object.isFrozen(connected));
    assert.throws(() => {
      (connected as { phase: string }).phase = 'x';
    });
  });

  it('listeners hear each published snapshot once, batched per poll', async () => {
    const h = harness({}, (b) => b.answer(wire.scanQr()));
    h.client.start();
    await h.settle();
    // start (loading), then the answer together with its schedule.
    assert.deepEqual(h.snapshots.map((s) => [s.phase, s.nextPollAt]), [['loading', null], ['qr', 8000]]);
    for (let i = 1; i < h.snapshots.length; i += 1) assert.notEqual(h.snapshots[i], h.snapshots[i - 1]);
  });

  it('unsubscribe stops notifications', async () => {
    const h = harness();
    let calls = 0;
    const off = h.client.subscribe(() => calls++);
    off();
    off();
    h.client.start();
    await h.settle();
    assert.equal(calls, 0);
  });

  it('a throwing listener or handler does not break the client', async () => {
    const h = harness({}, (b) => b.answer(wire.working()));
    h.client.subscribe(() => {
      throw new Error('listener bug');
    });
    h.client.on('connected', () => {
      throw new Error('handler bug');
    });
    h.client.start();
    await h.clock.advance(30_000);
    assert.equal(h.getTimes().length, 2);
    assert.ok(h.logs.some((r) => r.event === 'listener.failed' && r.level === 'error'));
  });

  it('a listener may call the client while being notified', async () => {
    const h = harness({}, (b) => b.reply({ json: wire.failed() }).answer(wire.starting()));
    let acted = false;
    h.client.subscribe((s) => {
      if (s.phase === 'failed' && !acted) {
        acted = true;
        void h.act('reconnect');
      }
    });
    h.client.start();
    await h.settle();
    assert.equal(h.client.getSnapshot().phase, 'starting');
    assert.equal(h.snapshots.at(-1), h.client.getSnapshot(), 'the last snapshot heard is the current one');
  });
});

describe('client: events', () => {
  it('status-change, qr, connected, disconnected, failed in order', async () => {
    const h = harness({}, (b) => b.reply({ json: wire.scanQr('a') }, { json: wire.scanQr('b') }, { json: wire.working() }, { json: wire.stopped() }, { json: wire.failed('gone') }));
    const seen = record(h);
    h.client.start();
    await h.clock.advance(8000 + 8000 + 30_000 + 8000);
    assert.deepEqual(
      seen.map((e) => e.name),
      ['status-change', 'qr', 'qr', 'status-change', 'connected', 'status-change', 'disconnected', 'status-change', 'failed'],
    );
    const qrs = seen.filter((e) => e.name === 'qr').map((e) => (e.detail as SessionClientEventMap['qr']).qr);
    assert.deepEqual(qrs, ['a', 'b']);
    const connected = seen.find((e) => e.name === 'connected')?.detail as SessionClientEventMap['connected'];
    assert.equal(connected.me?.id, '5215512345678@c.us');
    const disconnected = seen.find((e) => e.name === 'disconnected')?.detail as SessionClientEventMap['disconnected'];
    assert.equal(disconnected.me?.id, '5215512345678@c.us');
    assert.equal(disconnected.status, 'STOPPED');
    const failed = seen.find((e) => e.name === 'failed')?.detail as SessionClientEventMap['failed'];
    assert.equal(failed.error?.message, 'gone');
    const change = seen[0]?.detail as SessionClientEventMap['status-change'];
    assert.deepEqual([change.status, change.previousStatus, change.phase], ['SCAN_QR', null, 'qr']);
  });

  it('the same QR does not emit qr again', async () => {
    const h = harness({}, (b) => b.answer(wire.scanQr('same')));
    const seen = record(h);
    h.client.start();
    await h.clock.advance(24_000);
    assert.equal(seen.filter((e) => e.name === 'qr').length, 1);
  });

  it('error is emitted for each failed request', async () => {
    const h = harness({}, (b) => (b.defaultReply = { networkError: true }));
    const seen = record(h);
    h.client.start();
    await h.clock.advance(3000);
    assert.equal(seen.filter((e) => e.name === 'error').length, 3);
  });

  it('error is not emitted for requests the client cancelled itself (aborted)', async () => {
    const h = harness({}, (b) => (b.holdReplies = true));
    const seen = record(h);
    h.client.start();
    await h.settle();
    // The held poll is replaced by the action, then stop() cancels the action.
    const action = h.act('reconnect');
    await h.settle();
    h.client.stop();
    const result = await action;
    assert.equal(!result.ok && result.error.code, 'aborted');
    await h.settle();
    assert.deepEqual([h.backend.gets.length, h.backend.posts.length], [1, 1], 'one poll and one action were sent, and both aborted');
    assert.deepEqual(seen.filter((e) => e.name === 'error'), []);
  });

  it('on() returns an unsubscribe', async () => {
    const h = harness();
    let calls = 0;
    const off = h.client.on('status-change', () => calls++);
    off();
    h.client.start();
    await h.settle();
    assert.equal(calls, 0);
  });
});

describe('client: field problems', () => {
  it('flapping keeps me visible, marks health degraded and counts flaps', async () => {
    const metrics = createMetricsRecorder();
    const h = harness({ cadence: { connectedMs: 10_000, waitingMs: 10_000 }, inspect: metrics.record }, (b) =>
      b.reply({ json: wire.working() }, { json: wire.stopped() }, { json: wire.working() }, { json: wire.stopped() }, { json: wire.working() }),
    );
    h.client.start();
    await h.clock.advance(30_000);
    let s = h.client.getSnapshot();
    assert.equal(s.phase, 'reconnecting');
    assert.equal(s.me?.id, '5215512345678@c.us', 'the number stays visible');
    assert.deepEqual(s.health, { level: 'degraded', reason: 'flapping' });
    await h.clock.advance(10_000);
    s = h.client.getSnapshot();
    assert.equal(s.phase, 'connected');
    assert.deepEqual(s.health, { level: 'degraded', reason: 'flapping' });
    assert.equal(metrics.read().flaps, 2);
    assert.equal(h.backend.posts.length, 0, 'never restarted');
  });

  it('FAILED right after SCAN_QR is qr-expired (one click away)', async () => {
    const h = harness({}, (b) => b.reply({ json: wire.scanQr() }, { json: { status: 'FAILED', sessionName: 'eagles_42' } }).answer(wire.scanQr('new')));
    const seen = record(h);
    h.client.start();
    await h.clock.advance(8000);
    const s = h.client.getSnapshot();
    assert.equal(s.phase, 'qr-expired');
    assert.deepEqual(s.health, { level: 'down', reason: 'qr-expired' });
    assert.match(s.error?.message ?? '', /expired/);
    assert.ok(seen.some((e) => e.name === 'failed'));
    await h.act('reconnect');
    assert.equal(h.client.getSnapshot().qr, 'new');
  });

  it('warns once per distinct unknown status', async () => {
    const h = harness({}, (b) => b.reply({ json: wire.unknown('REBOOTING') }, { json: wire.unknown('REBOOTING') }, { json: wire.unknown('MIGRATING') }).answer(wire.unknown('REBOOTING')));
    h.client.start();
    await h.clock.advance(32_000);
    const warnings = h.logs.filter((r) => r.event === 'status.unknown');
    assert.deepEqual(warnings.map((r) => r.rawStatus), ['REBOOTING', 'MIGRATING']);
    assert.equal(warnings[0]?.level, 'warn');
    assert.equal(h.client.getSnapshot().phase, 'checking');
  });
});

describe('client: metrics', () => {
  it('counts polls, errors, status changes, attempts, success rate, time to connect and actions', async () => {
    const metrics = createMetricsRecorder();
    const h = harness({ backoff: { jitter: 'none' }, inspect: metrics.record }, (b) =>
      b.reply({ json: wire.failed() }, { json: wire.starting() }, { networkError: true }, { json: wire.scanQr() }, { json: wire.scanQr() }, { json: wire.working() }),
    );
    h.client.start();
    await h.settle(); // FAILED at 0
    await h.act('reconnect'); // STARTING at 0
    await h.clock.advance(8000); // network error at 8000
    await h.clock.advance(2000); // SCAN_QR at 10000
    await h.clock.advance(8000); // SCAN_QR at 18000
    await h.clock.advance(8000); // WORKING at 26000
    const m = metrics.read();
    assert.equal(m.polls, 5);
    assert.equal(m.pollErrors, 1);
    assert.equal(m.statusChanges, 4); // FAILED, STARTING, SCAN_QR, WORKING
    assert.equal(m.connectAttempts, 1);
    assert.equal(m.successfulConnects, 1);
    assert.equal(m.successRate, 1);
    assert.deepEqual(m.timeToConnectMs, [16_000]);
    assert.deepEqual(m.actions, { reconnect: 1, logout: 0, change_number: 0, request_code: 0 });
    assert.equal(m.flaps, 0);
    assert.ok(Object.isFrozen(m));
  });

  it('a QR that appears without an action opens an attempt; an expired one fails it', async () => {
    const metrics = createMetricsRecorder();
    const h = harness({ inspect: metrics.record }, (b) => b.reply({ json: wire.scanQr() }, { json: wire.failed() }));
    h.client.start();
    await h.clock.advance(8000);
    const m = metrics.read();
    assert.equal(m.connectAttempts, 1);
    assert.equal(m.successfulConnects, 0);
    assert.equal(m.successRate, 0);
  });

  it('success rate is null before any attempt', () => {
    assert.equal(createMetricsRecorder().read().successRate, null);
  });

  it('a throwing inspector is logged and the client goes on', async () => {
    const h = harness({
      inspect() {
        throw new Error('inspector bug');
      },
    }, (b) => b.answer(wire.working()));
    h.client.start();
    await h.settle();
    assert.equal(h.client.getSnapshot().phase, 'connected');
    assert.ok(h.logs.some((r) => r.event === 'listener.failed' && r.listener === 'inspect'));
  });
});

describe('client: structured logs', () => {
  it('the logger receives plain records with stable fields', async () => {
    const h = harness({}, (b) => b.reply({ networkError: true }).answer(wire.working()));
    h.client.start();
    await h.clock.advance(1000);
    for (const r of h.logs) {
      assert.equal(typeof r.event, 'string');
      assert.equal(typeof r.message, 'string');
      assert.equal(typeof r.time, 'number');
      assert.equal(r.endpoint, 'http://backend.test/api/whatsapp/session');
      assert.ok(['debug', 'info', 'warn', 'error'].includes(r.level));
    }
    const failed = h.logs.find((r) => r.event === 'poll.failed');
    assert.equal(failed?.errorCode, 'network');
    assert.equal(failed?.level, 'warn');
    assert.ok(h.logs.some((r) => r.event === 'status.changed' && r.to === 'WORKING'));
  });

  it('steps that change no state keep their records: a refused action, an aborted poll', async () => {
    const h = harness({}, (b) => {
      b.answer(wire.failed());
      b.holdPosts = true;
    });
    h.client.start();
    await h.settle();
    const running = h.act('reconnect');
    const refused = await h.act('logout');
    assert.equal(!refused.ok && refused.error.code, 'busy');
    h.backend.releasePosts();
    await running;
    assert.deepEqual(
      h.logs.filter((r) => r.event === 'action.refused').map(({ level, action, pendingAction, message }) => ({ level, action, pendingAction, message })),
      [{ level: 'warn', action: 'logout', pendingAction: 'reconnect', message: 'action refused: reconnect' }],
    );
  });

  it('a poll aborted by stop() is logged with its sequence number', async () => {
    const h = harness({}, (b) => (b.holdReplies = true));
    h.client.start();
    await h.settle();
    h.client.stop();
    await h.settle();
    assert.deepEqual(
      h.logs.filter((r) => r.event === 'poll.aborted').map(({ level, seq }) => ({ level, seq })),
      [{ level: 'debug', seq: 1 }],
    );
  });

  it('a throwing logger does not break polling', async () => {
    const h = harness({
      logger: () => {
        throw new Error('log sink down');
      },
    }, (b) => b.answer(wire.working()));
    h.client.start();
    await h.clock.advance(30_000);
    assert.equal(h.getTimes().length, 2);
  });
});
