import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { WahaSimulator } from '../src/index.js';
import { call } from './helpers/http.js';
import { startSimulator } from './helpers/setup.js';
import { wahaCall } from './helpers/waha-call.js';

let sim: WahaSimulator;

afterEach(async () => {
  await sim.close();
});

const unauthorized = (answer: { status: number; json: unknown }) => {
  assert.equal(answer.status, 401);
  assert.equal((answer.json as { message: string }).message, 'Unauthorized');
};

describe('API key', () => {
  it('defaults to simulator-key', async () => {
    ({ sim } = await startSimulator());
    assert.equal(sim.apiKey, 'simulator-key');
    assert.equal((await wahaCall(sim, 'GET', '/api/sessions')).status, 200);
  });

  it('401 {message: "Unauthorized"} without a key or with a wrong one, on every /api route', async () => {
    ({ sim } = await startSimulator({ apiKey: 'secret' }));
    sim.createSession('default');
    for (const [method, path] of [
      ['GET', '/api/sessions'],
      ['POST', '/api/sessions'],
      ['GET', '/api/sessions/default'],
      ['DELETE', '/api/sessions/default'],
      ['POST', '/api/sessions/default/stop'],
      ['GET', '/api/sessions/default/me'],
      ['GET', '/api/default/auth/qr?format=raw'],
      ['POST', '/api/sessions/start'],
      ['GET', '/api/unknown'],
    ] as const) {
      unauthorized(await call(sim, method, path, { key: null }));
      unauthorized(await call(sim, method, path, { key: 'wrong' }));
    }
    assert.equal(sim.getSession('default')?.status, 'STARTING', 'nothing happened without the key');
  });

  it('accepts the key as ?x-api-key=', async () => {
    ({ sim } = await startSimulator({ apiKey: 'secret' }));
    assert.equal((await call(sim, 'GET', '/api/sessions?x-api-key=secret', { key: null })).status, 200);
    unauthorized(await call(sim, 'GET', '/api/sessions?x-api-key=nope', { key: null }));
  });

  it('apiKey null turns auth off', async () => {
    ({ sim } = await startSimulator({ apiKey: null }));
    assert.equal(sim.apiKey, null);
    assert.equal((await call(sim, 'GET', '/api/sessions', { key: null })).status, 200);
  });

  it('control routes and /ping need no key', async () => {
    ({ sim } = await startSimulator({ apiKey: 'secret' }));
    assert.equal((await call(sim, 'GET', '/__simulator/sessions', { key: null })).status, 200);
    assert.equal((await call(sim, 'GET', '/ping', { key: null })).status, 200);
  });

  it('401 answers are in the request log', async () => {
    ({ sim } = await startSimulator());
    await call(sim, 'GET', '/api/sessions', { key: null });
    assert.deepEqual(
      sim.requestLog().map(({ method, path, status }) => ({ method, path, status })),
      [{ method: 'GET', path: '/api/sessions', status: 401 }],
    );
  });
});
