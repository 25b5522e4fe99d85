import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialSnapshot } from '../src/machine.js';
import { createMetricsRecorder, MAX_TIME_TO_CONNECT_SAMPLES } from '../src/metrics.js';
import type { SessionStatus } from '../src/contract/status.js';
import type { SessionSnapshot } from '../src/snapshot.js';

const snap = (status: SessionStatus | null, previousStatus: SessionStatus | null = null): SessionSnapshot => ({ ...initialSnapshot, status, previousStatus });
const tick = (at: number) => ({ type: 'schedule', at, nextPollAt: null }) as const;

describe('metrics recorder', () => {
  it('starts at zero with a null success rate', () => {
    const m = createMetricsRecorder().read();
    assert.equal(m.polls, 0);
    assert.equal(m.successRate, null);
    assert.deepEqual(m.timeToConnectMs, []);
  });

  it('counts a WORKING → STOPPED → WORKING round trip as one flap, not as a connect', () => {
    const r = createMetricsRecorder();
    r.record({ prev: snap('WORKING'), next: snap('STOPPED', 'WORKING'), event: tick(1) });
    r.record({ prev: snap('STOPPED', 'WORKING'), next: snap('WORKING', 'STOPPED'), event: tick(2) });
    const m = r.read();
    assert.equal(m.flaps, 1);
    assert.equal(m.successfulConnects, 0);
    assert.equal(m.statusChanges, 2);
  });

  it('counts flaps by the machine\'s one definition: a STOPPED → WORKING transition, however STOPPED began', () => {
    const r = createMetricsRecorder();
    r.record({ prev: snap('STOPPED'), next: snap('WORKING', 'STOPPED'), event: tick(1) });
    r.record({ prev: snap('STARTING'), next: snap('WORKING', 'STARTING'), event: tick(2) });
    assert.equal(r.read().flaps, 1);
  });

  it('measures time from the first QR of an attempt to WORKING and keeps the last samples', () => {
    const r = createMetricsRecorder();
    for (let i = 0; i < MAX_TIME_TO_CONNECT_SAMPLES + 5; i += 1) {
      r.record({ prev: snap('STARTING'), next: snap('SCAN_QR'), event: tick(i * 1000) });
      r.record({ prev: snap('SCAN_QR'), next: snap('WORKING'), event: tick(i * 1000 + i) });
      r.record({ prev: snap('WORKING'), next: snap('STARTING'), event: tick(i * 1000 + 999) });
    }
    const m = r.read();
    assert.equal(m.timeToConnectMs.length, MAX_TIME_TO_CONNECT_SAMPLES);
    assert.equal(m.timeToConnectMs.at(-1), MAX_TIME_TO_CONNECT_SAMPLES + 4);
    assert.equal(m.successRate, 1);
  });
});
