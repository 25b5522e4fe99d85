import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { WahaSimulator } from '../src/index.js';
import type { TestClock } from './helpers/fake-clock.js';
import { call } from './helpers/http.js';
import { startSimulator } from './helpers/setup.js';

let sim: WahaSimulator;
let clock: TestClock;

afterEach(async () => {
  await sim.close();
  assert.equal(clock.pendingTimers(), 0);
  assert.equal(sim.pendingTimers(), 0);
});

/** Lets the event loop run (I/O included) until `ready()`; no timers, no sleeping. */
async function until(ready: () => boolean): Promise<void> {
  for (let turn = 0; turn < 10_000 && !ready(); turn += 1) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(ready(), 'condition never became true');
}

describe('latency', () => {
  it('holds /api answers for latencyMs on the clock', async () => {
    ({ sim, clock } = await startSimulator({ latencyMs: 500 }));
    let answered = false;
    const pending = call(sim, 'GET', '/api/sessions').then((answer) => {
      answered = true;
      return answer;
    });
    await until(() => sim.requestLog().length === 1);
    assert.equal(sim.pendingTimers(), 1);
    clock.tick(499);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(answered, false);
    assert.equal(sim.requestLog()[0]?.status, 0, 'not answered yet');
    clock.tick(1);
    const answer = await pending;
    assert.equal(answer.status, 200);
    assert.equal(sim.requestLog()[0]?.status, 200);
  });

  it('does not delay the control routes or /ping; setLatency(0) turns it off', async () => {
    ({ sim, clock } = await startSimulator());
    sim.setLatency(1000);
    assert.equal((await call(sim, 'GET', '/__simulator/sessions')).status, 200);
    assert.equal((await call(sim, 'GET', '/ping')).status, 200);
    sim.setLatency(0);
    assert.equal((await call(sim, 'GET', '/api/sessions')).status, 200);
  });

  it('close() drops held answers and their timers', async () => {
    ({ sim, clock } = await startSimulator({ latencyMs: 10_000 }));
    const pending = call(sim, 'GET', '/api/sessions').then(
      () => 'answered',
      () => 'dropped',
    );
    await until(() => sim.requestLog().length === 1);
    await sim.close();
    assert.equal(await pending, 'dropped');
  });

  it('rejects a negative latency', async () => {
    ({ sim, clock } = await startSimulator());
    assert.throws(() => sim.setLatency(-1), { name: 'SimulatorError' });
  });
});

describe('error rate', () => {
  it('answers 500 when random() < errorRate, on /api routes only', async () => {
    const draws = [0.1, 0.9, 0.49, 0.5];
    ({ sim, clock } = await startSimulator({ errorRate: 0.5, random: () => draws.shift() ?? 0.99 }));
    const statuses: number[] = [];
    for (let index = 0; index < 4; index += 1) statuses.push((await call(sim, 'GET', '/api/sessions')).status);
    assert.deepEqual(statuses, [500, 200, 500, 200]);
    assert.equal((await call(sim, 'GET', '/__simulator/sessions')).status, 200);
    const failed = sim.requestLog().filter((entry) => entry.status === 500);
    assert.equal(failed.length, 2);
  });

  it('a 500 has NestJS’s shape', async () => {
    ({ sim, clock } = await startSimulator({ errorRate: 1 }));
    const answer = await call(sim, 'POST', '/api/sessions', { body: { name: 'x' } });
    assert.equal(answer.status, 500);
    assert.deepEqual(answer.json, { statusCode: 500, message: 'Internal server error' });
    assert.equal(sim.getSession('x'), undefined, 'a failed request changes nothing');
  });

  it('setErrorRate validates and applies at once', async () => {
    ({ sim, clock } = await startSimulator());
    assert.throws(() => sim.setErrorRate(1.5), { name: 'SimulatorError' });
    sim.setErrorRate(1);
    assert.equal((await call(sim, 'GET', '/api/sessions')).status, 500);
    sim.setErrorRate(0);
    assert.equal((await call(sim, 'GET', '/api/sessions')).status, 200);
  });
});
