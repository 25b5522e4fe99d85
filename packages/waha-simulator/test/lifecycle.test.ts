import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createWahaSimulator, isSimulatorError, SIMULATOR_PROFILES, SimulatorError } from '../src/index.js';
import type { WahaSimulator, WahaStatus } from '../src/index.js';
import { createTestClock } from './helpers/fake-clock.js';
import type { TestClock } from './helpers/fake-clock.js';
import { FAILS_AFTER_MS, FIRST_QR_MS, MAX_QRS, NEXT_QR_MS, STARTING_MS } from './helpers/setup.js';

let sim: WahaSimulator;
let clock: TestClock;

function setup(options: Parameters<typeof createWahaSimulator>[0] = {}): void {
  clock = createTestClock();
  sim = createWahaSimulator({ clock, profile: 'fast', ...options });
}

const status = (name = 'default'): WahaStatus | undefined => sim.getSession(name)?.status;
const history = (name = 'default'): WahaStatus[] => sim.getSession(name)?.statuses.map((point) => point.status) ?? [];

/** Creates `default`, lets it reach SCAN_QR_CODE. */
function toQr(name = 'default'): void {
  sim.createSession(name);
  clock.tick(STARTING_MS);
  assert.equal(status(name), 'SCAN_QR_CODE');
}

function expectSimulatorError(fn: () => unknown, code: string): void {
  assert.throws(fn, (error: unknown) => isSimulatorError(error) && error instanceof SimulatorError && error.code === code);
}

afterEach(async () => {
  await sim.close();
  assert.equal(clock.pendingTimers(), 0, 'close() must leave no timer');
});

