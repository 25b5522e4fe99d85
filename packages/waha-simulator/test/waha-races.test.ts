import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { SimulatorOptions, WahaSimulator } from '../src/index.js';
import type { TestClock } from './helpers/fake-clock.js';
import { call } from './helpers/http.js';
import { flush, send } from './helpers/pending.js';
import { STARTING_MS, startSimulator } from './helpers/setup.js';
import { assertNestError } from './helpers/waha-call.js';

// The answers that race a session's lifecycle, as WAHA gives them: the QR route waits for
// SCAN_QR_CODE (src/nestjs/pipes/SessionPipe.ts QRCodeSessionPipe → manager.waitUntilStatus:
// every 500 ms, up to 5 s), the session pipes 404 a stopped session (manager.getSession), and
// manager.start refuses a running one.

let sim: WahaSimulator;
let clock: TestClock;

afterEach(async () => {
  await sim.close();
  assert.equal(clock.pendingTimers(), 0);
});

async function start(options: SimulatorOptions = {}): Promise<void> {
  ({ sim, clock } = await startSimulator({ profile: 'core-2026', ...options }));
}

const NOT_RUNNING = (name: string) => `We didn't find a session with name '${name}'.\nPlease start it first by using POST /api/sessions/${name}/start request`;

describe('GET /api/{session}/auth/qr', () => {
  it('waits for SCAN_QR_CODE and answers at the next 500 ms poll', async () => {
    await start({ timings: { startingMs: 1200 } });
    sim.createSession('s');
    const t0 = clock.now();
    const qr = await send(sim, 'GET', '/api/s/auth/qr?format=raw');
    await clock.tickAsync(1499);
    await flush();
    assert.equal(qr.status(), 0, 'the QR appeared at +1200 ms; WAHA looks again at +1500');
    await clock.tickAsync(1);
    await flush();
    assert.equal(qr.status(), 200);
    assert.equal(qr.answeredAt(), t0 + 1500);
    assert.deepEqual((await qr.answer).json, { value: sim.getSession('s')?.qr });
  });

  it('then answers 422 {error, session, status, expected} — no statusCode — after 5 s', async () => {
    await start({ timings: { startingMs: Number.POSITIVE_INFINITY } });
    sim.createSession('s');
    const t0 = clock.now();
    const qr = await send(sim, 'GET', '/api/s/auth/qr?format=image', { headers: { accept: 'application/json' } });
    await clock.tickAsync(4999);
    await flush();
    assert.equal(qr.status(), 0);
    await clock.tickAsync(1);
    const answer = await qr.answer;
    assert.equal(qr.answeredAt(), t0 + 5000);
    assert.equal(answer.status, 422);
    assert.deepEqual(answer.json, {
      error: 'Session status is not as expected. Try again later or restart the session',
      session: 's',
      status: 'STARTING',
      expected: ['SCAN_QR_CODE'],
    });
  });

  it('a session stopped during the wait: 422 with STOPPED when the wait ends', async () => {
    await start({ timings: { startingMs: Number.POSITIVE_INFINITY } });
    sim.createSession('s');
    const qr = await send(sim, 'GET', '/api/s/auth/qr?format=raw');
    sim.stopSession('s');
    await clock.tickAsync(5000);
    const answer = await qr.answer;
    assert.equal(answer.status, 422);
    assert.equal((answer.json as { status: string }).status, 'STOPPED');
  });

  it('404 "We didn\'t find a session…" at once for a stopped or a missing session', async () => {
    await start();
    sim.createSession('idle', { start: false });
    for (const name of ['idle', 'missing']) {
      const answer = await call(sim, 'GET', `/api/${name}/auth/qr?format=raw`);
      assertNestError(answer, 404, 'Not Found');
      assert.equal((answer.json as { message: string }).message, NOT_RUNNING(name));
    }
  });

  it('the fast profile answers 422 at once, STOPPED included (no 404 race)', async () => {
    await start({ profile: 'fast' });
    sim.createSession('s');
    assert.equal((await call(sim, 'GET', '/api/s/auth/qr?format=raw')).status, 422);
    sim.stopSession('s');
    const stopped = await call(sim, 'GET', '/api/s/auth/qr?format=raw');
    assert.equal((stopped.json as { status: string }).status, 'STOPPED');
  });
});

