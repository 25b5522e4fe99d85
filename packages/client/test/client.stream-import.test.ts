import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { wire } from '../test-kit/index.js';
import { FakeEventSource } from '../test-kit/index.js';
import { finishAll, harness } from './helpers/harness.js';

/**
 * The real `import('./stream.js')` of createSessionClient (the other stream tests
 * inject the module). When the import lands is up to the module loader, so this
 * waits for it turn by turn; the fake clock does not move meanwhile.
 */

beforeEach(() => FakeEventSource.reset());
afterEach(() => {
  finishAll();
  assert.equal(FakeEventSource.openInstances.length, 0, 'no stream left open');
});

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 5000;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

describe('client: the stream module is imported on demand', () => {
  it('imports it on an answer offering a stream, opens the stream and applies its messages', async () => {
    const h = harness({ stream: true, EventSource: FakeEventSource }, (b) =>
      b.answer({ ...wire.scanQr(), stream: '/api/whatsapp/session/events' }),
    );
    h.client.start();
    await until(() => FakeEventSource.instances.length > 0, 'the stream');
    assert.equal(FakeEventSource.last?.url, 'http://backend.test/api/whatsapp/session/events');
    assert.equal(h.clock.now(), 0, 'no fake time passed');
    FakeEventSource.last?.open();
    FakeEventSource.last?.message(wire.working());
    assert.equal(h.client.getSnapshot().phase, 'connected');
    assert.equal(h.client.getSnapshot().streaming, true);
    assert.equal(h.backend.gets.length, 1);
  });
});
