import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { wire } from '../test-kit/index.js';
import type { FakeBackend } from '../test-kit/index.js';
import type { ActionResult } from '../src/client-types.js';
import type { SessionSnapshot } from '../src/snapshot.js';
import { finishAll, harness } from './helpers/harness.js';

afterEach(finishAll);

describe('client: actions', () => {
  for (const [method, action] of [
    ['reconnect', 'reconnect'],
    ['changeNumber', 'change_number'],
    ['logout', 'logout'],
  ] as const) {
    it(`${method}() POSTs {action: "${action}"} and its answer becomes the state`, async () => {
      const h = harness({}, (b) => b.reply({ json: wire.failed() }, { json: wire.starting() }));
      h.client.start();
      await h.settle();
      assert.equal(h.client.getSnapshot().polling, false);
      const result = await h.act(method);
      assert.ok(result.ok);
      assert.equal(result.action, action);
      assert.equal(result.session.status, 'STARTING');
      assert.deepEqual(h.backend.posts.map((p) => p.body), [{ action }]);
      const s = h.client.getSnapshot();
      assert.equal(s.phase, 'starting');
      assert.equal(s.pendingAction, null);
      assert.equal(s.polling, true, 'polling resumes after the action');
      assert.equal(s.nextPollAt, 8000);
    });
  }

  it('single-flight: two reconnect() calls while pending send one POST and share the result', async () => {
    const h = harness({}, (b) => b.answer(wire.failed()));
    h.client.start();
    await h.settle();
    h.backend.holdReplies = true;
    const a = h.act('reconnect');
    const b = h.act('reconnect');
    assert.equal(b, a, 'the same promise (README: a repeated call returns the same promise)');
    await h.settle();
    assert.equal(h.backend.posts.length, 1);
    assert.equal(h.client.getSnapshot().pendingAction, 'reconnect');
    h.backend.release({ json: wire.scanQr() });
    const [ra, rb] = await Promise.all([a, b]);
    assert.equal(ra, rb);
    assert.equal(h.backend.posts.length, 1);
  });

  it('an inspector calling the client as an action is sent sees it whole: the same action joins it, refresh() waits for it', async () => {
    let joined: Promise<ActionResult> | undefined;
    let refreshed: Promise<SessionSnapshot> | undefined;
    const h = harness(
      {
        inspect: ({ event }) => {
          if (event.type !== 'request' || event.action !== 'reconnect' || joined !== undefined) return;
          joined = h.client.reconnect();
          refreshed = h.client.refresh();
        },
      },
      (b) => b.reply({ json: wire.failed() }, { json: wire.starting() }),
    );
    h.client.start();
    await h.settle();
    const running = h.act('reconnect');
    assert.equal(joined, running, 'the same promise, not undefined');
    const result = await running;
    assert.equal((await refreshed)?.status, 'STARTING', 'refresh() waited for the action');
    assert.equal(h.backend.gets.length, 1, 'no GET during the action');
    assert.equal(h.backend.posts.length, 1);
  });

  it('an inspector calling refresh() as a poll is sent joins that GET', async () => {
    let joined: Promise<SessionSnapshot> | undefined;
    const h = harness(
      {
        inspect: ({ event }) => {
          if (event.type === 'request' && event.action === null && joined === undefined) joined = h.client.refresh();
        },
      },
      (b) => (b.holdReplies = true),
    );
    h.client.start();
    await h.settle();
    let settled = false;
    void joined!.then(() => (settled = true));
    await h.settle();
    assert.equal(settled, false, 'refresh() waits for the GET in flight');
    h.backend.release({ json: wire.starting() });
    assert.equal((await joined!).status, 'STARTING', 'and answers the state after it');
    assert.equal(h.backend.gets.length, 1, 'one GET');
  });

  it('a different action while one is pending is refused as busy, nothing sent', async () => {
    const h = harness({}, (b) => b.answer(wire.failed()));
    h.client.start();
    await h.settle();
    h.backend.holdReplies = true;
    const first = h.act('reconnect');
    const second = await h.client.logout();
    assert.equal(second.ok, false);
    assert.equal(!second.ok && second.error.code, 'busy');
    await h.settle();
    assert.equal(h.backend.posts.length, 1);
    h.backend.release({ json: wire.starting() });
    await first;
  });

  it('polling pauses during an action: the GET in flight is aborted and no GET is sent while pending', async () => {
    const h = harness({}, (b) => b.answer(wire.scanQr()));
    h.client.start();
    await h.settle();
    h.backend.holdReplies = true;
    await h.clock.advance(8000);
    assert.equal(h.backend.held, 1, 'a GET is in flight');
    const pending = h.act('changeNumber');
    await h.settle();
    assert.equal(h.backend.held, 1, 'the GET was aborted; only the POST is held');
    await h.clock.advance(14_000);
    assert.equal(h.backend.gets.length, 2, 'no GET while the action runs');
    assert.equal(h.client.getSnapshot().nextPollAt, null);
    h.backend.release({ json: wire.starting() });
    await pending;
    h.backend.holdReplies = false;
    assert.equal(h.client.getSnapshot().nextPollAt, 22_000 + 8000);
    await h.clock.advance(8000);
    assert.deepEqual(h.getTimes(), [0, 8000, 30_000]);
  });

  it('a GET answer that arrives after an action started is discarded', async () => {
    // A fetch that ignores the abort signal: the late GET answer really arrives, after the action's.
    let backend: FakeBackend | undefined;
    let releaseGet: (response: Response) => void = () => {};
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init);
      if (request.method === 'GET') return new Promise<Response>((resolve) => (releaseGet = resolve));
      assert.ok(backend);
      return backend.fetch(input, init);
    };
    const h = harness({ fetch }, (b) => b.answer(wire.scanQr()));
    backend = h.backend;
    h.client.start();
    await h.settle();
    const action = await h.act('reconnect');
    assert.ok(action.ok);
    releaseGet(new Response(JSON.stringify(wire.working()), { headers: { 'content-type': 'application/json' } }));
    await h.settle();
    assert.equal(h.client.getSnapshot().status, 'SCAN_QR', 'the action answer stays');
    assert.ok(h.logs.some((record) => record.event === 'poll.discarded'));
  });

  it('requestPairingCode sends digits only and shows the code', async () => {
    const h = harness({}, (b) => b.reply({ json: wire.scanQr() }, { json: { ...wire.scanQr(), pairingCode: 'ABCD-EFGH' } }).answer(wire.scanQr()));
    h.client.start();
    await h.settle();
    const result = await h.actPairing('+52 1 55 1234-5678');
    assert.ok(result.ok);
    assert.deepEqual(h.backend.posts[0]?.body, { action: 'request_code', phoneNumber: '5215512345678' });
    assert.equal(h.client.getSnapshot().pairingCode, 'ABCD-EFGH');
    await h.clock.advance(8000);
    assert.equal(h.client.getSnapshot().pairingCode, 'ABCD-EFGH', 'kept across polls that do not repeat it');
  });

  it('request_code answered without a pairing code resolves failed (invalid_response); the answer is still the state', async () => {
    const h = harness({}, (b) => b.answer(wire.scanQr()));
    const errors: string[] = [];
    h.client.on('error', ({ error }) => errors.push(error.code));
    h.client.start();
    await h.settle();
    const result = await h.actPairing('5215512345678');
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.code, 'invalid_response');
    assert.equal(!result.ok && result.action, 'request_code');
    const s = h.client.getSnapshot();
    assert.equal(s.phase, 'qr', 'a usable session answer: nothing failed but the code');
    assert.equal(s.pendingAction, null);
    assert.equal(s.error, null);
    assert.deepEqual(errors, [], 'no failed request to report');
  });

  it('a failed action resolves (never rejects) with the error and emits error', async () => {
    const h = harness({}, (b) => b.reply({ json: wire.failed() }, { json: { error: { code: 'bad', message: 'Not now' } }, status: 409 }));
    const errors: string[] = [];
    h.client.on('error', ({ error }) => errors.push(error.message));
    h.client.start();
    await h.settle();
    const result = await h.act('reconnect');
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.message, 'Not now');
    assert.deepEqual(errors, ['Not now']);
    const s = h.client.getSnapshot();
    assert.equal(s.phase, 'failed', 'a refusal keeps the phase');
    assert.equal(s.pendingAction, null);
  });

  it('an action that cannot reach the backend becomes unreachable and backs off', async () => {
    const h = harness({ backoff: { jitter: 'none' } }, (b) => b.reply({ json: wire.failed() }, { networkError: true }).answer(wire.starting()));
    h.client.start();
    await h.settle();
    const result = await h.act('reconnect');
    assert.equal(result.ok, false);
    assert.equal(h.client.getSnapshot().phase, 'unreachable');
    assert.equal(h.client.getSnapshot().nextPollAt, 2000);
    await h.clock.advance(2000);
    assert.equal(h.client.getSnapshot().phase, 'starting');
    assert.equal(h.backend.posts.length, 1, 'the action is never retried by itself');
  });

  it('stop() during an action aborts it', async () => {
    const h = harness();
    h.client.start();
    await h.settle();
    h.backend.holdReplies = true;
    const pending = h.act('logout');
    await h.settle();
    h.client.stop();
    const result = await pending;
    assert.equal(!result.ok && result.error.code, 'aborted');
    assert.equal(h.client.getSnapshot().pendingAction, null);
    assert.equal(h.clock.pending, 0);
  });

  it('stop() ends the pending action at once; a new action after start() is not disturbed by the old one', async () => {
    const h = harness();
    h.client.start();
    await h.settle();
    h.backend.holdReplies = true;
    const first = h.act('reconnect');
    await h.settle();
    h.client.stop();
    assert.equal(h.client.getSnapshot().pendingAction, null, 'ended synchronously');
    h.client.start();
    const second = h.act('reconnect');
    assert.notEqual(second, first, 'a fresh request, not the aborted one');
    assert.equal(h.client.getSnapshot().pendingAction, 'reconnect');
    const old = await first;
    assert.equal(!old.ok && old.error.code, 'aborted');
    assert.equal(h.client.getSnapshot().pendingAction, 'reconnect', 'the old result does not end the new action');
    await h.settle();
    h.backend.release({ json: wire.starting() });
    assert.ok((await second).ok);
    assert.equal(h.client.getSnapshot().phase, 'starting');
  });

  it('refresh() during an action waits for it and returns the state after it', async () => {
    const h = harness();
    h.client.start();
    await h.settle();
    h.backend.holdReplies = true;
    const action = h.act('reconnect');
    const refreshed = h.client.refresh();
    await h.settle();
    h.backend.release({ json: wire.starting() });
    assert.equal((await refreshed).phase, 'starting');
    await action;
    assert.equal(h.backend.gets.length, 1);
  });

  it('actions work on a client that was never started, and do not start polling', async () => {
    const h = harness({}, (b) => b.answer(wire.starting()));
    const result = await h.act('reconnect');
    assert.ok(result.ok);
    await h.clock.advance(60_000);
    assert.equal(h.backend.gets.length, 0);
    assert.equal(h.client.getSnapshot().phase, 'starting');
  });
});

describe('client: never acts by itself', () => {
  it('through FAILED, ERROR, STOPPED, flapping, expiry, failures and 401 — no POST', async () => {
    const h = harness({ backoff: { jitter: 'none' } }, (b) =>
      b.reply(
        { json: wire.scanQr() },
        { json: wire.failed() },
        { json: wire.working() },
        { json: wire.stopped() },
        { json: wire.working() },
        { json: wire.stopped() },
        { json: wire.error() },
        { networkError: true },
        { json: {}, status: 500 },
        { text: '', status: 401 },
      ),
    );
    h.client.start();
    for (let i = 0; i < 12; i += 1) {
      await h.clock.advance(60_000);
      await h.client.refresh();
    }
    assert.equal(h.backend.posts.length, 0);
  });
});
