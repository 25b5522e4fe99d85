import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { isSimulatorError } from '../src/index.js';
import type { WahaSimulator } from '../src/index.js';
import type { TestClock } from './helpers/fake-clock.js';
import { call } from './helpers/http.js';
import { STARTING_MS, startSimulator } from './helpers/setup.js';
import { assertNestError } from './helpers/waha-call.js';

// WAHA Core before 2026.6.1 runs one session, `default` (src/core/manager.core.ts:
// `onlyDefault` in every manager method; the session slot starts STOPPED, so `default`
// exists before anyone creates it). Measured on 2024.10.8: create/start of another name →
// 422 in 5–25 ms, GET of another name → 404 "Session not found".

let sim: WahaSimulator;
let clock: TestClock;

afterEach(async () => {
  await sim.close();
  assert.equal(clock.pendingTimers(), 0);
});

const MESSAGE_2024 =
  "WAHA Core support only 'default' session. If you want to run more then one WhatsApp account - please get WAHA PLUS version. Check this out: https://waha.devlike.pro/";
const message2025 = (name: string) =>
  `WAHA Core support only 'default' session. You tried to access '${name}' session (base64: ${Buffer.from(name).toString('base64')}). ` +
  'If you want to run more then one WhatsApp account - please get WAHA PLUS version. Check this out: https://waha.devlike.pro/';

const messageOf = (json: unknown) => (json as { message: string }).message;

describe("single-session WAHA Core ('core-2024')", () => {
  it('refuses every other name with the exact 422, on every session route', async () => {
    ({ sim, clock } = await startSimulator({ profile: 'core-2024' }));
    const refusals = [
      ['POST', '/api/sessions', { name: 'wac_42', start: true }],
      ['POST', '/api/sessions/wac_42/start'],
      ['POST', '/api/sessions/wac_42/stop'],
      ['POST', '/api/sessions/wac_42/restart'],
      ['POST', '/api/sessions/wac_42/logout'],
      ['PUT', '/api/sessions/wac_42', { config: {} }],
      ['DELETE', '/api/sessions/wac_42'],
      ['GET', '/api/sessions/wac_42/me'],
      ['GET', '/api/wac_42/auth/qr?format=raw'],
      ['POST', '/api/wac_42/auth/request-code', { phoneNumber: '5215512345678' }],
      ['POST', '/api/sessions', {}],
    ] as const;
    for (const [method, path, body] of refusals) {
      const answer = await call(sim, method, path, body ? { body } : {});
      assertNestError(answer, 422, 'Unprocessable Entity');
      assert.equal(messageOf(answer.json), MESSAGE_2024, `${method} ${path}`);
    }
    const info = await call(sim, 'GET', '/api/sessions/wac_42');
    assertNestError(info, 404, 'Not Found');
    assert.equal(messageOf(info.json), 'Session not found');
    assert.equal(sim.getSession('wac_42'), undefined);
  });

  it('has `default` from the start, STOPPED: creating it is a 422 "already exists", starting it works', async () => {
    ({ sim, clock } = await startSimulator({ profile: 'core-2024' }));
    const listed = await call(sim, 'GET', '/api/sessions?all=true');
    assert.deepEqual((listed.json as { name: string; status: string }[]).map(({ name, status }) => ({ name, status })), [{ name: 'default', status: 'STOPPED' }]);
    const create = await call(sim, 'POST', '/api/sessions', { body: { name: 'default', start: true } });
    assert.equal(messageOf(create.json), "Session 'default' already exists. Use PUT to update it.");
    assert.equal((await call(sim, 'POST', '/api/sessions/default/start')).status, 201);
    clock.tick(STARTING_MS);
    assert.equal(sim.getSession('default')?.status, 'SCAN_QR_CODE');
  });

  it('after DELETE, `default` is gone (404) until created again', async () => {
    ({ sim, clock } = await startSimulator({ profile: 'core-2024', latency: 0 }));
    assert.equal((await call(sim, 'DELETE', '/api/sessions/default')).status, 200);
    assert.equal((await call(sim, 'GET', '/api/sessions/default')).status, 404);
    assert.equal((await call(sim, 'POST', '/api/sessions/default/start')).status, 404);
    assert.deepEqual((await call(sim, 'GET', '/api/sessions?all=true')).json, []);
    assert.equal((await call(sim, 'POST', '/api/sessions', { body: { name: 'default' } })).status, 201);
  });

  it('the set-up methods refuse other names too', async () => {
    ({ sim, clock } = await startSimulator({ profile: 'core-2024' }));
    assert.throws(
      () => sim.createSession('wac_1'),
      (error: unknown) => isSimulatorError(error) && error.code === 'INVALID_NAME' && error.message === MESSAGE_2024,
    );
  });
});

describe("single-session WAHA Core ('core-2025')", () => {
  it('names the refused session (and its base64) and answers 422 on GET too', async () => {
    ({ sim, clock } = await startSimulator({ profile: 'core-2025' }));
    const start = await call(sim, 'POST', '/api/sessions/wac_org-7/start');
    assertNestError(start, 422, 'Unprocessable Entity');
    assert.equal(messageOf(start.json), message2025('wac_org-7'));
    const info = await call(sim, 'GET', '/api/sessions/wac_org-7');
    assert.equal(info.status, 422);
    assert.equal(messageOf(info.json), message2025('wac_org-7'));
  });
});

describe('switching at run time', () => {
  it('a multi-session WAHA lists every session; switched to single-session it lists only `default`', async () => {
    ({ sim, clock } = await startSimulator({ profile: 'fast' }));
    sim.createSession('a');
    assert.deepEqual(((await call(sim, 'GET', '/api/sessions')).json as { name: string }[]).map((info) => info.name), ['a']);
    sim.configure({ quirks: { singleSession: 'core-2024' } });
    assert.deepEqual(((await call(sim, 'GET', '/api/sessions?all=true')).json as { name: string }[]).map((info) => info.name), ['default']);
    assert.equal((await call(sim, 'GET', '/api/sessions/a/me')).status, 422);
  });
});
