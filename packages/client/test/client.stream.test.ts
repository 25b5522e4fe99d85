import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import * as streamModule from '../src/stream.js';
import { wire } from '../test-kit/index.js';
import { FakeEventSource } from '../test-kit/index.js';
import { FakeClock, FakeVisibility } from '../test-kit/index.js';
import { withLogger } from '../src/log.js';
import type { LogRecord } from '../src/options.js';
import { finishAll, harness } from './helpers/harness.js';

// The client imports the stream module on the first answer that offers a stream. Under
// tsx that import goes through loader hooks on another thread, so when it lands is not
// tied to `settle()`; here the module comes from a loader that resolves at once (the
// loading paths are tested in client.stream-loading.test.ts, the real import in
// client.stream-import.test.ts and in the browser).
const loadNow = () => Promise.resolve(streamModule);
beforeEach(() => FakeEventSource.reset());
afterEach(() => {
  finishAll();
  assert.equal(FakeEventSource.openInstances.length, 0, 'no stream left open');
});

const withStream = (status = wire.scanQr()) => ({ ...status, stream: '/api/whatsapp/session/events' });

function streaming(setup = (b: import('../test-kit/index.js').FakeBackend) => b.answer(withStream())) {
  return harness({ stream: true, EventSource: FakeEventSource, backoff: { jitter: 'none' } }, setup, loadNow);
}

/** A started streaming client whose first answer's stream is open. */
async function streamingOpen(): Promise<ReturnType<typeof streaming>> {
  const h = streaming();
  h.client.start();
  await h.settle();
  FakeEventSource.last?.open();
  return h;
}

