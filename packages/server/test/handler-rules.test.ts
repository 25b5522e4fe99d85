import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { createMemoryStore, QR_EXPIRED_MESSAGE } from '../src/index.js';
import { harness, json, mutatingCalls, type Harness } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

async function answer(response: Response): Promise<SessionAnswerWire> {
  assert.equal(response.status, 200, await response.clone().text());
  return json<SessionAnswerWire>(response);
}

describe('GET', () => {
  it('creates and starts a missing session named <prefix>_<orgId>', async () => {
    h = await harness();
    const first = await answer(await h.get('42'));
    assert.equal(first.sessionName, 'eagles_42');
    assert.equal(first.status, 'STARTING');
    assert.equal(first.connected, false);
    assert.deepEqual(h.calls(), ['GET /api/sessions/eagles_42', 'POST /api/sessions']);
    assert.equal(h.sim.getSession('eagles_42')?.status, 'STARTING');
  });

  it('only reports an existing session: a second GET creates nothing', async () => {
    h = await harness();
    await h.get('42');
    h.sim.clearRequestLog();
    await answer(await h.get('42'));
    assert.deepEqual(h.calls(), ['GET /api/sessions/eagles_42']);
  });

  for (const broken of ['STOPPED', 'FAILED'] as const) {
    it(`never restarts a ${broken} session (no create/start/restart/delete)`, async () => {
      h = await harness();
      h.sim.createSession('eagles_7');
      if (broken === 'STOPPED') h.sim.stopSession('eagles_7');
      else h.sim.fail('eagles_7', 'boom');
      h.sim.clearRequestLog();
      for (let i = 0; i < 3; i++) {
        const body = await answer(await h.get('7'));
        assert.equal(body.status, broken);
      }
      assert.deepEqual(mutatingCalls(h.calls()), []);
      assert.equal(h.sim.getSession('eagles_7')?.status, broken);
    });
  }

  it('keeps connected through a STOPPED that follows WORKING, and only then', async () => {
    h = await harness();
    h.sim.createSession('eagles_3');
    h.sim.stopSession('eagles_3');
    const neverLinked = await answer(await h.get('3'));
    assert.equal(neverLinked.status, 'STOPPED');
    assert.equal(neverLinked.connected, false, 'a session that never linked is not connected');

    await answer(await h.get('4'));
    h.fake.tick(2000);
    await answer(await h.get('4'));
    h.sim.scan('eagles_4', { phone: '5215512345678', pushName: 'Ana' });
    assert.equal((await answer(await h.get('4'))).connected, true);
    h.sim.stopSession('eagles_4');
    for (let i = 0; i < 2; i++) {
      const stopped = await answer(await h.get('4'));
      assert.equal(stopped.status, 'STOPPED');
      assert.equal(stopped.connected, true, 'stopped, still linked (a page opened now must not say "not linked")');
    }
    assert.equal(h.store.entries().get('4')?.connected, true);
    // A restart keeps the phone's auth: STARTING in between does not end the link either.
    h.sim.startSession('eagles_4');
    h.sim.restartSession('eagles_4');
    const restarting = await answer(await h.get('4'));
    assert.equal(restarting.status, 'STARTING');
    assert.equal(restarting.connected, true);
    h.sim.stopSession('eagles_4');
    assert.equal((await answer(await h.get('4'))).connected, true);
    h.sim.fail('eagles_4', 'boom');
    assert.equal((await answer(await h.get('4'))).connected, false, 'FAILED ends it');
  });

  it('includes the raw QR only in SCAN_QR (format=raw)', async () => {
    h = await harness();
    const starting = await answer(await h.get('1'));
    assert.equal(starting.qr, undefined);
    h.fake.tick(2000);
    h.sim.clearRequestLog();
    const scanning = await answer(await h.get('1'));
    assert.equal(scanning.status, 'SCAN_QR');
    assert.equal(scanning.qr, h.sim.getSession('eagles_1')?.qr);
    assert.ok(scanning.qr);
    assert.deepEqual(h.calls(), ['GET /api/sessions/eagles_1', 'GET /api/eagles_1/auth/qr']);
  });

  it('includes me (with phone digits) in WORKING and persists connected', async () => {
    h = await harness();
    await h.get('1');
    h.fake.tick(2000);
    h.sim.scan('eagles_1', { phone: '5215512345678', pushName: 'Ana' });
    const working = await answer(await h.get('1'));
    assert.equal(working.status, 'WORKING');
    assert.equal(working.connected, true);
    assert.deepEqual(working.me, { id: '5215512345678@c.us', pushName: 'Ana', phone: '5215512345678' });
    const record = h.store.entries().get('1');
    assert.equal(record?.sessionName, 'eagles_1');
    assert.equal(record?.connected, true);
    assert.equal(record?.status, 'WORKING');
    assert.equal(record?.previousStatus, 'STARTING');
    assert.equal(record?.wahaUrl, h.wahaUrl);
    assert.equal(typeof record?.linkedAt, 'number');
  });

  it('persists connected=false again when the session leaves WORKING', async () => {
    h = await harness();
    await h.get('1');
    h.fake.tick(2000);
    h.sim.scan('eagles_1', { phone: '5215512345678' });
    await h.get('1');
    h.sim.unlink('eagles_1');
    const failed = await answer(await h.get('1'));
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.connected, false);
    assert.equal(h.store.entries().get('1')?.connected, false);
    assert.deepEqual(
      h.transitions.map((t) => [t.from, t.to]),
      [
        [null, 'STARTING'],
        ['STARTING', 'WORKING'],
        ['WORKING', 'FAILED'],
      ],
    );
  });

  it('explains a FAILED that follows an unscanned QR as an expired code', async () => {
    h = await harness({ sim: { timings: { startingMs: 10, firstQrMs: 100, nextQrMs: 100, maxQrs: 2 } } });
    await h.get('5');
    h.fake.tick(10);
    assert.equal((await answer(await h.get('5'))).status, 'SCAN_QR');
    h.fake.tick(200);
    const failed = await answer(await h.get('5'));
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.error, QR_EXPIRED_MESSAGE);
    assert.equal(failed.reason, 'qr_expired', 'machine-readable, for a page that never saw the QR');
    const later = await answer(await h.get('5'));
    assert.equal(later.error, QR_EXPIRED_MESSAGE, 'stays explained on the next poll');
    assert.equal(later.reason, 'qr_expired');
  });

  it('gives no generic reason for any other FAILED (the widget shows its own translated text)', async () => {
    h = await harness();
    await h.get('6');
    h.fake.tick(2000);
    h.sim.scan('eagles_6', { phone: '5215512345678' });
    assert.equal((await answer(await h.get('6'))).status, 'WORKING');
    h.sim.fail('eagles_6', 'boom');
    const failed = await answer(await h.get('6'));
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.error, undefined);
    assert.equal(failed.reason, undefined);
  });

  for (const stored of ['default', '', '   ']) {
    it(`heals a stored name ${JSON.stringify(stored)} and persists it`, async () => {
      h = await harness({ store: createMemoryStore({ '9': { sessionName: stored, connected: false } }) });
      const body = await answer(await h.get('9'));
      assert.equal(body.sessionName, 'eagles_9');
      assert.equal(h.store.entries().get('9')?.sessionName, 'eagles_9');
      assert.ok(!h.calls().some((call) => call.includes('default')));
      assert.ok(h.logs.some((record) => record.event === 'session.name_healed' && record.orgId === '9'));
    });
  }

  it('keeps a valid stored legacy name', async () => {
    h = await harness({ store: createMemoryStore({ '9': { sessionName: 'legacy_nine', connected: false } }) });
    assert.equal((await answer(await h.get('9'))).sessionName, 'legacy_nine');
    assert.ok(h.sim.getSession('legacy_nine'));
  });

  it('gives a long, odd organization id a valid, unique name WAHA accepts', async () => {
    h = await harness();
    const odd = 'Acme Corp / México #1 — '.repeat(4).trimEnd(); // an id has no surrounding whitespace (refused since 2e848e7)
    const body = await answer(await h.get(odd));
    assert.match(body.sessionName, /^[A-Za-z0-9_-]{1,54}$/);
    assert.ok(h.sim.getSession(body.sessionName));
    const other = await answer(await h.get(odd.replace('#1', '#2')));
    assert.notEqual(other.sessionName, body.sessionName);
  });
});

describe("WAHA's real null fields (me, presence, activity: null)", () => {
  // Real WAHA sends nulls its own OpenAPI document forbids; the simulator's
  // nullFields reproduces them. The handler must read them as "absent".
  it('goes STARTING → SCAN_QR → WORKING → STOPPED with me only while linked', async () => {
    h = await harness({ sim: { nullFields: true } });
    const starting = await answer(await h.get('9'));
    assert.equal(starting.status, 'STARTING');
    assert.equal(starting.me, undefined);
    h.fake.tick(2000);
    const scanning = await answer(await h.get('9'));
    assert.equal(scanning.status, 'SCAN_QR');
    assert.equal(scanning.me, undefined);
    assert.equal(typeof scanning.qr, 'string');
    h.sim.scan('eagles_9', { phone: '5215512345678', pushName: 'Ana' });
    const working = await answer(await h.get('9'));
    assert.equal(working.status, 'WORKING');
    assert.equal(working.connected, true);
    assert.equal(working.me?.id, '5215512345678@c.us');
    h.sim.stopSession('eagles_9');
    const stopped = await answer(await h.get('9'));
    assert.equal(stopped.status, 'STOPPED');
    assert.equal(stopped.me, undefined);
  });
});
