import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { StreamModuleLoader } from '../src/client.js';
import * as streamModule from '../src/stream.js';
import { wire } from '../test-kit/index.js';
import { FakeEventSource } from '../test-kit/index.js';
import type { FakeBackend } from '../test-kit/index.js';
import { finishAll, harness } from './helpers/harness.js';

/**
 * The stream module is a separate chunk, imported on the first answer that offers
 * a stream. These tests replace the import with a loader they settle by hand.
 */

beforeEach(() => FakeEventSource.reset());
afterEach(() => {
  finishAll();
  assert.equal(FakeEventSource.openInstances.length, 0, 'no stream left open');
});

const STREAM = '/api/whatsapp/session/events';
const STREAM_URL = `http://backend.test${STREAM}`;
const withStream = (status = wire.scanQr(), stream = STREAM) => ({ ...status, stream });

/** A stream-module loader whose loads stay pending until the test settles them. */
class ManualLoader {
  calls = 0;
  private readonly pending: { resolve(module: typeof streamModule): void; reject(error: unknown): void }[] = [];

  readonly load: StreamModuleLoader = () => {
    this.calls += 1;
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  };

  /** Settles the oldest pending load with the real module. */
  resolve(): void {
    const next = this.pending.shift();
    assert.ok(next, 'no pending load');
    next.resolve(streamModule);
  }

  /** Fails the oldest pending load, as a chunk that cannot be fetched. */
  reject(error: unknown): void {
    const next = this.pending.shift();
    assert.ok(next, 'no pending load');
    next.reject(error);
  }
}

function streaming(loader: ManualLoader, setup = (b: FakeBackend) => void b.answer(withStream())) {
  return harness({ stream: true, EventSource: FakeEventSource, backoff: { jitter: 'none' } }, setup, loader.load);
}

