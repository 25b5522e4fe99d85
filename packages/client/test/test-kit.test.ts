import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeBackend, FakeClock, wire } from '../test-kit/index.js';

const post = (backend: FakeBackend, body: unknown) =>
  backend.fetch('http://b.test/s', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

describe('test kit: FakeClock', () => {
  it('fires due timers in order, ties in scheduling order, each at its exact millisecond', async () => {
    const clock = new FakeClock(100);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 50);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 50);
    const cleared = clock.setTimeout(() => fired.push('never'), 30);
    clock.clearTimeout(cleared);
    assert.deepEqual(clock.delays, [20, 50, 50]);
    await clock.advance(49);
    assert.deepEqual(fired, ['a@120']);
    await clock.advanceTo(150);
    assert.deepEqual(fired, ['a@120', 'b@150', 'c@150']);
    assert.equal(clock.pending, 0);
  });
});

describe('test kit: FakeBackend', () => {
  it('queued replies first (GET or POST), then the session for GETs and onPost for POSTs; every request recorded', async () => {
    const clock = new FakeClock(5);
    const backend = new FakeBackend({ session: wire.scanQr(), clock }).reply({ json: wire.failed() });
    assert.equal((await (await backend.fetch('http://b.test/s')).json()).status, 'FAILED');
    assert.equal((await (await backend.fetch('http://b.test/s')).json()).status, 'SCAN_QR_CODE');
    assert.equal((await (await post(backend, { action: 'logout' })).json()).status, 'SCAN_QR_CODE', 'a POST answers the session by default');
    backend.onPost = FakeBackend.plausible(backend);
    assert.equal((await (await post(backend, { action: 'logout' })).json()).status, 'STOPPED');
    assert.equal(backend.session.status, 'STOPPED', 'the plausible backend moved the session');
    assert.deepEqual(backend.requests.map((r) => [r.method, r.at]), [['GET', 5], ['GET', 5], ['POST', 5], ['POST', 5]]);
    assert.deepEqual(backend.posts.map((r) => r.body), [{ action: 'logout' }, { action: 'logout' }]);
    assert.throws(() => backend.assertPosts(1), /expected 1 POST/);
  });

  it('holds POSTs (or every reply) until released; an aborted held request leaves the queue', async () => {
    const backend = new FakeBackend();
    backend.holdPosts = true;
    const answered = post(backend, { action: 'reconnect' });
    const get = await backend.fetch('http://b.test/s');
    assert.equal(get.status, 200, 'GETs are not held');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(backend.held, 1);
    backend.releasePosts();
    assert.equal((await answered).status, 200);
    backend.holdReplies = true;
    const controller = new AbortController();
    const aborted = backend.fetch('http://b.test/s', { signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await assert.rejects(aborted);
    assert.equal(backend.held, 0);
    const released = backend.fetch('http://b.test/s');
    await new Promise((resolve) => setImmediate(resolve));
    backend.release({ text: 'nope', status: 503 });
    assert.equal((await released).status, 503);
  });
});
