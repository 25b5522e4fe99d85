import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { createSessionClient } from '../src/client.js';
import type { SessionClient } from '../src/client-types.js';
import type { SessionAnswerWire } from '../src/contract/types.js';
import { wire } from '../test-kit/index.js';
import { FakeClock, settle } from '../test-kit/index.js';
import { FakeVisibility } from '../test-kit/index.js';
import { sendJson, startServer, type ServerRequest, type TestServer } from './helpers/http-server.js';

/**
 * The client against a real HTTP server on 127.0.0.1: a tiny backend that
 * follows the connection flow of the spec (QR → WORKING, FAILED → reconnect).
 * Time is a fake clock; only the sockets are real.
 */
let server: TestServer;
let clock: FakeClock;
let visibility: FakeVisibility;
let client: SessionClient;
let session: SessionAnswerWire;
let actionsCalled: string[];

before(async () => {
  server = await startServer();
});
after(async () => {
  await server.close();
});

beforeEach(() => {
  server.requests.length = 0;
  clock = new FakeClock(1_700_000_000_000);
  visibility = new FakeVisibility();
  actionsCalled = [];
  session = wire.scanQr('qr-1');
  server.handle((req: ServerRequest, res) => {
    if (req.headers.authorization !== 'Bearer secret') {
      sendJson(res, { error: { code: 'unauthorized', message: 'Sign in first' } }, 401);
      return;
    }
    if (req.method === 'POST') {
      const { action } = JSON.parse(req.body) as { action: string };
      if (action === 'reconnect' || action === 'change_number') session = wire.scanQr('qr-fresh');
      if (action === 'logout') session = wire.stopped();
    }
    sendJson(res, session);
  });
  client = createSessionClient({
    endpoint: server.url,
    headers: async () => ({ Authorization: 'Bearer secret' }),
    timers: clock,
    visibility,
    random: () => 0.5,
  });
});

afterEach(async () => {
  client.dispose();
  await settle();
  assert.equal(clock.pending, 0, 'no timer left');
  const posts = server.requests.filter((r) => r.method === 'POST').map((r) => (JSON.parse(r.body) as { action: string }).action);
  assert.deepEqual(posts, actionsCalled, 'no POST without an explicit call');
});

/** Advances the fake clock to the next scheduled poll and waits for that real request. */
async function nextPoll(): Promise<number> {
  const at = client.getSnapshot().nextPollAt;
  assert.ok(at !== null, 'a poll is scheduled');
  const count = server.requests.length;
  await clock.advanceTo(at);
  await server.waitForRequests(count + 1);
  await untilSettled();
  return at - 1_700_000_000_000;
}

/** Waits (real I/O) until no poll is in flight: a schedule exists or polling stopped. */
async function untilSettled(): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    const s = client.getSnapshot();
    if (s.phase !== 'loading' && s.pendingAction === null && (s.nextPollAt !== null || !s.polling)) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  assert.fail('the client did not settle');
}

describe('client end to end (real HTTP)', () => {
  it('QR → scan → WORKING, with exact cadences and a connected event', async () => {
    const connected: string[] = [];
    client.on('connected', ({ me }) => connected.push(me?.id ?? ''));
    client.start();
    await server.waitForRequests(1);
    await untilSettled();
    assert.equal(client.getSnapshot().phase, 'qr');
    assert.equal(client.getSnapshot().qr, 'qr-1');
    assert.equal(await nextPoll(), 8000);
    session = wire.working();
    assert.equal(await nextPoll(), 16_000);
    assert.equal(client.getSnapshot().phase, 'connected');
    assert.deepEqual(connected, ['5215512345678@c.us']);
    assert.equal(await nextPoll(), 46_000);
    assert.equal(server.requests[0]?.headers.authorization, 'Bearer secret');
  });

  it('FAILED stops polling; reconnect() POSTs once and the new QR arrives', async () => {
    session = wire.failed('Session crashed');
    client.start();
    await server.waitForRequests(1);
    await untilSettled();
    assert.equal(client.getSnapshot().phase, 'failed');
    assert.equal(client.getSnapshot().error?.message, 'Session crashed');
    await clock.advance(600_000);
    assert.equal(server.requests.length, 1);
    actionsCalled.push('reconnect');
    const [a, b] = await Promise.all([client.reconnect(), client.reconnect()]);
    assert.equal(a, b);
    assert.ok(a.ok);
    assert.equal(client.getSnapshot().qr, 'qr-fresh');
    assert.equal(await nextPoll(), 608_000);
  });

  it('401 stops polling with "not authorized"', async () => {
    client.dispose();
    client = createSessionClient({ endpoint: server.url, timers: clock, visibility });
    client.start();
    await server.waitForRequests(1);
    await untilSettled();
    const s = client.getSnapshot();
    assert.equal(s.phase, 'unauthorized');
    assert.equal(s.error?.message, 'Sign in first');
    await clock.advance(600_000);
    await settle();
    assert.equal(server.requests.length, 1);
  });

  it('an unreachable server backs off and recovers on the first success', async () => {
    server.handle((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad gateway</html>');
    });
    client.start();
    await server.waitForRequests(1);
    await untilSettled();
    assert.equal(client.getSnapshot().phase, 'unreachable');
    assert.equal(await nextPoll(), 1000); // failure 1: 2000 · 0.5
    assert.equal(await nextPoll(), 3000); // failure 2: 4000 · 0.5
    server.handle((_req, res) => sendJson(res, wire.working()));
    assert.equal(await nextPoll(), 7000); // failure 3: 8000 · 0.5
    assert.equal(client.getSnapshot().phase, 'connected');
    assert.equal(client.getSnapshot().consecutiveFailures, 0);
    assert.equal(await nextPoll(), 37_000);
  });

  it('hidden page: no requests; shown: refresh at once', async () => {
    client.start();
    await server.waitForRequests(1);
    await untilSettled();
    visibility.set(false);
    await clock.advance(300_000);
    await settle();
    assert.equal(server.requests.length, 1);
    visibility.set(true);
    await server.waitForRequests(2);
    await untilSettled();
    assert.equal(client.getSnapshot().nextPollAt, 1_700_000_000_000 + 300_000 + 8000);
  });

  it('stop() aborts a request the server never answers', async () => {
    server.handle(() => {});
    client.start();
    await server.waitForRequests(1);
    client.stop();
    await settle();
    assert.equal(clock.pending, 0);
    assert.equal(client.getSnapshot().phase, 'idle');
  });
});
