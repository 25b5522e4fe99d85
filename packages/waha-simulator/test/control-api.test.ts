import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { SimSessionView, WahaSimulator } from '../src/index.js';
import type { TestClock } from './helpers/fake-clock.js';
import { call } from './helpers/http.js';
import { STARTING_MS, startSimulator } from './helpers/setup.js';

let sim: WahaSimulator;
let clock: TestClock;

beforeEach(async () => {
  ({ sim, clock } = await startSimulator({ apiKey: 'secret' }));
});

afterEach(async () => {
  await sim.close();
  assert.equal(clock.pendingTimers(), 0);
});

/** A control call: no key, JSON body. */
const control = (method: string, path: string, body?: unknown) => call(sim, method, `/__simulator${path}`, { key: null, body });
const view = (answer: { json: unknown }) => answer.json as SimSessionView;

function toQr(name = 'default'): void {
  sim.createSession(name);
  clock.tick(STARTING_MS);
}

describe('control API over HTTP', () => {
  it('POST sessions/{name}/scan links with phone and pushName', async () => {
    toQr();
    const answer = await control('POST', '/sessions/default/scan', { phone: '5215512345678', pushName: 'Ana' });
    assert.equal(answer.status, 200);
    assert.equal(view(answer).status, 'WORKING');
    assert.deepEqual(view(answer).me, { id: '5215512345678@c.us', pushName: 'Ana' });
  });

  it('scan without a body uses the default account', async () => {
    toQr();
    const answer = await control('POST', '/sessions/default/scan');
    assert.equal(view(answer).me?.id, '12132132130@c.us');
  });

  it('scan outside SCAN_QR_CODE → 422 with the typed error; unknown session → 404', async () => {
    sim.createSession('default');
    const answer = await control('POST', '/sessions/default/scan', {});
    assert.equal(answer.status, 422);
    assert.deepEqual(answer.json, {
      error: 'INVALID_STATUS',
      message: 'Cannot scan: session "default" is STARTING, expected SCAN_QR_CODE or PASSKEY_REQUIRED or PASSKEY_CONFIRMATION_REQUIRED',
      session: 'default',
      status: 'STARTING',
      expected: ['SCAN_QR_CODE', 'PASSKEY_REQUIRED', 'PASSKEY_CONFIRMATION_REQUIRED'],
    });
    const missing = await control('POST', '/sessions/missing/scan', {});
    assert.equal(missing.status, 404);
    assert.equal((missing.json as { error: string }).error, 'SESSION_NOT_FOUND');
  });

  it('unlink, fail {reason}, stop', async () => {
    toQr();
    await control('POST', '/sessions/default/scan');
    const unlinked = await control('POST', '/sessions/default/unlink');
    assert.equal(view(unlinked).status, 'FAILED');
    assert.equal(view(unlinked).failureReason, 'unlinked');
    sim.restartSession('default');
    const failed = await control('POST', '/sessions/default/fail', { reason: 'boom' });
    assert.equal(view(failed).status, 'FAILED');
    assert.equal(view(failed).failureReason, 'boom');
    const stopped = await control('POST', '/sessions/default/stop');
    assert.equal(view(stopped).status, 'STOPPED');
  });

  it('flap {times, intervalMs, via}', async () => {
    toQr();
    await control('POST', '/sessions/default/scan');
    const answer = await control('POST', '/sessions/default/flap', { times: 1, intervalMs: 300, via: 'STARTING' });
    assert.equal(answer.status, 200);
    assert.equal(view(answer).status, 'STARTING');
    clock.tick(300);
    assert.equal(sim.getSession('default')?.status, 'WORKING');
    const bad = await control('POST', '/sessions/default/flap', { via: 'WORKING' });
    assert.equal(bad.status, 400);
  });

  it('GET sessions lists views; GET sessions/{name} shows one', async () => {
    toQr('a');
    sim.createSession('b', { start: false });
    const list = await control('GET', '/sessions');
    assert.equal(list.status, 200);
    assert.deepEqual((list.json as SimSessionView[]).map((one) => [one.name, one.status]), [
      ['a', 'SCAN_QR_CODE'],
      ['b', 'STOPPED'],
    ]);
    const one = await control('GET', '/sessions/a');
    assert.equal(view(one).qr, sim.getSession('a')?.qr);
    assert.equal((await control('GET', '/sessions/zzz')).status, 404);
  });

  it('POST latency {ms} and error-rate {rate}; wrong values → 400', async () => {
    assert.deepEqual((await control('POST', '/latency', { ms: 250 })).json, { latencyMs: 250 });
    assert.deepEqual((await control('POST', '/error-rate', { rate: 0.5 })).json, { errorRate: 0.5 });
    assert.equal((await control('POST', '/latency', { ms: -1 })).status, 422);
    assert.equal((await control('POST', '/latency', {})).status, 400);
    assert.equal((await control('POST', '/error-rate', { rate: 2 })).status, 422);
    assert.equal((await control('POST', '/error-rate', { rate: 'x' })).status, 400);
    await control('POST', '/latency', { ms: 0 });
    await control('POST', '/error-rate', { rate: 0 });
  });

  it('GET requests shows the WAHA calls (not the control calls); DELETE clears', async () => {
    await call(sim, 'GET', '/api/sessions?all=true');
    await call(sim, 'GET', '/api/sessions/missing');
    const log = await control('GET', '/requests');
    assert.deepEqual(
      (log.json as { method: string; path: string; status: number; at: number }[]).map(({ method, path, status, at }) => ({ method, path, status, at })),
      [
        { method: 'GET', path: '/api/sessions', status: 200, at: clock.now() },
        { method: 'GET', path: '/api/sessions/missing', status: 404, at: clock.now() },
      ],
    );
    assert.equal((await control('DELETE', '/requests')).status, 204);
    assert.deepEqual(sim.requestLog(), []);
  });

  it('GET webhooks shows delivery counters', async () => {
    assert.deepEqual((await control('GET', '/webhooks')).json, { sent: 0, delivered: 0, failed: 0, retried: 0, gaveUp: 0, dropped: 0, pending: 0 });
  });

  it('answers CORS preflight and sends CORS headers', async () => {
    const preflight = await control('OPTIONS', '/sessions/default/scan');
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  });

  it('unknown control routes → 404; a bad JSON body → 400', async () => {
    assert.equal((await control('GET', '/nothing')).status, 404);
    assert.equal((await control('POST', '/sessions/default/dance')).status, 404);
    sim.createSession('default');
    const bad = await call(sim, 'POST', '/__simulator/sessions/default/fail', { key: null, rawBody: '{' });
    assert.equal(bad.status, 400);
  });

  it('can be turned off: the routes then fall through to 404', async () => {
    await sim.close();
    ({ sim, clock } = await startSimulator({ controlApi: false }));
    assert.equal((await control('GET', '/sessions')).status, 404);
  });
});
