// A WAHA that allows only the session `default` (WAHA Core before 2026.6.1, or one WAHA
// per organization): detected from WAHA's own refusal, owned by one organization.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { createMemoryStore } from '../src/index.js';
import { API_KEY, harness, json, mutatingCalls, singleSessionWaha, type Harness } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

async function answer(response: Response): Promise<SessionAnswerWire> {
  assert.equal(response.status, 200, await response.clone().text());
  return json<SessionAnswerWire>(response);
}

async function refused(response: Response): Promise<void> {
  const text = await response.text();
  assert.equal(response.status, 409, text);
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'waha_single_session');
  assert.match(body.error.message, /single session/);
  assert.ok(!text.includes('default'), 'nothing of the owner in the answer');
}

describe('single-session WAHA', () => {
  it('gives the first organization the session default, remembered in the store; WAHA\'s message reaches the logs', async () => {
    h = await harness({ waha: singleSessionWaha() });
    const first = await answer(await h.get('A'));
    assert.equal(first.sessionName, 'default');
    assert.equal(first.status, 'STARTING');
    assert.equal(h.sim.getSession('default')?.status, 'STARTING');
    assert.equal(h.sim.getSession('eagles_A'), undefined);
    const record = h.store.entries().get('A');
    assert.equal(record?.sessionName, 'default');
    assert.equal(record?.wahaUrl, h.wahaUrl);
    const detected = h.logs.find((entry) => entry.event === 'waha.single_session');
    assert.match(String(detected?.wahaMessage), /WAHA Core support only 'default' session/);
    h.sim.clearRequestLog();
    await answer(await h.get('A'));
    assert.deepEqual(h.calls(), ['GET /api/sessions/default'], 'straight to default from then on');
  });

  it('refuses any other organization with 409 waha_single_session: it never sees or changes the owner\'s session', async () => {
    const refusals: string[] = [];
    h = await harness({ waha: singleSessionWaha(refusals) });
    await answer(await h.get('A'));
    h.fake.tick(2000);
    h.sim.scan('default', { phone: '5215512345678', pushName: 'Ana' });
    assert.equal((await answer(await h.get('A'))).status, 'WORKING');
    h.sim.clearRequestLog();
    refusals.length = 0;
    await refused(await h.get('B'));
    for (const action of ['reconnect', 'change_number', 'logout'] as const) await refused(await h.post('B', { action }));
    await refused(await h.post('B', { action: 'request_code', phoneNumber: '5215512345678' }));
    assert.deepEqual([...refusals, ...h.calls()], [], 'this process knows the WAHA: no WAHA call for B at all');
    assert.equal(h.sim.getSession('default')?.status, 'WORKING');
    assert.equal(h.sim.getSession('default')?.linked, true);
    assert.equal(h.store.entries().get('B'), undefined, 'B holds no claim');
    assert.ok(h.logs.some((entry) => entry.event === 'request.failed' && entry.code === 'waha_single_session' && entry.orgId === 'B'));
  });

  it("refuses another organization that names the same WAHA spelled otherwise: the session's metadata names its owner", async () => {
    const spellings = new Map<string, string>();
    h = await harness({
      waha: singleSessionWaha(),
      handler: { resolveWahaConfig: (orgId) => (spellings.has(orgId) ? { url: spellings.get(orgId)!, apiKey: API_KEY } : null) },
    });
    await answer(await h.get('A'));
    h.fake.tick(2000);
    h.sim.scan('default', { phone: '5215512345678', pushName: 'Ana' });
    assert.equal((await answer(await h.get('A'))).status, 'WORKING');
    const port = new URL(h.wahaUrl).port;
    // The same WAHA: another host name; IPv4 in hex (the URL parser's job: it is the server's own spelling).
    for (const [org, url] of [['B', `http://localhost:${port}`], ['D', `http://0x7f000001:${port}`]] as const) {
      spellings.set(org, url);
      await refused(await h.get(org));
      for (const action of ['reconnect', 'change_number', 'logout'] as const) await refused(await h.post(org, { action }));
      assert.equal(h.store.entries().get(org)?.sessionName ?? null, null, `${org} holds no claim`);
    }
    assert.equal(h.sim.getSession('default')?.status, 'WORKING');
    assert.equal(h.sim.getSession('default')?.linked, true, "A's phone still linked");
    assert.equal((await answer(await h.get('A'))).me?.phone, '5215512345678');
  });

  it('ownership survives a restart and holds on another instance', async () => {
    const refusals: string[] = [];
    h = await harness({ waha: singleSessionWaha(refusals) });
    await answer(await h.get('A'));
    const restarted = h.instance();
    h.sim.clearRequestLog();
    refusals.length = 0;
    await refused(await restarted.get('B'));
    assert.deepEqual(refusals, ['GET /api/sessions/eagles_B 404', 'POST /api/sessions 422'], 'one refused create, then the store decides');
    assert.deepEqual(mutatingCalls(h.calls()), []);
    assert.equal((await answer(await restarted.get('A'))).sessionName, 'default');
  });

  it('keeps a stored default where it is the only name WAHA accepts (no healing away from the linked phone)', async () => {
    h = await harness({ waha: singleSessionWaha(), store: createMemoryStore({ A: { sessionName: 'default', connected: true } }) });
    h.sim.createSession('default');
    h.fake.tick(2000);
    h.sim.scan('default', { phone: '5215512345678' });
    const linked = await answer(await h.get('A'));
    assert.equal(linked.sessionName, 'default');
    assert.equal(linked.status, 'WORKING');
    assert.equal(h.store.entries().get('A')?.sessionName, 'default');
    assert.equal(h.store.entries().get('A')?.wahaUrl, h.wahaUrl);
    assert.equal(h.sim.listSessions().length, 1);
  });

  it('two organizations racing for a free single-session WAHA: one owns it, the other is refused', async () => {
    h = await harness({ waha: singleSessionWaha() });
    const other = h.instance();
    const [a, b] = await Promise.all([h.get('A'), other.get('B')]);
    const statuses = [a.status, b.status].sort();
    assert.deepEqual(statuses, [200, 409]);
    const owners = [...h.store.entries()].filter(([, record]) => record.sessionName === 'default').map(([org]) => org);
    assert.equal(owners.length, 1);
  });

  it('an operator moves the WAHA to another organization by clearing the owner\'s record', async () => {
    h = await harness({ waha: singleSessionWaha() });
    await answer(await h.get('A'));
    await refused(await h.get('B'));
    await h.store.set('A', { sessionName: null, connected: false });
    assert.equal((await answer(await h.get('B'))).sessionName, 'default');
    await refused(await h.get('A'));
  });

  it('a stored default on a WAHA that accepts many sessions is still healed', async () => {
    h = await harness({ store: createMemoryStore({ A: { sessionName: 'default', connected: false } }) });
    assert.equal((await answer(await h.get('A'))).sessionName, 'eagles_A');
  });
});
