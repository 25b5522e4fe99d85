import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createWahaSimulator } from '../src/index.js';
import type { WahaSimulator, WahaStatus } from '../src/index.js';
import { createTestClock } from './helpers/fake-clock.js';
import type { TestClock } from './helpers/fake-clock.js';
import { call } from './helpers/http.js';
import { FAILS_AFTER_MS, FIRST_QR_MS, NEXT_QR_MS, STARTING_MS } from './helpers/setup.js';

const SESSIONS = 1000;
let sim: WahaSimulator;
let clock: TestClock;

afterEach(async () => {
  await sim.close();
});

function countByStatus(): Partial<Record<WahaStatus, number>> {
  const counts: Partial<Record<WahaStatus, number>> = {};
  for (const view of sim.listSessions()) counts[view.status] = (counts[view.status] ?? 0) + 1;
  return counts;
}

describe('1,000 sessions', () => {
  it('run through their QR rotations with one step each on a single clock timer, and close() leaves none', async () => {
    clock = createTestClock();
    sim = createWahaSimulator({ clock, profile: 'fast' });
    await sim.listen();
    const started = performance.now();
    for (let index = 0; index < SESSIONS; index += 1) sim.createSession(`s${index}`);
    assert.equal(sim.pendingTimers(), SESSIONS, 'one pending step per session');
    assert.equal(clock.pendingTimers(), 1, 'all behind one clock timer');
    assert.deepEqual(countByStatus(), { STARTING: SESSIONS });

    clock.tick(STARTING_MS);
    assert.deepEqual(countByStatus(), { SCAN_QR_CODE: SESSIONS });
    assert.equal(sim.pendingTimers(), SESSIONS);
    assert.equal(clock.pendingTimers(), 1);
    assert.equal(new Set(sim.listSessions().map((view) => view.qr)).size, SESSIONS, 'every QR is unique');

    // A tenth of the phones scan; the rest let their QRs rotate.
    for (let index = 0; index < SESSIONS; index += 10) sim.scan(`s${index}`);
    assert.equal(sim.pendingTimers(), SESSIONS - SESSIONS / 10);

    clock.tick(FIRST_QR_MS);
    assert.ok(sim.listSessions().filter((view) => view.status === 'SCAN_QR_CODE').every((view) => view.qrIndex === 2));
    clock.tick(NEXT_QR_MS * 2);
    assert.ok(sim.listSessions().filter((view) => view.status === 'SCAN_QR_CODE').every((view) => view.qrIndex === 4));
    assert.equal(sim.pendingTimers(), SESSIONS - SESSIONS / 10);
    assert.equal(clock.pendingTimers(), 1);

    const listed = await call(sim, 'GET', '/api/sessions');
    assert.equal(listed.status, 200);
    assert.equal((listed.json as unknown[]).length, SESSIONS);

    clock.tick(FAILS_AFTER_MS - STARTING_MS - FIRST_QR_MS - NEXT_QR_MS * 2);
    assert.deepEqual(countByStatus(), { WORKING: SESSIONS / 10, FAILED: SESSIONS - SESSIONS / 10 });
    assert.equal(sim.pendingTimers(), 0, 'FAILED and WORKING sessions hold no step');
    assert.equal(clock.pendingTimers(), 0);

    // Restart everyone: timers come back, then close() must clear them all.
    for (const view of sim.listSessions()) sim.restartSession(view.name);
    assert.equal(sim.pendingTimers(), SESSIONS);
    assert.equal(clock.pendingTimers(), 1);
    await sim.close();
    assert.equal(clock.pendingTimers(), 0);
    assert.equal(sim.pendingTimers(), 0);
    assert.ok(performance.now() - started < 5_000, 'a 1,000-session run stays cheap');
  });
});
