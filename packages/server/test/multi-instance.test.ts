// Several server instances (handlers) over one store, one bus and one lock — the
// in-memory defaults shared, as a PostgreSQL store, bus and lock would be shared.
// Everything an instance needs about an organization must come from the store.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import FakeTimers from '@sinonjs/fake-timers';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { createMemoryBus, createMemoryLock, QR_EXPIRED_MESSAGE, type Clock } from '../src/index.js';
import { ENDPOINT, harness, json, mutatingCalls, type Harness } from './helpers.js';
import { SseReader } from './sse.js';
import { event, hook, TOKEN } from './webhook-helpers.js';

let h: Harness;
const readers: SseReader[] = [];
afterEach(async () => {
  for (const reader of readers.splice(0)) await reader.cancel();
  await h.close();
});

async function answer(response: Response): Promise<SessionAnswerWire> {
  assert.equal(response.status, 200, await response.clone().text());
  return json<SessionAnswerWire>(response);
}

describe('after a restart (a fresh process on the same store)', () => {
  it('a FAILED that followed an unscanned QR still reads as an expired code', async () => {
    h = await harness({ sim: { timings: { startingMs: 10, firstQrMs: 100, nextQrMs: 100, maxQrs: 1 } } });
    await h.get('5');
    h.fake.tick(10);
    assert.equal((await answer(await h.get('5'))).status, 'SCAN_QR');
    h.fake.tick(100); // nobody scanned: WAHA gives up
    const restarted = h.instance();
    const failed = await answer(await restarted.get('5'));
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.reason, 'qr_expired');
    assert.equal(failed.error, QR_EXPIRED_MESSAGE);
  });

  it('a linked session that stopped still reads as linked', async () => {
    h = await harness();
    await h.get('4');
    h.fake.tick(2000);
    h.sim.scan('eagles_4', { phone: '5215512345678' });
    assert.equal((await answer(await h.get('4'))).connected, true);
    h.sim.stopSession('eagles_4');
    const stopped = await answer(await h.instance().get('4'));
    assert.equal(stopped.status, 'STOPPED');
    assert.equal(stopped.connected, true);
  });

  it('routes a webhook of a legacy session name through the store (no metadata, no canonical name)', async () => {
    h = await harness({ handler: { webhook: { token: TOKEN } } });
    await h.store.set('7', { sessionName: 'legacy_seven', connected: false });
    h.sim.createSession('legacy_seven');
    await answer(await h.get('7'));
    const restarted = h.instance();
    const response = await restarted.handler(hook(event('legacy_seven', 'FAILED')));
    assert.deepEqual(await json(response), { ok: true, ignored: false });
  });
});

describe('two instances', () => {
  it('report each transition once: the instance whose update changed the stored status', async () => {
    h = await harness();
    const other = h.instance();
    await h.get('1');
    h.fake.tick(2000);
    h.sim.scan('eagles_1', { phone: '5215512345678' });
    await Promise.all([h.get('1'), other.get('1'), h.get('1'), other.get('1')]);
    const all = [...h.transitions, ...other.transitions].map((t) => `${t.from}→${t.to}`);
    assert.deepEqual(all, ['null→STARTING', 'STARTING→WORKING']);
  });

  it('a webhook received by one instance reaches a stream open on the other', async () => {
    h = await harness();
    const bus = createMemoryBus();
    const receiver = h.instance({ bus, webhook: { token: TOKEN } });
    const streamer = h.instance({ bus, stream: true });
    await answer(await receiver.get('1'));
    const response = await streamer.handler(new Request(`${ENDPOINT}/stream`, { headers: { 'x-org': '1' } }));
    const reader = new SseReader(response.body);
    readers.push(reader);
    await reader.next();
    assert.equal((await reader.nextData<SessionAnswerWire>()).status, 'STARTING');
    h.fake.tick(2000);
    assert.equal((await receiver.handler(hook(event('eagles_1', 'SCAN_QR_CODE')))).status, 200);
    const pushed = await reader.nextData<SessionAnswerWire>();
    assert.equal(pushed.status, 'SCAN_QR');
    assert.equal(pushed.qr, h.sim.getSession('eagles_1')?.qr);
  });

  it('wait for each other’s action on one organization, and answer 409 busy when it outlasts the wait', async () => {
    const fake = FakeTimers.createClock(0);
    const clock: Clock = { now: () => fake.now, setTimeout: (f, ms) => fake.setTimeout(f, ms), clearTimeout: (t) => fake.clearTimeout(t as never) };
    const lock = createMemoryLock({ clock });
    h = await harness({ handler: { lock, clock } });
    let release!: () => void;
    // Another instance holds organization 1's lock (its change_number is still running).
    void lock.run('1', () => new Promise<void>((resolve) => (release = resolve)), { waitMs: 0 });
    const waiting = h.post('1', { action: 'change_number' });
    await new Promise((resolve) => setImmediate(resolve));
    fake.tick(9_999);
    const second = h.post('1', { action: 'logout' });
    await new Promise((resolve) => setImmediate(resolve));
    fake.tick(1);
    const busy = await waiting;
    assert.equal(busy.status, 409);
    assert.equal((await json<{ error: { code: string } }>(busy)).error.code, 'busy');
    assert.deepEqual(h.calls(), [], 'nothing sent to WAHA');
    release();
    assert.equal((await second).status, 200, 'the next one runs once the lock is free');
  });
});

describe('one instance', () => {
  it('30 parallel change_number of one organization make one logout + delete + create', async () => {
    h = await harness();
    await h.get('1');
    h.fake.tick(2000);
    h.sim.scan('eagles_1', { phone: '5215512345678' });
    h.sim.clearRequestLog();
    const responses = await Promise.all(Array.from({ length: 30 }, () => h.post('1', { action: 'change_number' })));
    assert.deepEqual([...new Set(responses.map((r) => r.status))], [200]);
    assert.deepEqual(mutatingCalls(h.calls()), ['POST /api/sessions/eagles_1/logout', 'DELETE /api/sessions/eagles_1', 'POST /api/sessions']);
  });
});