describe('GET /api/sessions/{session}/me', () => {
  it('404 for a stopped session, null while it starts, the account once WORKING', async () => {
    await start();
    sim.createSession('s', { start: false });
    const stopped = await call(sim, 'GET', '/api/sessions/s/me');
    assertNestError(stopped, 404, 'Not Found');
    assert.equal((stopped.json as { message: string }).message, NOT_RUNNING('s'));
    sim.startSession('s');
    assert.equal((await call(sim, 'GET', '/api/sessions/s/me')).json, null);
    clock.tick(STARTING_MS);
    sim.scan('s', { phone: '5215512345678', pushName: 'Ana' });
    assert.deepEqual((await call(sim, 'GET', '/api/sessions/s/me')).json, { id: '5215512345678@c.us', pushName: 'Ana' });
  });
});

describe('POST /api/sessions/{session}/start', () => {
  it("on a running session → 422 \"Session '<name>' is already started.\" (a FAILED one counts as running)", async () => {
    await start({ timings: { failedRestartMs: Number.POSITIVE_INFINITY } });
    sim.createSession('s');
    const twice = await call(sim, 'POST', '/api/sessions/s/start');
    assertNestError(twice, 422, 'Unprocessable Entity');
    assert.equal((twice.json as { message: string }).message, "Session 's' is already started.");
    sim.fail('s');
    assert.equal((await call(sim, 'POST', '/api/sessions/s/start')).status, 422, 'WAHA still holds the failed engine: restart it');
    sim.stopSession('s');
    const started = await call(sim, 'POST', '/api/sessions/s/start');
    assert.equal(started.status, 201);
    assert.equal((started.json as { status: string }).status, 'STARTING');
  });

  it('404 "Session not found" for a missing session', async () => {
    await start();
    const missing = await call(sim, 'POST', '/api/sessions/missing/start');
    assertNestError(missing, 404, 'Not Found');
    assert.equal((missing.json as { message: string }).message, 'Session not found');
  });
});

describe('POST /api/sessions', () => {
  it('without `start` the session stays STOPPED: WAHA’s code reads `request.start || false`', async () => {
    await start();
    const created = await call(sim, 'POST', '/api/sessions', { body: { name: 's' } });
    assert.equal(created.status, 201);
    assert.equal((created.json as { status: string }).status, 'STOPPED');
    const taken = await call(sim, 'POST', '/api/sessions', { body: { name: 's', start: true } });
    assert.equal((taken.json as { message: string }).message, "Session 's' already exists. Use PUT to update it.");
  });
});

describe('POST /api/{session}/auth/request-code', () => {
  it('a number the engine rejects → 500 with WAHA’s exception body', async () => {
    await start();
    sim.createSession('s');
    clock.tick(STARTING_MS);
    const bad = await call(sim, 'POST', '/api/s/auth/request-code', { body: { phoneNumber: '+52 55 1234' } });
    assert.equal(bad.status, 500);
    const body = bad.json as { statusCode: number; exception: { message: string }; request: { path: string; body: unknown }; version: { version: string } };
    assert.equal(body.statusCode, 500);
    assert.match(body.exception.message, /phone number/);
    assert.equal(body.request.path, '/api/s/auth/request-code');
    assert.deepEqual(body.request.body, { phoneNumber: '+52 55 1234' });
    assert.equal(body.version.version, '2026.7.1');
    const good = await call(sim, 'POST', '/api/s/auth/request-code', { body: { phoneNumber: '5215512345678' } });
    assert.equal(good.status, 201);
  });

  it('while STARTING it waits for the QR, then hands out the code', async () => {
    await start();
    sim.createSession('s');
    const t0 = clock.now();
    const code = await send(sim, 'POST', '/api/s/auth/request-code', { body: { phoneNumber: '5215512345678' } });
    await clock.tickAsync(STARTING_MS);
    await flush();
    assert.equal(code.status(), 201);
    assert.equal(code.answeredAt(), t0 + STARTING_MS);
  });

  it('another status → 422 "Can request code only in SCAN_QR_CODE status…"; NOWEB refuses a `method`', async () => {
    await start();
    sim.createSession('s');
    clock.tick(STARTING_MS);
    sim.scan('s');
    const working = await call(sim, 'POST', '/api/s/auth/request-code', { body: { phoneNumber: '5215512345678' } });
    assertNestError(working, 422, 'Unprocessable Entity');
    assert.equal((working.json as { message: string }).message, 'Can request code only in SCAN_QR_CODE status. The current status is WORKING');
    const method = await call(sim, 'POST', '/api/s/auth/request-code', { body: { phoneNumber: '5215512345678', method: 'sms' } });
    assert.equal((method.json as { message: string }).message, "NOWEB engine doesn't support any 'method', remove it and try again");
  });
});