describe('client: loading the stream module', () => {
  it('is not loaded until an answer offers a stream, nor when streaming is off', async () => {
    const loader = new ManualLoader();
    const plain = streaming(loader, (b) => void b.answer(wire.scanQr()));
    plain.client.start();
    await plain.settle();
    await plain.clock.advance(8000);
    assert.equal(plain.backend.gets.length, 2);
    assert.equal(loader.calls, 0, 'no answer offered a stream');

    const off = harness({ stream: false, EventSource: FakeEventSource }, (b) => void b.answer(withStream()), loader.load);
    off.client.start();
    await off.settle();
    assert.equal(loader.calls, 0, 'stream: false');

    const noEventSource = harness({ stream: true }, (b) => void b.answer(withStream()), loader.load);
    noEventSource.client.start();
    await noEventSource.settle();
    assert.equal(typeof (globalThis as { EventSource?: unknown }).EventSource, 'undefined', 'this test needs a runtime without EventSource');
    assert.equal(loader.calls, 0, 'no EventSource');
  });

  it('polls at the normal cadence while loading, then opens the stream', async () => {
    const loader = new ManualLoader();
    const h = streaming(loader);
    h.client.start();
    await h.settle();
    assert.equal(loader.calls, 1);
    assert.equal(FakeEventSource.instances.length, 0);
    assert.equal(h.client.getSnapshot().nextPollAt, 8000);
    loader.resolve();
    await h.settle();
    assert.equal(FakeEventSource.instances.length, 1);
    assert.equal(FakeEventSource.last?.url, STREAM_URL);
    FakeEventSource.last?.open();
    assert.equal(h.client.getSnapshot().streaming, true);
    assert.equal(h.client.getSnapshot().nextPollAt, 60_000);
  });

  it('answers that arrive while loading start no second load; the latest URL is opened', async () => {
    const loader = new ManualLoader();
    const h = streaming(loader, (b) => void b.reply({ json: withStream(wire.scanQr(), '/first') }).answer(withStream(wire.scanQr(), '/second')));
    h.client.start();
    await h.settle();
    await h.clock.advance(8000);
    await h.client.refresh();
    assert.equal(h.backend.gets.length, 3);
    assert.equal(loader.calls, 1);
    loader.resolve();
    await h.settle();
    assert.deepEqual(
      FakeEventSource.instances.map((source) => source.url),
      ['http://backend.test/second'],
    );
    // Later answers reuse the loaded module.
    await h.clock.advance(8000);
    assert.equal(loader.calls, 1);
    assert.equal(FakeEventSource.instances.length, 1, 'same URL: kept open');
  });

  it('stop() while loading: nothing opens when the load lands; a restart opens without loading again', async () => {
    const loader = new ManualLoader();
    const h = streaming(loader);
    h.client.start();
    await h.settle();
    h.client.stop();
    loader.resolve();
    await h.settle();
    assert.equal(FakeEventSource.instances.length, 0);
    h.client.start();
    await h.settle();
    assert.equal(loader.calls, 1);
    assert.equal(FakeEventSource.openInstances.length, 1);
  });

  it('stop() and start() again while loading: the load that lands opens the stream once', async () => {
    const loader = new ManualLoader();
    const h = streaming(loader);
    h.client.start();
    await h.settle();
    h.client.stop();
    h.client.start();
    await h.settle();
    assert.equal(h.backend.gets.length, 2);
    assert.equal(loader.calls, 1, 'the pending load is reused');
    loader.resolve();
    await h.settle();
    assert.equal(FakeEventSource.instances.length, 1);
    assert.equal(FakeEventSource.openInstances.length, 1);
  });

  it('a load that fails after dispose() is not logged', async () => {
    const loader = new ManualLoader();
    const h = streaming(loader);
    h.client.start();
    await h.settle();
    h.client.dispose();
    loader.reject(new Error('offline'));
    await h.settle();
    assert.equal(h.logs.filter((r) => r.event === 'stream.failed').length, 0);
  });

  it('dispose() while loading: nothing opens and nothing is logged when the load lands', async () => {
    const loader = new ManualLoader();
    const h = streaming(loader);
    h.client.start();
    await h.settle();
    h.client.dispose();
    const logged = h.logs.length;
    loader.resolve();
    await h.settle();
    assert.equal(FakeEventSource.instances.length, 0);
    assert.equal(h.logs.length, logged);
  });

  it('a 401 while loading: the stream is not opened when the load lands', async () => {
    const loader = new ManualLoader();
    const h = streaming(loader, (b) => void b.reply({ json: withStream() }, { text: '', status: 401 }));
    h.client.start();
    await h.settle();
    await h.clock.advance(8000);
    assert.equal(h.client.getSnapshot().phase, 'unauthorized');
    loader.resolve();
    await h.settle();
    assert.equal(FakeEventSource.instances.length, 0);
  });

  it('the page hidden while loading: opens only once it is visible again', async () => {
    const loader = new ManualLoader();
    const h = streaming(loader);
    h.client.start();
    await h.settle();
    h.visibility.set(false);
    loader.resolve();
    await h.settle();
    assert.equal(FakeEventSource.instances.length, 0);
    h.visibility.set(true);
    await h.settle();
    assert.equal(FakeEventSource.openInstances.length, 1);
    assert.equal(FakeEventSource.last?.url, STREAM_URL);
  });

  it('a failed load names the stream still wanted, not the one that started the import', async () => {
    const loader = new ManualLoader();
    const OTHER = '/api/whatsapp/session/events?v=2';
    const h = streaming(loader, (b) => void b.reply({ json: withStream() }, { json: withStream(wire.scanQr(), OTHER) }));
    h.client.start();
    await h.settle();
    await h.clock.advance(8000);
    assert.equal(loader.calls, 1, 'the second answer joins the import under way');
    loader.reject(new TypeError('Failed to fetch dynamically imported module'));
    await h.settle();
    assert.deepEqual(
      h.logs.filter((record) => record.event === 'stream.failed').map((record) => record.url),
      [OTHER],
    );
  });

  it('a failed load is logged, polling goes on, and the next answer offering a stream loads again', async () => {
    const loader = new ManualLoader();
    const h = streaming(loader);
    h.client.start();
    await h.settle();
    loader.reject(new TypeError('Failed to fetch dynamically imported module'));
    await h.settle();
    const failure = h.logs.find((record) => record.event === 'stream.failed');
    assert.ok(failure, 'logged');
    assert.equal(failure.level, 'warn');
    assert.equal(failure.url, STREAM, 'the URL the answer advertised');
    assert.equal(failure.errorMessage, 'Failed to fetch dynamically imported module');
    const s = h.client.getSnapshot();
    assert.equal(s.streaming, false);
    assert.equal(s.phase, 'qr');
    assert.equal(s.nextPollAt, 8000);
    assert.equal(loader.calls, 1, 'no retry before the next answer');

    await h.clock.advance(8000);
    assert.equal(loader.calls, 2);
    loader.reject(new TypeError('Failed to fetch dynamically imported module'));
    await h.settle();
    const levels = h.logs.filter((record) => record.event === 'stream.failed').map((record) => record.level);
    assert.deepEqual(levels, ['warn', 'debug'], 'one warning, not one per answer');

    await h.clock.advance(8000);
    assert.equal(loader.calls, 3);
    loader.resolve();
    await h.settle();
    assert.equal(FakeEventSource.openInstances.length, 1);
  });
});
