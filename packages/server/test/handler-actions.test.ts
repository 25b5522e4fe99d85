import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { harness, json, mutatingCalls, type Harness } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

async function ok(response: Response): Promise<SessionAnswerWire> {
  assert.equal(response.status, 200, await response.clone().text());
  return json<SessionAnswerWire>(response);
}

/** A session of org `1` waiting for the phone (SCAN_QR). */
async function scanning(): Promise<void> {
  await h.get('1');
  h.fake.tick(2000);
  assert.equal(h.sim.getSession('eagles_1')?.status, 'SCAN_QR_CODE');
}

async function working(): Promise<void> {
  await scanning();
  h.sim.scan('eagles_1', { phone: '5215512345678', pushName: 'Ana' });
  await h.get('1');
}

describe('SCAN_QR race', () => {
  it('answers without a QR, not an error, when WAHA answers 422 on the QR (it rotated or expired meanwhile)', async () => {
    h = await harness({
      sim: { timings: { startingMs: 10, firstQrMs: 100, nextQrMs: 100, maxQrs: 1 } },
      // The QR expires between the session read and the QR read.
      beforeWahaFetch: (url, fake) => {
        if (url.includes('/auth/qr')) fake.tick(100);
      },
    });
    await h.get('1');
    h.fake.tick(10);
    h.sim.clearRequestLog();
    const body = await ok(await h.get('1'));
    assert.equal(body.status, 'SCAN_QR');
    assert.equal(body.qr, undefined);
    assert.deepEqual(
      h.sim.requestLog().map((entry) => [entry.path, entry.status]),
      [
        ['/api/sessions/eagles_1', 200],
        ['/api/eagles_1/auth/qr', 422],
      ],
    );
  });
});

/** WAHA options whose `fetch` answers the matching requests itself and passes the others to the simulator. */
function intercept(match: (url: string) => boolean, answer: () => Response | Promise<Response>): { fetch: typeof fetch } {
  return {
    fetch: async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      return match(url) ? answer() : fetch(input, init);
    },
  };
}

describe('QR 404 race', () => {
  it('answers the status without a QR, not an error, when WAHA answers 404 on the QR (the session stopped meanwhile)', async () => {
    // WAHA's words when the session stopped between the two calls (SessionManagerCore.getSession).
    const notFound = { statusCode: 404, message: "We didn't find a session with name 'eagles_1'. Please start it first by using POST /api/sessions/eagles_1/start request", error: 'Not Found' };
    h = await harness({ waha: intercept((url) => url.includes('/auth/qr'), () => new Response(JSON.stringify(notFound), { status: 404 })) });
    await scanning();
    const body = await ok(await h.get('1'));
    assert.equal(body.status, 'SCAN_QR');
    assert.equal(body.qr, undefined);
  });
});

