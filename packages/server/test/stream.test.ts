import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import FakeTimers from '@sinonjs/fake-timers';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import type { Clock } from '../src/index.js';
import { ENDPOINT, harness, json, type Harness } from './helpers.js';
import { SseReader } from './sse.js';

let h: Harness;
const readers: SseReader[] = [];
afterEach(async () => {
  for (const reader of readers.splice(0)) await reader.cancel();
  await h.close();
});

/** The handler's own fake clock (heartbeats), separate from the simulator's. */
function handlerClock() {
  const fake = FakeTimers.createClock(0);
  const clock: Clock = { now: () => fake.now, setTimeout: (f, ms) => fake.setTimeout(f, ms), clearTimeout: (t) => fake.clearTimeout(t as never) };
  return { fake, clock };
}

async function open(org: string, signal?: AbortSignal): Promise<{ response: Response; reader: SseReader }> {
  const response = await h.handler(new Request(`${ENDPOINT}/stream`, { headers: { 'x-org': org }, ...(signal ? { signal } : {}) }));
  assert.equal(response.status, 200, response.status === 200 ? '' : await response.clone().text());
  const reader = new SseReader(response.body);
  readers.push(reader);
  return { response, reader };
}

describe('SSE stream', () => {
  it('is advertised in session answers as stream', async () => {
    h = await harness({ handler: { stream: true } });
    const answer = await json<SessionAnswerWire>(await h.get('1'));
    assert.equal(answer.stream, '/api/whatsapp/session/stream');
  });

  it('honours a configured stream URL', async () => {
    h = await harness({ handler: { stream: { url: 'https://erp.example/wa/stream' } } });
    assert.equal((await json<SessionAnswerWire>(await h.get('1'))).stream, 'https://erp.example/wa/stream');
  });

  it('is not advertised when off', async () => {
    h = await harness();
    assert.equal((await json<SessionAnswerWire>(await h.get('1'))).stream, undefined);
  });

  it('sends the current answer on connect, then each change, without repeats', async () => {
    const { clock } = handlerClock();
    h = await harness({ handler: { stream: true, clock } });
    const { response, reader } = await open('1');
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(response.headers.get('cache-control'), 'no-store, no-transform');
    assert.deepEqual(await reader.next(), { retry: 5000 });
    const initial = await reader.nextData<SessionAnswerWire>();
    assert.equal(initial.status, 'STARTING');
    assert.equal(initial.sessionName, 'eagles_1');
    assert.equal(initial.stream, undefined, 'the browser keeps the stream URL it opened');

    await h.get('1'); // nothing changed: nothing sent
    assert.equal(await reader.hasPending(), false);

    h.fake.tick(2000);
    const polled = await json<SessionAnswerWire>(await h.get('1'));
    const pushed = await reader.nextData<SessionAnswerWire>();
    assert.equal(pushed.status, 'SCAN_QR');
    // Pushed answers are the organization's state; the stream URL belongs to each request.
    const { stream: advertised, ...state } = polled;
    assert.equal(advertised, '/api/whatsapp/session/stream');
    assert.deepEqual(pushed, state);

    h.fake.tick(2000);
    h.sim.scan('eagles_1', { phone: '5215512345678' });
    await h.post('1', { action: 'logout' });
    const afterAction = await reader.nextData<SessionAnswerWire>();
    assert.equal(afterAction.connected, false);
  });

  it('sends a comment heartbeat every 15 s, to the millisecond', async () => {
    const { fake, clock } = handlerClock();
    h = await harness({ handler: { stream: true, clock } });
    const { reader } = await open('1');
    await reader.next();
    await reader.nextData();
    fake.tick(14_999);
    assert.equal(await reader.hasPending(), false);
    fake.tick(1);
    assert.deepEqual(await reader.next(), { comment: 'heartbeat' });
    fake.tick(15_000);
    assert.deepEqual(await reader.next(), { comment: 'heartbeat' });
  });

  it('re-reads WAHA every 5 s while a stream is open (no webhooks): one read per organization, not per stream', async () => {
    const { fake, clock } = handlerClock();
    h = await harness({ handler: { stream: true, clock } });
    const first = await open('1');
    const second = await open('1');
    for (const { reader } of [first, second]) {
      await reader.next();
      assert.equal((await reader.nextData<SessionAnswerWire>()).status, 'STARTING');
    }
    h.fake.tick(2000); // WAHA moves to SCAN_QR_CODE; nobody polls
    h.sim.clearRequestLog();
    fake.tick(4999);
    assert.equal(await first.reader.hasPending(), false);
    fake.tick(1);
    for (const { reader } of [first, second]) assert.equal((await reader.nextData<SessionAnswerWire>()).status, 'SCAN_QR');
    assert.deepEqual(h.calls(), ['GET /api/sessions/eagles_1', 'GET /api/eagles_1/auth/qr']);
  });

  it('advertises each organization its own stream URL, and never one in answers pushed without a request', async () => {
    // Hosts that put the organization in the path: an answer pushed to org 1 must never
    // carry the stream URL of whoever called last (that would move org 1 onto org 2's stream).
    const { fake, clock } = handlerClock();
    h = await harness({ handler: { stream: true, clock, basePath: (org) => `/orgs/${org}/whatsapp/session` } });
    const at = (org: string, suffix = '') =>
      new Request(`http://app.test/orgs/${org}/whatsapp/session${suffix}`, { headers: { 'x-org': org } });
    const response = await h.handler(at('1', '/stream'));
    const reader = new SseReader(response.body);
    readers.push(reader);
    await reader.next();
    assert.equal((await reader.nextData<SessionAnswerWire>()).stream, undefined);
    assert.equal((await json<SessionAnswerWire>(await h.handler(at('1')))).stream, '/orgs/1/whatsapp/session/stream');
    const other = await json<SessionAnswerWire>(await h.handler(at('2')));
    assert.equal(other.stream, '/orgs/2/whatsapp/session/stream');
    h.fake.tick(2000); // org 1's session moves to SCAN_QR_CODE; the refresher pushes it
    fake.tick(5000);
    const pushed = await reader.nextData<SessionAnswerWire>();
    assert.equal(pushed.status, 'SCAN_QR');
    assert.equal(pushed.stream, undefined, 'the bus carries state, not a request\'s URL');
  });

  it('stops refreshing when the last stream of the organization closes; refreshMs 0 turns it off', async () => {
    const { fake, clock } = handlerClock();
    h = await harness({ handler: { stream: { refreshMs: 0 }, clock } });
    const { reader } = await open('1');
    await reader.next();
    await reader.nextData();
    assert.equal(fake.countTimers(), 1); // the heartbeat only
    await h.close();
    const withRefresh = handlerClock();
    h = await harness({ handler: { stream: true, clock: withRefresh.clock } });
    const a = await open('1');
    const b = await open('1');
    assert.equal(withRefresh.fake.countTimers(), 3); // two heartbeats, one refresher
    await a.reader.cancel();
    assert.equal(withRefresh.fake.countTimers(), 2);
    await b.reader.cancel();
    assert.equal(withRefresh.fake.countTimers(), 0);
  });

  it('keeps organizations apart', async () => {
    const { clock } = handlerClock();
    h = await harness({ handler: { stream: true, clock } });
    const a = await open('A');
    const b = await open('B');
    await a.reader.next();
    assert.equal((await a.reader.nextData<SessionAnswerWire>()).sessionName, 'eagles_A');
    await b.reader.next();
    assert.equal((await b.reader.nextData<SessionAnswerWire>()).sessionName, 'eagles_B');
    h.fake.tick(2000);
    await h.get('A');
    assert.equal((await a.reader.nextData<SessionAnswerWire>()).status, 'SCAN_QR');
    assert.equal(await b.reader.hasPending(), false);
  });

  it('cleans up on client abort: listener and heartbeat timer released', async () => {
    const { fake, clock } = handlerClock();
    h = await harness({ handler: { stream: true, clock } });
    const controller = new AbortController();
    const { reader } = await open('1', controller.signal);
    await reader.next();
    await reader.nextData();
    assert.equal(h.handler.openStreams(), 1);
    assert.equal(fake.countTimers(), 2); // heartbeat + the organization's refresher
    controller.abort();
    assert.equal(h.handler.openStreams(), 0);
    assert.equal(fake.countTimers(), 0);
    assert.equal(await reader.next(), null);
  });

  it('cleans up when the consumer cancels the body', async () => {
    const { fake, clock } = handlerClock();
    h = await harness({ handler: { stream: true, clock } });
    const { reader } = await open('1');
    await reader.cancel();
    assert.equal(h.handler.openStreams(), 0);
    assert.equal(fake.countTimers(), 0);
  });

  it('close() ends every stream', async () => {
    const { fake, clock } = handlerClock();
    h = await harness({ handler: { stream: true, clock } });
    const { reader } = await open('1');
    await reader.next();
    await reader.nextData();
    h.handler.close();
    assert.equal(await reader.next(), null);
    assert.equal(fake.countTimers(), 0);
  });

  it('refuses unauthenticated callers with 401 JSON, and other methods with 405', async () => {
    h = await harness({ handler: { stream: true } });
    const anonymous = await h.handler(new Request(`${ENDPOINT}/stream`));
    assert.equal(anonymous.status, 401);
    assert.equal((await json<{ error: { code: string } }>(anonymous)).error.code, 'unauthorized');
    const post = await h.handler(new Request(`${ENDPOINT}/stream`, { method: 'POST', headers: { 'x-org': '1' } }));
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET');
    assert.equal(h.handler.openStreams(), 0);
  });

  it('answers 502 JSON instead of opening a stream when WAHA fails', async () => {
    h = await harness({ handler: { stream: true } });
    h.sim.setErrorRate(1);
    const response = await h.handler(new Request(`${ENDPOINT}/stream`, { headers: { 'x-org': '1' } }));
    assert.equal(response.status, 502);
    assert.equal(h.handler.openStreams(), 0);
  });
});
