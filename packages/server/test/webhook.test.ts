import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { createMemoryStore, ORG_METADATA_KEY } from '../src/index.js';
import { hmacSha512Hex } from '../src/webhook.js';
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
    assert.deepEqual(h.calls(), ['GET /api/eagles_1/auth/qr']); // me came with the event
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
    await h.handler(hook(event('eagles_7', 'STOPPED')));
    assert.equal(h.store.entries().get('7')?.connected, true);
    await h.handler(hook(event('eagles_7', 'FAILED')));
    assert.equal(h.store.entries().get('7')?.connected, false);
    await h.handler(hook(event('eagles_7', 'STOPPED')));
    assert.equal(h.store.entries().get('7')?.connected, false, 'not linked again by a STOPPED');
  });

  it('finds the organization from a canonical name, but only for organizations it manages', async () => {
    h = await harness({
      handler: { webhook: { token: TOKEN } },
      store: createMemoryStore({ '7': { sessionName: 'eagles_7', connected: true } }),
    });
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