describe('client: push stream', () => {
  it('opens the advertised stream, resolved against the endpoint', async () => {
    const h = streaming();
    h.client.start();
    await h.settle();
    assert.equal(FakeEventSource.instances.length, 1);
    assert.equal(FakeEventSource.last?.url, 'http://backend.test/api/whatsapp/session/events');
    assert.equal(FakeEventSource.last?.withCredentials, false);
  });

  for (const foreign of ['//evil.host/api/whatsapp/session/stream', 'https://evil.host/api/whatsapp/session/stream']) {
    it(`refuses a stream on another origin (${foreign}): a warning, no stream, polling goes on`, async () => {
      let loads = 0;
      const h = harness({ stream: true, EventSource: FakeEventSource }, (b) => b.answer({ ...wire.scanQr(), stream: foreign }), () => {
        loads += 1;
        return loadNow();
      });
      h.client.start();
      await h.clock.advance(16_000);
      assert.equal(FakeEventSource.instances.length, 0);
      assert.equal(loads, 0, 'the stream module is not even loaded');
      assert.deepEqual(h.getTimes(), [0, 8000, 16_000]);
      const warnings = h.logs.filter((r) => r.event === 'stream.refused');
      assert.equal(warnings.length, 1, 'once, not on every answer');
      assert.equal(warnings[0]?.level, 'warn');
      assert.equal(warnings[0]?.url, foreign);
      assert.equal(h.client.getSnapshot().streaming, false);
    });
  }

  it('while open, polling slows to the 60 s fallback; messages apply at once with no extra GET', async () => {
    const h = streaming();
    h.client.start();
    await h.settle();
    assert.equal(h.client.getSnapshot().nextPollAt, 8000);
    FakeEventSource.last?.open();
    assert.equal(h.client.getSnapshot().streaming, true);
    assert.equal(h.client.getSnapshot().nextPollAt, 60_000);
    await h.clock.advance(5000);
    FakeEventSource.last?.message(wire.working());
    const s = h.client.getSnapshot();
    assert.equal(s.phase, 'connected');
    assert.equal(s.lastUpdatedAt, 5000);
    assert.equal(s.nextPollAt, 65_000, 'the safety net restarts from the push');
    assert.equal(h.backend.gets.length, 1);
    await h.clock.advance(60_000);
    assert.deepEqual(h.getTimes(), [0, 65_000]);
  });

  it('a push makes a GET in flight stale', async () => {
    const h = await streamingOpen();
    h.backend.holdReplies = true;
    await h.clock.advance(60_000);
    assert.equal(h.backend.held, 1);
    FakeEventSource.last?.message(wire.working());
    h.backend.release({ json: withStream(wire.stopped()) });
    await h.settle();
    assert.equal(h.client.getSnapshot().status, 'WORKING');
    assert.ok(h.logs.some((r) => r.event === 'poll.discarded'));
  });

  it('on stream error: back to the normal cadence, reopen with backoff', async () => {
    const h = await streamingOpen();
    await h.clock.advance(1000);
    FakeEventSource.last?.error();
    const s = h.client.getSnapshot();
    assert.equal(s.streaming, false);
    assert.equal(s.nextPollAt, 1000 + 8000);
    await h.clock.advance(2000);
    assert.equal(FakeEventSource.instances.length, 2, 'reopened after 2 s');
    assert.ok(h.logs.some((r) => r.event === 'stream.failed'));
  });

  it('invalid push messages are logged and ignored', async () => {
    const h = await streamingOpen();
    const before = h.client.getSnapshot();
    FakeEventSource.last?.message('not json');
    FakeEventSource.last?.message({ nope: true });
    assert.equal(h.client.getSnapshot(), before);
    assert.equal(h.logs.filter((r) => r.event === 'push.invalid').length, 2);
  });

  it('pushes during an action are dropped: the action answer becomes the state', async () => {
    const h = await streamingOpen();
    h.backend.holdReplies = true;
    const action = h.act('reconnect');
    await h.settle();
    FakeEventSource.last?.message(wire.working());
    assert.equal(h.client.getSnapshot().status, 'SCAN_QR');
    h.backend.release({ json: withStream(wire.starting()) });
    await action;
    assert.equal(h.client.getSnapshot().status, 'STARTING');
  });

  it('hidden closes the stream; visible reopens it and refreshes', async () => {
    const h = await streamingOpen();
    h.visibility.set(false);
    assert.equal(FakeEventSource.openInstances.length, 0);
    assert.equal(h.client.getSnapshot().streaming, false);
    await h.clock.advance(100_000);
    assert.equal(h.backend.gets.length, 1);
    h.visibility.set(true);
    await h.settle();
    assert.equal(FakeEventSource.openInstances.length, 1);
    assert.equal(h.backend.gets.length, 2);
  });

  it('withLogger says page.hidden / page.visible once per change, though the client and its stream both watch the page', async () => {
    const h = await streamingOpen();
    h.visibility.set(false);
    h.visibility.set(true);
    await h.settle();
    assert.deepEqual(
      h.logs.filter((r) => r.event.startsWith('page.')).map((r) => r.event),
      ['page.hidden', 'page.visible'],
    );
  });

  it('withLogger logs each visibility change once, whichever subscription came first or left first', () => {
    const visibility = new FakeVisibility(true);
    const logs: LogRecord[] = [];
    const options = withLogger({ endpoint: '/api/whatsapp/session', visibility, timers: new FakeClock(0), logger: (record) => logs.push(record) });
    const heard: boolean[] = [];
    const watch = () => options.visibility!.subscribe((visible) => heard.push(visible));
    const offFirst = watch();
    const offSecond = watch();
    visibility.set(false);
    offFirst();
    visibility.set(true);
    offSecond();
    visibility.set(false);
    const offAgain = watch();
    visibility.set(true);
    offAgain();
    assert.deepEqual(heard, [false, false, true, true]);
    assert.deepEqual(
      logs.map((r) => r.event),
      ['page.hidden', 'page.visible', 'page.visible'],
      'a change while nothing watched is not logged; the rest once each',
    );
  });

  it('stop() closes the stream; stream: false never opens one', async () => {
    const h = streaming();
    h.client.start();
    await h.settle();
    h.client.stop();
    assert.equal(FakeEventSource.openInstances.length, 0);

    const off = harness({ stream: false, EventSource: FakeEventSource }, (b) => b.answer(withStream()), loadNow);
    off.client.start();
    await off.settle();
    assert.equal(FakeEventSource.instances.length, 1);
  });

  it('credentials: include opens the stream withCredentials', async () => {
    const h = harness({ stream: true, EventSource: FakeEventSource, credentials: 'include' }, (b) => b.answer(withStream()), loadNow);
    h.client.start();
    await h.settle();
    assert.equal(FakeEventSource.last?.withCredentials, true);
  });

  it('401 closes the stream: retrying cannot fix it', async () => {
    const h = streaming((b) => b.reply({ json: withStream() }, { text: '', status: 401 }));
    h.client.start();
    await h.settle();
    FakeEventSource.last?.open();
    await h.clock.advance(60_000);
    assert.equal(h.client.getSnapshot().phase, 'unauthorized');
    assert.equal(FakeEventSource.openInstances.length, 0);
    assert.equal(h.client.getSnapshot().streaming, false);
    await h.clock.advance(600_000);
    assert.equal(FakeEventSource.instances.length, 1, 'not reopened');
  });

  it('refresh() on a stopped client does not open the stream', async () => {
    const h = streaming();
    await h.client.refresh();
    assert.equal(FakeEventSource.instances.length, 0);
  });
});
