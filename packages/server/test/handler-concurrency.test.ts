import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { ENDPOINT, harness, json, type Harness } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

describe('concurrency', () => {
  it('5 concurrent GETs of one organization share one WAHA round trip', async () => {
    h = await harness();
    const answers = await Promise.all(Array.from({ length: 5 }, () => h.get('1').then((r) => json<SessionAnswerWire>(r))));
    assert.deepEqual(h.calls(), ['GET /api/sessions/eagles_1', 'POST /api/sessions']);
    for (const answer of answers) assert.deepEqual(answer, answers[0]);
  });

  it('concurrent GETs of different organizations do not wait for each other', async () => {
    h = await harness();
    await Promise.all([h.get('1'), h.get('2'), h.get('1'), h.get('2')]);
    assert.equal(h.calls().filter((call) => call === 'POST /api/sessions').length, 2);
    assert.equal(h.calls().filter((call) => call.startsWith('GET /api/sessions/')).length, 2);
  });

  it('concurrent actions of one organization run one after the other; identical ones share one run', async () => {
    h = await harness();
    h.sim.createSession('eagles_1');
    h.sim.fail('eagles_1');
    h.sim.clearRequestLog();
    const results = await Promise.all([
      h.post('1', { action: 'reconnect' }),
      h.post('1', { action: 'reconnect' }),
      h.post('1', { action: 'change_number' }),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      [200, 200, 200],
    );
    assert.deepEqual(h.calls(), [
      // both reconnects: one repair of the FAILED session
      'GET /api/sessions/eagles_1',
      'POST /api/sessions/eagles_1/restart',
      // change_number, after it
      'POST /api/sessions/eagles_1/logout',
      'DELETE /api/sessions/eagles_1',
      'POST /api/sessions',
    ]);
  });

  it('a GET arriving while an action changes the session answers its pending state, not a half-done one', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let restarting!: () => void;
    const restartSent = new Promise<void>((resolve) => (restarting = resolve));
    h = await harness({
      waha: {
        // WAHA takes its time over the restart (stop ~3 s, then start).
        fetch: async (input, init) => {
          if (String(input instanceof Request ? input.url : input).endsWith('/restart')) {
            restarting();
            await gate;
          }
          return fetch(input, init);
        },
      },
    });
    await h.get('1');
    h.fake.tick(2000);
    h.sim.scan('eagles_1', { phone: '5215512345678' });
    await h.get('1');
    h.sim.fail('eagles_1');
    await h.get('1');
    h.sim.clearRequestLog();
    const action = h.post('1', { action: 'reconnect' });
    await restartSent;
    const read = await json<SessionAnswerWire>(await h.get('1'));
    assert.deepEqual(read, { status: 'STARTING', sessionName: 'eagles_1', connected: false });
    assert.deepEqual(h.calls(), ['GET /api/sessions/eagles_1'], 'the GET asked WAHA nothing');
    release();
    assert.equal((await action).status, 200);
    assert.deepEqual(h.calls(), ['GET /api/sessions/eagles_1', 'POST /api/sessions/eagles_1/restart']);
  });
});

describe('organization isolation', () => {
  it('org B can never read or act on org A session, whatever it sends', async () => {
    h = await harness();
    await h.get('A');
    h.fake.tick(2000);
    h.sim.scan('eagles_A', { phone: '5215500000001' });
    await h.get('A');
    h.sim.clearRequestLog();

    const tries: Request[] = [
      new Request(`${ENDPOINT}?session=eagles_A&sessionName=eagles_A`, { headers: { 'x-org': 'B' } }),
      new Request(ENDPOINT, {
        method: 'POST',
        headers: { 'x-org': 'B', 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'logout', session: 'eagles_A', sessionName: 'eagles_A', orgId: 'A' }),
      }),
      new Request(ENDPOINT, {
        method: 'POST',
        headers: { 'x-org': 'B', 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'change_number', sessionName: 'eagles_A' }),
      }),
    ];
    for (const request of tries) {
      const answer = await json<SessionAnswerWire>(await h.handler(request));
      assert.equal(answer.sessionName, 'eagles_B');
      assert.equal(answer.me, undefined);
    }
    // A sub-path names nothing: 404, not the caller's (or anyone's) session.
    assert.equal((await h.handler(new Request(`${ENDPOINT}/eagles_A`, { headers: { 'x-org': 'B' } }))).status, 404);
    assert.ok(h.calls().every((call) => !call.includes('eagles_A')), h.calls().join('\n'));
    assert.equal(h.sim.getSession('eagles_A')?.status, 'WORKING');
    const record = h.store.entries().get('A');
    assert.deepEqual([record?.sessionName, record?.connected, record?.status], ['eagles_A', true, 'WORKING']);
  });

  it('organization ids that differ only in forbidden characters get different sessions', async () => {
    h = await harness();
    const a = await json<SessionAnswerWire>(await h.get('a.b'));
    const b = await json<SessionAnswerWire>(await h.get('a b'));
    const c = await json<SessionAnswerWire>(await h.get('a_b'));
    assert.equal(new Set([a.sessionName, b.sessionName, c.sessionName]).size, 3);
    assert.equal(c.sessionName, 'eagles_a_b');
  });
});