describe('lifecycle on the clock', () => {
  it('goes STARTING → SCAN_QR_CODE exactly after startingMs', () => {
    setup();
    const created = sim.createSession('default');
    assert.equal(created.status, 'STARTING');
    clock.tick(STARTING_MS - 1);
    assert.equal(status(), 'STARTING');
    clock.tick(1);
    const view = sim.getSession('default');
    assert.equal(view?.status, 'SCAN_QR_CODE');
    assert.equal(view?.qrIndex, 1);
    assert.match(view?.qr ?? '', /^2@[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+$/);
    assert.equal(view?.qrExpiresAt, clock.now() + FIRST_QR_MS);
  });

  it('rotates the QR after 60 s, then every 20 s, at most 6, then FAILED', () => {
    setup();
    toQr();
    const seen = new Set<string>();
    seen.add(sim.getSession('default')!.qr!);
    clock.tick(FIRST_QR_MS - 1);
    assert.equal(sim.getSession('default')?.qrIndex, 1);
    clock.tick(1);
    assert.equal(sim.getSession('default')?.qrIndex, 2);
    seen.add(sim.getSession('default')!.qr!);
    for (let index = 3; index <= MAX_QRS; index += 1) {
      clock.tick(NEXT_QR_MS - 1);
      assert.equal(sim.getSession('default')?.qrIndex, index - 1);
      clock.tick(1);
      assert.equal(sim.getSession('default')?.qrIndex, index);
      seen.add(sim.getSession('default')!.qr!);
    }
    assert.equal(seen.size, MAX_QRS, 'each QR is new');
    clock.tick(NEXT_QR_MS - 1);
    assert.equal(status(), 'SCAN_QR_CODE');
    clock.tick(1);
    const failed = sim.getSession('default');
    assert.equal(failed?.status, 'FAILED');
    assert.equal(failed?.failureReason, 'qr-expired');
    assert.equal(failed?.qr, null);
    assert.equal(failed?.qrIndex, 0);
    assert.equal(sim.pendingTimers(), 0);
    assert.deepEqual(history(), ['STOPPED', 'STARTING', ...Array<WahaStatus>(MAX_QRS).fill('SCAN_QR_CODE'), 'FAILED']);
  });

  it('fails at 162 s with the default timings', () => {
    setup();
    sim.createSession('default');
    clock.tick(FAILS_AFTER_MS - 1);
    assert.equal(status(), 'SCAN_QR_CODE');
    clock.tick(1);
    assert.equal(status(), 'FAILED');
  });

  it('honours custom timings', () => {
    setup({ timings: { startingMs: 10, firstQrMs: 100, nextQrMs: 50, maxQrs: 2 } });
    assert.deepEqual(sim.timings, { ...SIMULATOR_PROFILES.fast.timings, startingMs: 10, firstQrMs: 100, nextQrMs: 50, maxQrs: 2 });
    sim.createSession('default');
    clock.tick(10);
    assert.equal(status(), 'SCAN_QR_CODE');
    clock.tick(100);
    assert.equal(sim.getSession('default')?.qrIndex, 2);
    clock.tick(49);
    assert.equal(status(), 'SCAN_QR_CODE');
    clock.tick(1);
    assert.equal(status(), 'FAILED');
  });

  it('Infinity disables a step: the first QR never expires', () => {
    setup({ timings: { firstQrMs: Number.POSITIVE_INFINITY } });
    toQr();
    assert.equal(clock.pendingTimers(), 0, 'no clock timer for a step that never comes');
    clock.tick(10 * 24 * 3600 * 1000);
    assert.equal(status(), 'SCAN_QR_CODE');
    assert.equal(sim.getSession('default')?.qrIndex, 1);
    assert.equal(sim.scan('default').status, 'WORKING');
  });

  it('rejects impossible timings', () => {
    clock = createTestClock();
    sim = createWahaSimulator({ clock });
    expectSimulatorError(() => createWahaSimulator({ clock, timings: { maxQrs: 0 } }), 'INVALID_ARGUMENT');
    expectSimulatorError(() => createWahaSimulator({ clock, timings: { startingMs: -1 } }), 'INVALID_ARGUMENT');
    expectSimulatorError(() => createWahaSimulator({ clock, timings: { nextQrMs: Number.NaN } }), 'INVALID_ARGUMENT');
  });

  it('creates a STOPPED session when start is false, and starts it on demand', () => {
    setup();
    assert.equal(sim.createSession('default', { start: false }).status, 'STOPPED');
    assert.equal(sim.pendingTimers(), 0);
    assert.equal(sim.startSession('default').status, 'STARTING');
    clock.tick(STARTING_MS);
    assert.equal(status(), 'SCAN_QR_CODE');
  });

  it('start is idempotent while running: it does not reset the QR', () => {
    setup();
    toQr();
    const qr = sim.getSession('default')?.qr;
    clock.tick(30_000);
    sim.startSession('default');
    assert.equal(sim.getSession('default')?.qr, qr);
    clock.tick(FIRST_QR_MS - 30_000);
    assert.equal(sim.getSession('default')?.qrIndex, 2);
  });
});

describe('the phone', () => {
  it('scan links the session: WORKING with me', () => {
    setup();
    toQr();
    const view = sim.scan('default', { phone: '5215512345678', pushName: 'Ana' });
    assert.equal(view.status, 'WORKING');
    assert.deepEqual(view.me, { id: '5215512345678@c.us', pushName: 'Ana' });
    assert.equal(view.linked, true);
    assert.equal(view.qr, null);
    assert.equal(sim.pendingTimers(), 0, 'no QR timer survives the scan');
    clock.tick(FAILS_AFTER_MS);
    assert.equal(status(), 'WORKING');
  });

  it('scan has defaults for the account', () => {
    setup();
    toQr();
    assert.deepEqual(sim.scan('default').me, { id: '12132132130@c.us', pushName: 'Simulated Phone' });
  });

  it('scan outside SCAN_QR_CODE throws a typed error', () => {
    setup();
    sim.createSession('default');
    assert.throws(
      () => sim.scan('default'),
      (error: unknown) =>
        error instanceof SimulatorError &&
        error.code === 'INVALID_STATUS' &&
        error.status === 'STARTING' &&
        error.session === 'default' &&
        error.expected?.[0] === 'SCAN_QR_CODE',
    );
    expectSimulatorError(() => sim.scan('nope'), 'SESSION_NOT_FOUND');
  });

  it('a pairing code can be requested in SCAN_QR_CODE; scan then links with that phone', () => {
    setup();
    sim.createSession('default');
    expectSimulatorError(() => sim.requestPairingCode('default', '12132132130'), 'INVALID_STATUS');
    clock.tick(STARTING_MS);
    const code = sim.requestPairingCode('default', '+52 155 1234 5678');
    assert.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    assert.equal(sim.getSession('default')?.pairingCode, code);
    const view = sim.scan('default', { pushName: 'Luz' });
    assert.deepEqual(view.me, { id: '5215512345678@c.us', pushName: 'Luz' });
    assert.equal(view.pairingCode, null);
  });

  it('restart of a linked session goes back to WORKING without a QR', () => {
    setup();
    toQr();
    sim.scan('default');
    assert.equal(sim.restartSession('default').status, 'STARTING');
    assert.equal(sim.getSession('default')?.me, null, 'me only while WORKING');
    clock.tick(STARTING_MS);
    assert.equal(status(), 'WORKING');
    assert.deepEqual(history().slice(-3), ['STOPPED', 'STARTING', 'WORKING']);
  });

  it('stop keeps the auth: start goes back to WORKING', () => {
    setup();
    toQr();
    sim.scan('default');
    assert.equal(sim.stopSession('default').status, 'STOPPED');
    assert.equal(sim.getSession('default')?.linked, true);
    sim.startSession('default');
    clock.tick(STARTING_MS);
    assert.equal(status(), 'WORKING');
  });

  it('logout of a running session drops the auth and shows a new QR', () => {
    setup();
    toQr();
    const firstQr = sim.getSession('default')?.qr;
    sim.scan('default');
    const view = sim.logoutSession('default');
    assert.equal(view.status, 'STARTING');
    assert.equal(view.linked, false);
    clock.tick(STARTING_MS);
    const after = sim.getSession('default');
    assert.equal(after?.status, 'SCAN_QR_CODE');
    assert.notEqual(after?.qr, firstQr);
    assert.equal(after?.qrIndex, 1);
  });

  it('logout of a STOPPED session stays STOPPED', () => {
    setup();
    toQr();
    sim.scan('default');
    sim.stopSession('default');
    assert.equal(sim.logoutSession('default').status, 'STOPPED');
    assert.equal(sim.getSession('default')?.linked, false);
    assert.equal(sim.pendingTimers(), 0);
  });

  it('unlink: WORKING → FAILED with the auth gone; a restart shows a QR', () => {
    setup();
    toQr();
    sim.scan('default');
    const view = sim.unlink('default');
    assert.equal(view.status, 'FAILED');
    assert.equal(view.failureReason, 'unlinked');
    assert.equal(view.linked, false);
    assert.equal(view.me, null);
    sim.restartSession('default');
    clock.tick(STARTING_MS);
    assert.equal(status(), 'SCAN_QR_CODE');
    expectSimulatorError(() => sim.unlink('default'), 'INVALID_STATUS');
  });

  it('fail forces FAILED with a reason from any status and cancels the QR timer', () => {
    setup();
    toQr();
    const view = sim.fail('default', 'auth broke');
    assert.equal(view.status, 'FAILED');
    assert.equal(view.failureReason, 'auth broke');
    assert.equal(sim.pendingTimers(), 0);
    clock.tick(FAILS_AFTER_MS);
    assert.deepEqual(history(), ['STOPPED', 'STARTING', 'SCAN_QR_CODE', 'FAILED']);
    sim.startSession('default');
    assert.equal(status(), 'STARTING', 'start recovers a FAILED session');
  });

  it('stop leaves no timer for the session, and is idempotent', () => {
    setup();
    toQr();
    sim.stopSession('default');
    assert.equal(sim.pendingTimers(), 0);
    const before = history().length;
    sim.stopSession('default');
    assert.equal(history().length, before, 'a second stop adds no status');
  });

  it('flap: WORKING ↔ STOPPED `times` times, intervalMs each, then WORKING', () => {
    setup();
    toQr();
    sim.scan('default');
    sim.flap('default', { times: 2, intervalMs: 500 });
    assert.equal(status(), 'STOPPED');
    assert.equal(sim.getSession('default')?.flapsLeft, 1);
    clock.tick(499);
    assert.equal(status(), 'STOPPED');
    clock.tick(1);
    assert.equal(status(), 'WORKING');
    clock.tick(500);
    assert.equal(status(), 'STOPPED');
    clock.tick(500);
    assert.equal(status(), 'WORKING');
    assert.equal(sim.pendingTimers(), 0);
    assert.equal(sim.getSession('default')?.flapsLeft, 0);
    assert.deepEqual(history().slice(-5), ['WORKING', 'STOPPED', 'WORKING', 'STOPPED', 'WORKING']);
  });

  it('flap via STARTING, and a stop in the middle cancels it', () => {
    setup();
    toQr();
    sim.scan('default');
    sim.flap('default', { times: 3, intervalMs: 100, via: 'STARTING' });
    assert.equal(status(), 'STARTING');
    sim.stopSession('default');
    clock.tick(1000);
    assert.equal(status(), 'STOPPED');
    assert.equal(sim.pendingTimers(), 0);
  });

  it('flap needs WORKING and sane numbers', () => {
    setup();
    toQr();
    expectSimulatorError(() => sim.flap('default'), 'INVALID_STATUS');
    sim.scan('default');
    expectSimulatorError(() => sim.flap('default', { times: -1 }), 'INVALID_ARGUMENT');
    expectSimulatorError(() => sim.flap('default', { intervalMs: Number.NaN }), 'INVALID_ARGUMENT');
    sim.flap('default', { times: 0 });
    assert.equal(status(), 'WORKING');
  });
});

describe('sessions', () => {
  it('rejects taken and invalid names', () => {
    setup();
    sim.createSession('default');
    expectSimulatorError(() => sim.createSession('default'), 'SESSION_EXISTS');
    expectSimulatorError(() => sim.createSession('with space'), 'INVALID_NAME');
    expectSimulatorError(() => sim.createSession('x'.repeat(55)), 'INVALID_NAME');
    assert.equal(sim.createSession('a'.repeat(54)).name.length, 54);
    assert.equal(sim.createSession('Az09_-').name, 'Az09_-');
  });

  it('delete stops, forgets, and is idempotent', () => {
    setup();
    toQr();
    assert.equal(sim.deleteSession('default'), true);
    assert.equal(sim.getSession('default'), undefined);
    assert.equal(sim.pendingTimers(), 0);
    assert.equal(sim.deleteSession('default'), false);
  });

  it('keeps at most 50 status points', () => {
    setup();
    toQr();
    sim.scan('default');
    sim.flap('default', { times: 40, intervalMs: 1 });
    clock.tick(100);
    const view = sim.getSession('default');
    assert.equal(view?.status, 'WORKING');
    assert.equal(view?.statuses.length, 50);
  });

  it('views are detached copies', () => {
    setup();
    toQr();
    const view = sim.getSession('default')!;
    view.statuses.length = 0;
    assert.notEqual(sim.getSession('default')?.statuses.length, 0);
    sim.createSession('configured', { config: { metadata: { a: '1' } } });
    sim.getSession('configured')!.config!.metadata!.a = 'changed';
    assert.equal(sim.getSession('configured')?.config?.metadata?.a, '1');
  });
});