describe('POST reconnect: the least destructive step that works', () => {
  it('starts a STOPPED session: the phone stays linked, nothing deleted', async () => {
    h = await harness();
    await working();
    h.sim.stopSession('eagles_1');
    h.sim.clearRequestLog();
    const body = await ok(await h.post('1', { action: 'reconnect' }));
    assert.deepEqual(h.calls(), ['GET /api/sessions/eagles_1', 'POST /api/sessions/eagles_1/start']);
    assert.equal(body.status, 'STARTING');
    assert.equal(body.connected, true, 'still linked: WAHA kept the phone\'s auth');
    assert.equal(h.sim.getSession('eagles_1')?.linked, true);
    h.fake.tick(2000);
    assert.equal((await ok(await h.get('1'))).status, 'WORKING', 'back without a scan');
    assert.ok(h.logs.some((record) => record.event === 'session.action' && record.repair === 'start'));
  });

  it('restarts a FAILED session (WAHA\'s advice): nothing deleted, the phone back without a scan', async () => {
    h = await harness();
    await working();
    h.sim.fail('eagles_1', 'boom');
    h.sim.clearRequestLog();
    const body = await ok(await h.post('1', { action: 'reconnect' }));
    assert.deepEqual(h.calls(), ['GET /api/sessions/eagles_1', 'POST /api/sessions/eagles_1/restart']);
    assert.equal(body.status, 'STARTING');
    h.fake.tick(2000);
    assert.equal((await ok(await h.get('1'))).status, 'WORKING');
  });

  it('restarts a FAILED session whose phone unlinked: a new QR, still without a delete', async () => {
    h = await harness();
    await working();
    h.sim.unlink('eagles_1');
    h.sim.clearRequestLog();
    await ok(await h.post('1', { action: 'reconnect' }));
    assert.deepEqual(mutatingCalls(h.calls()), ['POST /api/sessions/eagles_1/restart']);
    h.fake.tick(2000);
    assert.equal((await ok(await h.get('1'))).status, 'SCAN_QR');
  });

  it('deletes and creates only when WAHA refuses the restart, and logs WAHA\'s reason', async () => {
    h = await harness({
      waha: intercept(
        (url) => url.endsWith('/restart'),
        () => new Response(JSON.stringify({ statusCode: 500, message: 'Engine could not restart' }), { status: 500 }),
      ),
    });
    await working();
    h.sim.fail('eagles_1', 'boom');
    h.sim.clearRequestLog();
    const body = await ok(await h.post('1', { action: 'reconnect' }));
    assert.deepEqual(h.calls(), ['GET /api/sessions/eagles_1', 'DELETE /api/sessions/eagles_1', 'POST /api/sessions']);
    assert.equal(body.status, 'STARTING');
    assert.equal(body.connected, false);
    const escalated = h.logs.find((record) => record.event === 'session.repair_escalated');
    assert.equal(escalated?.wahaMessage, 'Engine could not restart');
    assert.equal(escalated?.wahaStatus, 500);
  });

  it('never deletes when the restart only timed out (WAHA may still be restarting it)', async () => {
    h = await harness({
      waha: {
        timeouts: { lifecycle: 50 },
        ...intercept((url) => url.endsWith('/restart'), () => new Promise<Response>(() => {})),
      },
    });
    await working();
    h.sim.fail('eagles_1', 'boom');
    h.sim.clearRequestLog();
    const response = await h.post('1', { action: 'reconnect' });
    assert.equal(response.status, 504);
    assert.deepEqual(mutatingCalls(h.calls()), []);
    assert.equal(h.sim.getSession('eagles_1')?.linked, true);
  });

  for (const status of [502, 503, 504]) {
    it(`never deletes when a proxy in front of WAHA answers the restart ${status} (WAHA may still be restarting it)`, async () => {
      h = await harness({
        waha: intercept(
          (url) => url.endsWith('/restart'),
          () => new Response(`<html><body><center><h1>${status}</h1></center><hr><center>nginx</center></body></html>`, { status, headers: { 'content-type': 'text/html' } }),
        ),
      });
      await working();
      h.sim.fail('eagles_1', 'boom');
      h.sim.clearRequestLog();
      const response = await h.post('1', { action: 'reconnect' });
      assert.equal(response.status, 502);
      assert.deepEqual(mutatingCalls(h.calls()), []);
      assert.equal(h.sim.getSession('eagles_1')?.linked, true, 'the phone is still linked');
      assert.equal(h.logs.find((record) => record.event === 'session.repair_escalated'), undefined);
    });
  }

  it('takes WAHA\'s "already started" as success (it started meanwhile)', async () => {
    h = await harness({
      waha: intercept(
        (url) => url.endsWith('/start'),
        () => {
          h.sim.startSession('eagles_1');
          return new Response(JSON.stringify({ statusCode: 422, message: "Session 'eagles_1' is already started.", error: 'Unprocessable Entity' }), { status: 422 });
        },
      ),
    });
    await working();
    h.sim.stopSession('eagles_1');
    const body = await ok(await h.post('1', { action: 'reconnect' }));
    assert.equal(body.status, 'STARTING');
    assert.equal(body.connected, true);
    assert.equal(h.sim.getSession('eagles_1')?.linked, true);
  });

  it('creates a missing session', async () => {
    h = await harness();
    const body = await ok(await h.post('1', { action: 'reconnect' }));
    assert.equal(body.status, 'STARTING');
    assert.deepEqual(h.calls(), ['GET /api/sessions/eagles_1', 'POST /api/sessions']);
  });

  for (const healthy of ['STARTING', 'SCAN_QR', 'WORKING'] as const) {
    it(`leaves a healthy ${healthy} session alone and answers it`, async () => {
      h = await harness();
      if (healthy === 'STARTING') await h.get('1');
      if (healthy === 'SCAN_QR') await scanning();
      if (healthy === 'WORKING') await working();
      h.sim.clearRequestLog();
      const body = await ok(await h.post('1', { action: 'reconnect' }));
      assert.equal(body.status, healthy);
      assert.deepEqual(h.calls().filter((call) => !call.startsWith('GET ')), []);
    });
  }
});

describe('POST change_number', () => {
  it('logs out, deletes and creates anew', async () => {
    h = await harness();
    await working();
    h.sim.clearRequestLog();
    const body = await ok(await h.post('1', { action: 'change_number' }));
    assert.equal(body.status, 'STARTING');
    assert.equal(body.connected, false);
    assert.equal(body.me, undefined);
    assert.deepEqual(h.calls(), ['POST /api/sessions/eagles_1/logout', 'DELETE /api/sessions/eagles_1', 'POST /api/sessions']);
    assert.equal(h.store.entries().get('1')?.connected, false);
  });

  it('works on a missing session (logout 404 ignored)', async () => {
    h = await harness();
    const body = await ok(await h.post('1', { action: 'change_number' }));
    assert.equal(body.status, 'STARTING');
    assert.ok(h.sim.getSession('eagles_1'));
  });
});

