import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { createMemoryStore, ORG_METADATA_KEY } from '../src/index.js';
import { hmacSha512Hex } from '../src/hmac.js';
import { ENDPOINT, harness, json, mutatingCalls, type Harness } from './helpers.js';
import { event, hook, TOKEN } from './webhook-helpers.js';
import { SseReader } from './sse.js';

let h: Harness;
const readers: SseReader[] = [];
afterEach(async () => {
  for (const reader of readers.splice(0)) await reader.cancel();
  await h.close();
});

describe('webhook endpoint', () => {
  it('requires the token (header or query)', async () => {
    h = await harness({ handler: { webhook: { token: TOKEN } } });
    const body = event('someone_else', 'STARTING');
    assert.equal((await h.handler(hook(body, { token: null }))).status, 401);
    assert.equal((await h.handler(hook(body, { token: 'hook-secret-5f1f' }))).status, 401);
    assert.equal((await h.handler(hook(body, { token: '' }))).status, 401);
    assert.equal((await h.handler(hook(body))).status, 202); // unknown session: acknowledged, ignored
    assert.equal((await h.handler(hook(body, { token: null, query: `?token=${TOKEN}` }))).status, 202);
  });

  it('checks the HMAC-SHA512 signature of the body when hmacKey is set', async () => {
    const key = 'hmac-key-9';
    h = await harness({ handler: { webhook: { hmacKey: key } } });
    const body = JSON.stringify(event('someone_else', 'STARTING'));
    const signed = (signature: string | null, text = body) =>
      new Request(`${ENDPOINT}/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-webhook-hmac': signature }) },
        body: text,
      });
    const good = createHmac('sha512', key).update(body).digest('hex');
    assert.equal(await hmacSha512Hex(key, body), good);
    assert.equal((await h.handler(signed(good))).status, 202);
    assert.equal((await h.handler(signed(null))).status, 401);
    assert.equal((await h.handler(signed(good, body.replace('STARTING', 'WORKING')))).status, 401);
    assert.equal((await h.handler(signed(createHmac('sha512', 'other').update(body).digest('hex')))).status, 401);
  });

  it('is off without a token or an HMAC key', async () => {
    h = await harness({ handler: { webhook: {} } });
    assert.equal((await h.handler(hook(event('eagles_1', 'STARTING')))).status, 404);
  });

  it('refuses other methods, content types and non-JSON', async () => {
    h = await harness({ handler: { webhook: { token: TOKEN } } });
    const get = await h.handler(new Request(`${ENDPOINT}/webhook`, { headers: { 'x-webhook-token': TOKEN } }));
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    assert.equal((await h.handler(hook('{}', { contentType: 'text/plain' }))).status, 415);
    assert.equal((await h.handler(hook('{nope'))).status, 400);
  });

  it('acknowledges and ignores other events', async () => {
    h = await harness({ handler: { webhook: { token: TOKEN } } });
    const response = await h.handler(hook({ event: 'message', session: 'eagles_1', payload: {} }));
    assert.equal(response.status, 202);
    assert.deepEqual(await json(response), { ok: true, ignored: true });
  });

  it('applies status events: persists connected, reports transitions, updates the stream, never creates or restarts', async () => {
    h = await harness({ handler: { webhook: { token: TOKEN }, stream: true } });
    await h.get('1');
    const response = await h.handler(new Request(`${ENDPOINT}/stream`, { headers: { 'x-org': '1' } }));
    const reader = new SseReader(response.body);
    readers.push(reader);
    await reader.next();
    assert.equal((await reader.nextData<SessionAnswerWire>()).status, 'STARTING');
    h.sim.clearRequestLog();

    h.fake.tick(2000);
    assert.equal((await h.handler(hook(event('eagles_1', 'SCAN_QR_CODE')))).status, 200);
    const scanning = await reader.nextData<SessionAnswerWire>();
    assert.equal(scanning.status, 'SCAN_QR');
    assert.equal(scanning.qr, h.sim.getSession('eagles_1')?.qr);

    h.sim.scan('eagles_1', { phone: '5215512345678', pushName: 'Ana' });
    const me = { id: '5215512345678@c.us', pushName: 'Ana' };
    assert.equal((await h.handler(hook(event('eagles_1', 'WORKING', { me })))).status, 200);
    const working = await reader.nextData<SessionAnswerWire>();
    assert.equal(working.status, 'WORKING');
    assert.deepEqual(working.me, { ...me, phone: '5215512345678' });
    assert.equal(h.store.entries().get('1')?.connected, true);

    assert.deepEqual(mutatingCalls(h.calls()), []);
    // Each event changed the status: confirmed with one read of the session (me came with it).
    assert.deepEqual(h.calls(), ['GET /api/sessions/eagles_1', 'GET /api/eagles_1/auth/qr', 'GET /api/sessions/eagles_1']);
    assert.deepEqual(
      h.transitions.map((t) => t.to),
      ['STARTING', 'SCAN_QR', 'WORKING'],
    );
  });

  it('finds the organization from the session metadata', async () => {
    h = await harness({
      handler: { webhook: { token: TOKEN } },
      store: createMemoryStore({ '7': { sessionName: 'legacy_seven', connected: false } }),
    });
    h.sim.createSession('legacy_seven');
    h.sim.fail('legacy_seven');
    const response = await h.handler(hook(event('legacy_seven', 'FAILED', { metadata: { [ORG_METADATA_KEY]: '7' } })));
    assert.equal(response.status, 200);
    assert.deepEqual(await json(response), { ok: true, ignored: false });
    assert.equal(h.transitions[0]?.orgId, '7');
  });

  it('a STOPPED event for a linked session keeps it connected; FAILED ends it', async () => {
    h = await harness({
      handler: { webhook: { token: TOKEN } },
      store: createMemoryStore({ '7': { sessionName: 'eagles_7', connected: true } }),
    });
    h.sim.createSession('eagles_7');
    h.sim.stopSession('eagles_7');
    await h.handler(hook(event('eagles_7', 'STOPPED')));
    assert.equal(h.store.entries().get('7')?.connected, true);
    h.sim.fail('eagles_7');
    await h.handler(hook(event('eagles_7', 'FAILED')));
    assert.equal(h.store.entries().get('7')?.connected, false);
    h.sim.stopSession('eagles_7');
    await h.handler(hook(event('eagles_7', 'STOPPED')));
    assert.equal(h.store.entries().get('7')?.connected, false, 'not linked again by a STOPPED');
  });

  it('finds the organization from a canonical name, but only for organizations it manages', async () => {
    h = await harness({
      handler: { webhook: { token: TOKEN } },
      store: createMemoryStore({ '7': { sessionName: 'eagles_7', connected: true } }),
    });
    h.sim.createSession('eagles_7');
    h.sim.fail('eagles_7');
    assert.deepEqual(await json(await h.handler(hook(event('eagles_7', 'FAILED')))), { ok: true, ignored: false });
    assert.equal(h.store.entries().get('7')?.connected, false);
    assert.deepEqual(await json(await h.handler(hook(event('eagles_8', 'STOPPED')))), { ok: true, ignored: true });
    assert.equal(h.store.entries().has('8'), false);
  });

  it('ignores an event whose session is not the organization’s current one', async () => {
    h = await harness({
      handler: { webhook: { token: TOKEN } },
      store: createMemoryStore({ '7': { sessionName: 'eagles_7', connected: true } }),
    });
    const response = await h.handler(hook(event('old_name', 'FAILED', { metadata: { [ORG_METADATA_KEY]: '7' } })));
    assert.deepEqual(await json(response), { ok: true, ignored: true });
    assert.equal(h.store.entries().get('7')?.connected, true);
  });
});

describe('webhook delivery: late, twice, out of order (WAHA retries every 2 s without waiting)', () => {
  const me = { id: '5215512345678@c.us', pushName: 'Ana' };

  /** Organization 1 linked (WORKING), learned from a GET; a stream open when asked. */
  async function linked(): Promise<void> {
    h = await harness({ handler: { webhook: { token: TOKEN }, stream: true } });
    await h.get('1');
    h.fake.tick(2000);
    h.sim.scan('eagles_1', { phone: '5215512345678', pushName: 'Ana' });
    assert.equal((await json<SessionAnswerWire>(await h.get('1'))).status, 'WORKING');
  }

  async function stream(): Promise<SseReader> {
    const response = await h.handler(new Request(`${ENDPOINT}/stream`, { headers: { 'x-org': '1' } }));
    const reader = new SseReader(response.body);
    readers.push(reader);
    await reader.next();
    assert.equal((await reader.nextData<SessionAnswerWire>()).status, 'WORKING');
    return reader;
  }

  it('a late STARTING after WORKING: confirmed with one GET, no transition, nothing on the stream, no alert', async () => {
    await linked();
    const reader = await stream();
    const before = h.transitions.length;
    h.sim.clearRequestLog();
    const response = await h.handler(hook(event('eagles_1', 'STARTING')));
    assert.equal(response.status, 200);
    assert.deepEqual(h.calls(), ['GET /api/sessions/eagles_1'], 'one read of WAHA decides');
    assert.equal(h.transitions.length, before, 'no onTransition');
    assert.equal(await reader.hasPending(), false, 'no "disconnected" pushed');
    assert.equal(h.store.entries().get('1')?.status, 'WORKING');
    assert.equal(h.store.entries().get('1')?.connected, true);
  });

  it('a repeated delivery (same id) is applied once', async () => {
    await linked();
    h.sim.stopSession('eagles_1');
    const stopped = event('eagles_1', 'STOPPED');
    h.sim.clearRequestLog();
    assert.deepEqual(await json(await h.handler(hook(stopped))), { ok: true, ignored: false });
    assert.deepEqual(await json(await h.handler(hook(stopped))), { ok: true, ignored: true });
    assert.deepEqual(h.calls(), ['GET /api/sessions/eagles_1'], 'the repeat costs no WAHA call');
    assert.deepEqual(
      h.transitions.map((t) => `${t.from}→${t.to}`),
      ['null→STARTING', 'STARTING→WORKING', 'WORKING→STOPPED'],
    );
  });

  it('an event older than the newest applied one never rolls the state back (and costs no WAHA call)', async () => {
    await linked();
    const older = event('eagles_1', 'SCAN_QR_CODE');
    const newer = event('eagles_1', 'WORKING', { me });
    assert.deepEqual(await json(await h.handler(hook(newer))), { ok: true, ignored: false });
    h.sim.clearRequestLog();
    assert.deepEqual(await json(await h.handler(hook(older))), { ok: true, ignored: true });
    assert.deepEqual(h.calls(), []);
    assert.equal(h.store.entries().get('1')?.status, 'WORKING');
    assert.equal(h.store.entries().get('1')?.eventId, newer.id);
  });

  it('an event stamped far in the future (a WAHA clock set wrong, then corrected) does not make every later event stale', async () => {
    await linked();
    const future = event('eagles_1', 'WORKING', { me, timestamp: h.fake.now + 10 * 365 * 24 * 3600_000 });
    assert.equal((await h.handler(hook(future))).status, 200);
    assert.notEqual(h.store.entries().get('1')?.eventAt, future.timestamp, 'not remembered as the newest');
    assert.ok(h.logs.some((record) => record.event === 'webhook.future_timestamp'));
    // WAHA's clock is right again: its next event is applied.
    h.sim.stopSession('eagles_1');
    assert.deepEqual(await json(await h.handler(hook(event('eagles_1', 'STOPPED', { timestamp: h.fake.now })))), { ok: true, ignored: false });
    assert.equal(h.store.entries().get('1')?.status, 'STOPPED');
  });

  it('an event that agrees with the record is applied as it is: WEBJS\'s second WORKING brings me to the stream', async () => {
    await linked();
    const reader = await stream();
    h.sim.clearRequestLog();
    const other = { id: '5215599999999@c.us', pushName: 'Ana (new name)' };
    assert.equal((await h.handler(hook(event('eagles_1', 'WORKING', { me: other })))).status, 200);
    assert.deepEqual(h.calls(), [], 'nothing to confirm');
    assert.equal((await reader.nextData<SessionAnswerWire>()).me?.pushName, 'Ana (new name)');
  });

  it('WAHA 2024 events without id and timestamp are always confirmed', async () => {
    await linked();
    h.sim.clearRequestLog();
    const legacy = event('eagles_1', 'WORKING', { me });
    delete legacy.id;
    delete legacy.timestamp;
    assert.equal((await h.handler(hook(legacy))).status, 200);
    assert.deepEqual(h.calls(), ['GET /api/sessions/eagles_1']);
  });
});
