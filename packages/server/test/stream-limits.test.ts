import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import FakeTimers from '@sinonjs/fake-timers';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { createMemoryBus, type Clock, type SessionBus, type StreamOptions } from '../src/index.js';
import { ENDPOINT, harness, json, type Harness } from './helpers.js';
import { SseReader } from './sse.js';

let h: Harness | undefined;
const readers: SseReader[] = [];
afterEach(async () => {
  for (const reader of readers.splice(0)) await reader.cancel();
  await h?.close();
  h = undefined;
});

function handlerClock() {
  const fake = FakeTimers.createClock(0);
  const clock: Clock = { now: () => fake.now, setTimeout: (f, ms) => fake.setTimeout(f, ms), clearTimeout: (t) => fake.clearTimeout(t as never) };
  return { fake, clock };
}

/** A memory bus whose reconnection ("resync") the test triggers. */
function resyncableBus(): SessionBus & { resync(): void } {
  const inner = createMemoryBus();
  const listeners = new Set<() => void>();
  return {
    publish: (orgId, answer) => inner.publish(orgId, answer),
    subscribe: (orgId, listener) => inner.subscribe(orgId, listener),
    onResync(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => inner.close(),
    resync: () => listeners.forEach((listener) => listener()),
  };
}

async function streamHarness(stream: StreamOptions, bus: SessionBus = createMemoryBus()) {
  const { fake, clock } = handlerClock();
  h = await harness({ handler: { stream: { refreshMs: 0, ...stream }, clock, bus } });
  return { fake, bus, h };
}

const openStream = (org: string) => h!.handler(new Request(`${ENDPOINT}/stream`, { headers: { 'x-org': org } }));

async function reader(response: Response): Promise<SseReader> {
  assert.equal(response.status, 200, response.status === 200 ? '' : await response.clone().text());
  const sse = new SseReader(response.body);
  readers.push(sse);
  return sse;
}

/** An answer of about `bytes` bytes (a long QR payload), distinct per `n`. */
const bigAnswer = (n: number, bytes: number): SessionAnswerWire => ({ status: 'SCAN_QR', sessionName: 'eagles_1', connected: false, qr: `${n}:${'q'.repeat(bytes)}` });

describe('SSE stream limits', () => {
  it('refuses the 21st stream of one organization with 429, Retry-After and a JSON error; others still open', async () => {
    await streamHarness({});
    const opened: Response[] = [];
    for (let i = 0; i < 20; i++) opened.push(await openStream('1'));
    for (const response of opened) await reader(response);
    const refused = await openStream('1');
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '30');
    assert.match(refused.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal((await json<{ error: { code: string } }>(refused)).error.code, 'rate_limited');
    assert.equal(h!.handler.openStreams(), 20);
    await reader(await openStream('2'));
    assert.ok(h!.logs.some((record) => record.event === 'request.failed' && record.code === 'rate_limited' && record.orgId === '1'));
  });

  it('gives a slot back when a stream closes', async () => {
    await streamHarness({ maxStreamsPerOrganization: 1 });
    const first = await reader(await openStream('1'));
    assert.equal((await openStream('1')).status, 429);
    await first.cancel();
    await reader(await openStream('1'));
  });

  it('counts streams still opening: a burst of 50 for one organization gets exactly its cap', async () => {
    await streamHarness({ maxStreamsPerOrganization: 7 });
    const responses = await Promise.all(Array.from({ length: 50 }, () => openStream('1')));
    const statuses = responses.map((response) => response.status);
    assert.equal(statuses.filter((status) => status === 200).length, 7);
    assert.equal(statuses.filter((status) => status === 429).length, 43);
    for (const response of responses) if (response.status === 200) await reader(response);
    assert.equal(h!.handler.openStreams(), 7);
  });

  it('caps the whole process, refusing before authenticating, and releases a slot when opening fails', async () => {
    await streamHarness({ maxStreams: 2 });
    await reader(await openStream('1'));
    h!.sim.setErrorRate(1);
    assert.equal((await openStream('2')).status, 502); // took a slot, gave it back
    h!.sim.setErrorRate(0);
    await reader(await openStream('2'));
    const full = await h!.handler(new Request(`${ENDPOINT}/stream`)); // not even signed in
    assert.equal(full.status, 429);
    assert.equal((await json<{ error: { code: string } }>(full)).error.code, 'rate_limited');
    assert.equal(h!.handler.openStreams(), 2);
  });
});

describe('SSE stream backpressure', () => {
  it('drops a reader that falls behind by more than maxQueuedBytes, discarding its queue', async () => {
    const { bus } = await streamHarness({ maxQueuedBytes: 8 * 1024 });
    const response = await openStream('1'); // nobody reads it
    assert.equal(h!.handler.openStreams(), 1);
    for (let n = 0; n < 5; n++) await bus.publish('1', bigAnswer(n, 1_000));
    assert.equal(h!.handler.openStreams(), 1, '5 KB behind: still within the bound');
    for (let n = 5; n < 20; n++) await bus.publish('1', bigAnswer(n, 1_000));
    assert.equal(h!.handler.openStreams(), 0, 'dropped, not buffered');
    const dropped = h!.logs.find((record) => record.event === 'stream.dropped');
    assert.equal(dropped?.orgId, '1');
    assert.ok(typeof dropped?.queuedBytes === 'number' && dropped.queuedBytes > 8 * 1024 && dropped.queuedBytes < 10 * 1024);
    await assert.rejects(response.body!.getReader().read(), /fell behind/);
    // It reconnects and gets the current state.
    const again = await reader(await openStream('1'));
    await again.next();
    assert.equal((await again.nextData<SessionAnswerWire>()).sessionName, 'eagles_1');
  });

  it('keeps a reader that keeps up, however many answers pass', async () => {
    const { bus } = await streamHarness({ maxQueuedBytes: 4 * 1024 });
    const sse = await reader(await openStream('1'));
    await sse.next();
    await sse.nextData();
    for (let n = 0; n < 200; n++) {
      await bus.publish('1', bigAnswer(n, 1_000));
      assert.equal((await sse.nextData<SessionAnswerWire>()).qr?.startsWith(`${n}:`), true);
    }
    assert.equal(h!.handler.openStreams(), 1);
  });

  it('skips the heartbeat while bytes are still waiting for the reader', async () => {
    const { fake, bus } = await streamHarness({});
    const sse = await reader(await openStream('1')); // not read yet: retry, initial answer queued
    await bus.publish('1', bigAnswer(1, 100));
    fake.tick(15_000);
    assert.deepEqual(await sse.next(), { retry: 5000 });
    assert.equal((await sse.nextData<SessionAnswerWire>()).status, 'STARTING');
    assert.equal((await sse.nextData<SessionAnswerWire>()).qr?.startsWith('1:'), true);
    assert.equal(await sse.hasPending(), false, 'no heartbeat was queued behind them');
    fake.tick(15_000); // read up: the next one is sent
    assert.deepEqual(await sse.next(), { comment: 'heartbeat' });
  });
});

describe('SSE stream: the bus', () => {
  it('re-sends the current state after the bus reconnects (answers may have been missed)', async () => {
    const bus = resyncableBus();
    await streamHarness({}, bus);
    const sse = await reader(await openStream('1'));
    await sse.next();
    assert.equal((await sse.nextData<SessionAnswerWire>()).status, 'STARTING');
    h!.fake.tick(2000); // WAHA moves on; nothing is published
    assert.equal(await sse.hasPending(), false);
    bus.resync();
    assert.equal((await sse.nextData<SessionAnswerWire>()).status, 'SCAN_QR');
  });
});