describe('POST logout', () => {
  it('unlinks the phone; WAHA restarts the session towards a new QR', async () => {
    h = await harness();
    await working();
    h.sim.clearRequestLog();
    const body = await ok(await h.post('1', { action: 'logout' }));
    assert.notEqual(body.status, 'WORKING');
    assert.equal(body.connected, false);
    assert.equal(h.calls()[0], 'POST /api/sessions/eagles_1/logout');
    assert.ok(!h.calls().includes('DELETE /api/sessions/eagles_1'));
    assert.equal(h.sim.getSession('eagles_1')?.linked, false);
    assert.equal(h.store.entries().get('1')?.connected, false);
  });

  it('of a stopped linked session: its answer is not connected, whatever the status', async () => {
    h = await harness();
    await working();
    h.sim.stopSession('eagles_1');
    assert.equal((await json<SessionAnswerWire>(await h.get('1'))).connected, true, 'stopped, still linked');
    const body = await ok(await h.post('1', { action: 'logout' }));
    assert.equal(body.connected, false);
    assert.equal(h.store.entries().get('1')?.connected, false);
    assert.equal((await json<SessionAnswerWire>(await h.get('1'))).connected, false, 'and stays so');
  });
});

describe('POST request_code', () => {
  it('answers WAHA pairing code while SCAN_QR', async () => {
    h = await harness();
    await scanning();
    const body = await ok(await h.post('1', { action: 'request_code', phoneNumber: '5215512345678' }));
    assert.equal(body.status, 'SCAN_QR');
    assert.equal(body.pairingCode, h.sim.getSession('eagles_1')?.pairingCode);
    assert.match(String(body.pairingCode), /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  });

  it('is refused with 409 invalid_state outside SCAN_QR, without calling WAHA request-code', async () => {
    h = await harness();
    await working();
    const response = await h.post('1', { action: 'request_code', phoneNumber: '5215512345678' });
    assert.equal(response.status, 409);
    assert.equal((await json<{ error: { code: string } }>(response)).error.code, 'invalid_state');
    assert.ok(!h.calls().some((call) => call.includes('request-code')));
  });

  it('answers 409 when the session leaves SCAN_QR just before WAHA hands out the code (WAHA 422)', async () => {
    h = await harness({
      beforeWahaFetch: (url) => {
        if (url.includes('/auth/request-code')) h.sim.scan('eagles_1', { phone: '5215512345678' });
      },
    });
    await scanning();
    const response = await h.post('1', { action: 'request_code', phoneNumber: '5215512345678' });
    assert.equal(response.status, 409);
    assert.equal((await json<{ error: { code: string } }>(response)).error.code, 'invalid_state');
    assert.ok(h.sim.requestLog().some((entry) => entry.path === '/api/eagles_1/auth/request-code' && entry.status === 422));
  });

  it('answers 400 invalid_phone_number when WAHA refuses the number (WAHA 400), without echoing WAHA', async () => {
    h = await harness({
      waha: {
        fetch: async (input, init) => {
          const url = input instanceof Request ? input.url : String(input);
          if (url.includes('/auth/request-code')) return new Response('{"message":"phone not registered: internal-detail"}', { status: 400 });
          return fetch(input, init);
        },
      },
    });
    await scanning();
    const response = await h.post('1', { action: 'request_code', phoneNumber: '5215512345678' });
    assert.equal(response.status, 400);
    const text = await response.text();
    assert.equal((JSON.parse(text) as { error: { code: string } }).error.code, 'invalid_phone_number');
    assert.ok(!text.includes('internal-detail'));
  });

  for (const phoneNumber of ['123', '1234567890123456', 'abcdefghij', 42, undefined]) {
    it(`rejects phoneNumber ${JSON.stringify(phoneNumber)} with 400 invalid_phone_number`, async () => {
      h = await harness();
      const response = await h.post('1', { action: 'request_code', phoneNumber });
      assert.equal(response.status, 400);
      assert.equal((await json<{ error: { code: string } }>(response)).error.code, 'invalid_phone_number');
      assert.deepEqual(h.calls(), []);
    });
  }
});

describe('create race', () => {
  it('reads the session when another server created it first (WAHA 422 on create)', async () => {
    h = await harness({
      beforeWahaFetch: (url) => {
        if (url.endsWith('/api/sessions') && !h.sim.getSession('eagles_1')) h.sim.createSession('eagles_1');
      },
    });
    const body = await ok(await h.get('1'));
    assert.equal(body.status, 'STARTING');
    assert.deepEqual(
      h.sim.requestLog().map((entry) => `${entry.method} ${entry.path} ${entry.status}`),
      ['GET /api/sessions/eagles_1 404', 'POST /api/sessions 422', 'GET /api/sessions/eagles_1 200'],
    );
  });
});
