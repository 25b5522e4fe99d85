import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import FakeTimers from '@sinonjs/fake-timers';
import { createMemoryStore, ORG_METADATA_KEY, type Clock, type SessionStore } from '../src/index.js';
import { ENDPOINT, harness, json, type Harness } from './helpers.js';
import { SseReader } from './sse.js';
import { event, hook, TOKEN } from './webhook-helpers.js';

let h: Harness;
const readers: SseReader[] = [];
afterEach(async () => {
  for (const reader of readers.splice(0)) await reader.cancel();
  await h.close();
});

/** A memory store that stops answering (every call hangs) while `hanging` is on. */
function hangableStore() {
  const inner = createMemoryStore();
  const state = { hanging: false };
  const gate = <T>(work: () => Promise<T>): Promise<T> => (state.hanging ? new Promise<T>(() => {}) : work());
  const store: SessionStore = {
    get: (orgId) => gate(() => inner.get(orgId)),
    set: (orgId, record) => gate(() => inner.set(orgId, record)),
    update: (orgId, change) => gate(() => inner.update(orgId, change)),
    findOrganization: (name, url) => gate(() => inner.findOrganization(name, url)),
  };
  return { store, state };
}

async function code(response: Response): Promise<string> {
  return ((await json(response)).error as { code: string }).code;
}

describe('a hanging store, on every path', () => {
  it('answers 503 store_error within storeTimeoutMs for the session, an action, the stream and the webhook; a refresh fails quietly', async () => {
    const fake = FakeTimers.createClock(0);
    const clock: Clock = { now: () => fake.now, setTimeout: (f, ms) => fake.setTimeout(f, ms), clearTimeout: (t) => fake.clearTimeout(t as never) };
    const { store, state } = hangableStore();
    h = await harness({ handler: { clock, store, storeTimeoutMs: 1_000, stream: { refreshMs: 5_000 }, webhook: { token: TOKEN } } });
    // A stream opened while the store still answers, to see its refresh meet the hang.
    const open = await h.handler(new Request(`${ENDPOINT}/stream`, { headers: { 'x-org': '1' } }));
    assert.equal(open.status, 200);
    const reader = new SseReader(open.body);
    readers.push(reader);
    await reader.nextData();

    state.hanging = true;
    // The open stream's refresh meets the hang first: logged, the stream stays open.
    await fake.tickAsync(5_000 + 1_000);
    assert.ok(h.logs.some((record) => record.event === 'stream.refresh_failed'));
    assert.equal(h.handler.openStreams(), 1);

    // One organization each: requests of one organization queue behind each other, each bounded in turn.
    const requests = {
      get: h.get('2'),
      post: h.post('3', { action: 'reconnect' }),
      stream: h.handler(new Request(`${ENDPOINT}/stream`, { headers: { 'x-org': '4' } })),
      webhookByMetadata: h.handler(hook(event('eagles_5', 'WORKING', { metadata: { [ORG_METADATA_KEY]: '5' } }))),
      webhookByName: h.handler(hook(event('eagles_6', 'WORKING'))),
    };
    await fake.tickAsync(999);
    let settled = 0;
    for (const request of Object.values(requests)) void request.then(() => settled++);
    await fake.tickAsync(0);
    assert.equal(settled, 0, 'every path still waits at 999 ms');
    await fake.tickAsync(1);
    for (const [name, request] of Object.entries(requests)) {
      const response = await request;
      assert.equal(response.status, 503, name);
      assert.equal(await code(response), 'store_error', name);
    }
  });
});
