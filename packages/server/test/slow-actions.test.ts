// Actions on a WAHA with its real latencies (stop ~3 s, unpair ~1 s, WEBJS teardown),
// on one fake clock shared by the simulator and the handler: never a 5xx because WAHA is
// slow; the request answers within its budget and the action finishes behind it.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { advance, ENDPOINT, harness, json, settleOnClock, type Harness, type HarnessOptions } from './helpers.js';
import { SseReader } from './sse.js';

let h: Harness;
const readers: SseReader[] = [];
afterEach(async () => {
  for (const reader of readers.splice(0)) await reader.cancel();
  await h.close();
});

/** Organization 1 linked on a simulator playing `profile` with WAHA's latencies, the handler on the same clock. */
async function linked(profile: 'core-2026' | 'webjs', options: Pick<HarnessOptions, 'handler' | 'waha'> = {}): Promise<void> {
  h = await harness({ sim: { profile }, sharedClock: true, ...options, handler: { stream: true, ...options.handler } });
  await settleOnClock(h.fake, h.get('1'));
  await advance(h.fake, 2_500);
  h.sim.scan('eagles_1', { phone: '5215512345678', pushName: 'Ana' });
  await advance(h.fake, 2_000); // WEBJS learns `me` a moment after WORKING
  const { value } = await settleOnClock(h.fake, h.get('1'));
  assert.equal((await json<SessionAnswerWire>(value)).status, 'WORKING');
}

describe('slow WAHA: actions within their budget', () => {
  it('change_number on NOWEB (logout + delete + create, ~7 s in WAHA) answers its outcome, 200, inside the default 10 s', async () => {
    await linked('core-2026');
    h.sim.clearRequestLog();
    const { value: response, tookMs } = await settleOnClock(h.fake, h.post('1', { action: 'change_number' }));
    assert.equal(response.status, 200, await response.clone().text());
    const body = await json<SessionAnswerWire>(response);
    assert.equal(body.connected, false);
    assert.ok(tookMs >= 3_000 && tookMs < 10_000, `took ${tookMs} ms of WAHA time`);
    assert.deepEqual(
      h.calls().filter((call) => !call.startsWith('GET ')),
      ['POST /api/sessions/eagles_1/logout', 'DELETE /api/sessions/eagles_1', 'POST /api/sessions'],
    );
    assert.ok(!h.logs.some((entry) => entry.event === 'session.action_pending'));
  });

  it('past the budget it answers the pending state at once and finishes in the background (kept alive by waitUntil)', async () => {
    const kept: Promise<unknown>[] = [];
    await linked('webjs', { handler: { actions: { answerWithinMs: 4_000, waitUntil: (work) => kept.push(work) } } });
    const stream = new SseReader((await h.handler(new Request(`${ENDPOINT}/stream`, { headers: { 'x-org': '1' } }))).body);
    readers.push(stream);
    await stream.next();
    assert.equal((await stream.nextData<SessionAnswerWire>()).status, 'WORKING');
    h.sim.clearRequestLog();

    const { value: response, tookMs } = await settleOnClock(h.fake, h.post('1', { action: 'change_number' }), 120_000, 50);
    assert.equal(response.status, 200);
    assert.ok(tookMs >= 4_000 && tookMs <= 4_100, `answered after ${tookMs} ms`);
    assert.deepEqual(await json(response), { status: 'STARTING', sessionName: 'eagles_1', connected: false, stream: '/api/whatsapp/session/stream' });
    assert.equal(kept.length, 1, 'the host was handed the rest of the action');
    assert.equal((await stream.nextData<SessionAnswerWire>()).status, 'STARTING', 'the streams hear the pending state');

    // A GET meanwhile answers the pending state, not WAHA's half-done one.
    const { value: during } = await settleOnClock(h.fake, h.get('1'));
    assert.deepEqual(await json(during), { status: 'STARTING', sessionName: 'eagles_1', connected: false, stream: '/api/whatsapp/session/stream' });

    await settleOnClock(h.fake, kept[0]!);
    assert.ok(h.logs.some((entry) => entry.event === 'session.action_pending'));
    assert.ok(!h.logs.some((entry) => entry.event === 'session.action_failed'));
    assert.deepEqual(
      h.sim.requestLog().filter((entry) => entry.method !== 'GET').map((entry) => `${entry.method} ${entry.path} ${entry.status}`),
      ['POST /api/sessions/eagles_1/logout 201', 'DELETE /api/sessions/eagles_1 200', 'POST /api/sessions 201'],
    );
    assert.equal(h.store.entries().get('1')?.connected, false);
    assert.equal(h.sim.getSession('eagles_1')?.linked, false);
  });

  it('a failure after the answer is logged, remembered and re-read for the streams', async () => {
    const kept: Promise<unknown>[] = [];
    let refuseCreate = false;
    await linked('webjs', {
      handler: { actions: { answerWithinMs: 1_000, waitUntil: (work) => kept.push(work) } },
      waha: {
        fetch: async (input, init) => {
          const url = String(input instanceof Request ? input.url : input);
          const method = input instanceof Request ? input.method : init?.method;
          if (refuseCreate && url.endsWith('/api/sessions') && method === 'POST') {
            return new Response(JSON.stringify({ statusCode: 500, message: 'Engine failed to start' }), { status: 500 });
          }
          return fetch(input, init);
        },
      },
    });
    refuseCreate = true;
    const { value: response } = await settleOnClock(h.fake, h.post('1', { action: 'change_number' }));
    assert.equal(response.status, 200, 'answered before WAHA failed');
    await settleOnClock(h.fake, kept[0]!);
    const failed = h.logs.find((entry) => entry.event === 'session.action_failed');
    assert.equal(failed?.wahaMessage, 'Engine failed to start');
    assert.equal(h.store.entries().get('1')?.lastError, 'waha_error');
  });

  it('another action arriving meanwhile waits its turn, then answers 409 busy if the first outlasts the budget', async () => {
    await linked('webjs', { handler: { actions: { answerWithinMs: 3_000 } } });
    const first = h.post('1', { action: 'change_number' });
    const { value: answered } = await settleOnClock(h.fake, first);
    assert.equal(answered.status, 200);
    const { value: second } = await settleOnClock(h.fake, h.post('1', { action: 'logout' }));
    assert.equal(second.status, 409);
    assert.equal((await json<{ error: { code: string } }>(second)).error.code, 'busy');
  });
});
