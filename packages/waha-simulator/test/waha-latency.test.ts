import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { SimulatorOptions, WahaSimulator } from '../src/index.js';
import type { TestClock } from './helpers/fake-clock.js';
import { flush, send } from './helpers/pending.js';
import { STARTING_MS, startSimulator } from './helpers/setup.js';

// WAHA's lifecycle calls take seconds: its manager sleeps SESSION_STOP_TIMEOUT (3 s) after
// stopping a running session and 1 s after unpairing it, and WEBJS closes a browser first
// (src/core/manager.core.ts `stop`/`unpair`, src/api/sessions.controller.ts). Measured on
// WAHA 2024.10.8: stop, restart, logout and DELETE of a running session 3.0–3.1 s each,
// WEBJS stop 4.1 s, the same calls on a stopped session 5–73 ms.

let sim: WahaSimulator;
let clock: TestClock;

afterEach(async () => {
  await sim.close();
  assert.equal(clock.pendingTimers(), 0);
});

async function start(options: SimulatorOptions = {}): Promise<void> {
  ({ sim, clock } = await startSimulator({ profile: 'core-2026', ...options }));
}

/** A session showing its QR (or WORKING with `linked`), reached through the instant set-up methods. */
function session(name: string, { linked = false } = {}): void {
  // Single-session WAHA already has `default`, STOPPED.
  if (sim.getSession(name)) sim.startSession(name);
  else sim.createSession(name);
  clock.tick(STARTING_MS);
  if (linked) {
    sim.scan(name, { pushName: 'Ana' });
    clock.tick(sim.timings.meDelayMs);
  }
}

/** Ticks to `ms` after `from` minus one: still pending; one more: answered at exactly `from + ms`. */
async function answersAfter(call: Awaited<ReturnType<typeof send>>, from: number, ms: number): Promise<void> {
  await clock.tickAsync(from + ms - 1 - clock.now());
  await flush();
  assert.equal(call.status(), 0, `still sleeping at +${ms - 1} ms`);
  await clock.tickAsync(1);
  await flush();
  assert.notEqual(call.status(), 0, `answered at +${ms} ms`);
  assert.equal(call.answeredAt(), from + ms);
}

const statusOf = (name: string) => sim.getSession(name)?.status;

describe('WAHA lifecycle sleeps (latency 1 = WAHA’s)', () => {
  it('stop: STOPPED at once, the answer 3 s later', async () => {
    await start();
    session('s');
    const t0 = clock.now();
    const stop = await send(sim, 'POST', '/api/sessions/s/stop');
    assert.equal(statusOf('s'), 'STOPPED');
    await answersAfter(stop, t0, 3000);
    const answer = await stop.answer;
    assert.equal(answer.status, 201);
    assert.equal((answer.json as { status: string }).status, 'STOPPED');
  });

  it('stop of a session that is already STOPPED answers at once', async () => {
    await start();
    sim.createSession('s', { start: false });
    const stop = await send(sim, 'POST', '/api/sessions/s/stop');
    assert.equal(stop.status(), 201);
    assert.equal(stop.answeredAt(), clock.now());
  });

  it('WEBJS stop takes 4.1 s (browser teardown + 3 s)', async () => {
    await start({ profile: 'webjs' });
    session('s');
    const t0 = clock.now();
    const stop = await send(sim, 'POST', '/api/sessions/s/stop');
    await answersAfter(stop, t0, 4100);
  });

  it('restart: STOPPED, 3 s, then STARTING — the answer says STARTING', async () => {
    await start();
    session('s', { linked: true });
    const t0 = clock.now();
    const restart = await send(sim, 'POST', '/api/sessions/s/restart');
    assert.equal(statusOf('s'), 'STOPPED');
    await answersAfter(restart, t0, 3000);
    assert.equal(statusOf('s'), 'STARTING');
    assert.equal(((await restart.answer).json as { status: string }).status, 'STARTING');
    clock.tick(STARTING_MS);
    assert.equal(statusOf('s'), 'WORKING', 'a restart keeps the phone linked');
  });

  it('DELETE of a linked session: unpair (the phone loses the link) 1 s, stop 3 s, gone', async () => {
    await start();
    session('s', { linked: true });
    const t0 = clock.now();
    const removal = await send(sim, 'DELETE', '/api/sessions/s');
    assert.equal(sim.getSession('s')?.linked, false, 'WAHA unpairs first: the phone forgets the device');
    assert.equal(statusOf('s'), 'WORKING');
    await clock.tickAsync(1000);
    await flush();
    assert.equal(statusOf('s'), 'STOPPED');
    await answersAfter(removal, t0, 4000);
    assert.equal(sim.getSession('s'), undefined);
    assert.equal((await removal.answer).status, 200);
  });

  it('logout of a WORKING session: 4 s, then a new QR (the auth is gone)', async () => {
    await start();
    session('s', { linked: true });
    const t0 = clock.now();
    const logout = await send(sim, 'POST', '/api/sessions/s/logout');
    await answersAfter(logout, t0, 4000);
    assert.equal(statusOf('s'), 'STARTING');
    clock.tick(STARTING_MS);
    assert.equal(statusOf('s'), 'SCAN_QR_CODE');
  });

  it('PUT on a running session: stop 3 s, new config, started again', async () => {
    await start();
    session('s');
    const t0 = clock.now();
    const put = await send(sim, 'PUT', '/api/sessions/s', { body: { config: { debug: true } } });
    await answersAfter(put, t0, 3000);
    assert.equal(statusOf('s'), 'STARTING');
    assert.deepEqual(sim.getSession('s')?.config, { debug: true });
  });

  it('core-2024 has no unpair step: DELETE takes 3 s (WEBJS: 4.1 s)', async () => {
    await start({ profile: 'core-2024' });
    session('default', { linked: true });
    const t0 = clock.now();
    const removal = await send(sim, 'DELETE', '/api/sessions/default');
    assert.equal(sim.getSession('default')?.linked, true, 'no unpair in 2024.10');
    await answersAfter(removal, t0, 4100);
  });

  it('the latency factor scales every sleep: 0.5 halves them, 0 answers at once', async () => {
    await start({ latency: 0.5 });
    session('s', { linked: true });
    const t0 = clock.now();
    const removal = await send(sim, 'DELETE', '/api/sessions/s');
    await clock.tickAsync(500);
    await answersAfter(removal, t0, 2000);
    sim.configure({ latency: 0 });
    session('t');
    const stop = await send(sim, 'POST', '/api/sessions/t/stop');
    assert.equal(stop.status(), 201);
  });

  it('one lock per session: a restart sent during a stop waits for its sleep', async () => {
    await start();
    session('s');
    const t0 = clock.now();
    const stop = await send(sim, 'POST', '/api/sessions/s/stop');
    await clock.tickAsync(1000);
    const restart = await send(sim, 'POST', '/api/sessions/s/restart');
    await answersAfter(stop, t0, 3000);
    // The restart then finds the session STOPPED: nothing to stop, it starts at once.
    assert.equal(restart.status(), 201);
    assert.equal(restart.answeredAt(), t0 + 3000);
    assert.equal(statusOf('s'), 'STARTING');
  });

  it('the set-up methods stay instant whatever the profile', async () => {
    await start();
    session('s', { linked: true });
    sim.restartSession('s');
    assert.equal(statusOf('s'), 'STARTING');
    assert.equal(sim.deleteSession('s'), true);
  });
});
