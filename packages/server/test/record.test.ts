// The record's fold as a table: what one observation makes of the stored record.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldObservation, isStale, judgeEvent, observationChange, type Observation } from '../src/record.js';
import type { SessionRecord } from '../src/store.js';

const WAHA = 'http://waha:3000';
const seen = (status: string, at: number, extra: Partial<Observation> = {}): Observation => ({ sessionName: 'eagles_1', wahaUrl: WAHA, status, at, ...extra });

/** Folds the observations one after the other from no record. */
function run(...observations: Observation[]): SessionRecord {
  let record: SessionRecord | null = null;
  for (const observation of observations) record = foldObservation(record, observation);
  return record!;
}

describe('foldObservation', () => {
  const cases: Array<{ name: string; steps: Observation[]; expect: Partial<SessionRecord> }> = [
    {
      name: 'a first observation: status since now, nothing before it',
      steps: [seen('STARTING', 10, { created: true })],
      expect: { status: 'STARTING', statusSince: 10, previousStatus: null, connected: false, attemptStartedAt: 10, qrSeenAt: null, linkedAt: null },
    },
    {
      name: 'the same status again keeps its since and its previous status',
      steps: [seen('STARTING', 10), seen('SCAN_QR', 20), seen('SCAN_QR', 30)],
      expect: { status: 'SCAN_QR', statusSince: 20, previousStatus: 'STARTING', qrSeenAt: 20 },
    },
    {
      name: 'WORKING links, with its time',
      steps: [seen('SCAN_QR', 20), seen('WORKING', 40)],
      expect: { connected: true, linkedAt: 40, previousStatus: 'SCAN_QR', reason: null },
    },
    {
      name: 'STOPPED and STARTING after WORKING keep the link and its time',
      steps: [seen('WORKING', 40), seen('STOPPED', 50), seen('STARTING', 60)],
      expect: { connected: true, linkedAt: 40, status: 'STARTING', previousStatus: 'STOPPED' },
    },
    {
      name: 'a start of a linked session is a new attempt that keeps the link',
      steps: [seen('WORKING', 40), seen('STOPPED', 50), seen('STARTING', 60, { restarted: true })],
      expect: { connected: true, attemptStartedAt: 60 },
    },
    {
      name: 'a logout ends the link, even through STARTING',
      steps: [seen('WORKING', 40), seen('STARTING', 50, { unlinked: true })],
      expect: { connected: false, linkedAt: null },
    },
    {
      name: 'a new session ends the link',
      steps: [seen('WORKING', 40), seen('STARTING', 50, { created: true })],
      expect: { connected: false, linkedAt: null, attemptStartedAt: 50 },
    },
    {
      name: 'FAILED after a QR is an expired code',
      steps: [seen('SCAN_QR', 20), seen('FAILED', 180)],
      expect: { reason: 'qr_expired', previousStatus: 'SCAN_QR', connected: false },
    },
    {
      name: 'and stays explained while FAILED',
      steps: [seen('SCAN_QR', 20), seen('FAILED', 180), seen('FAILED', 190)],
      expect: { reason: 'qr_expired' },
    },
    {
      name: 'FAILED after WORKING is not',
      steps: [seen('WORKING', 40), seen('FAILED', 50)],
      expect: { reason: null, connected: false, linkedAt: null },
    },
    {
      name: 'a new attempt forgets the QR time of the last one',
      steps: [seen('SCAN_QR', 20), seen('FAILED', 180), seen('STARTING', 200, { restarted: true })],
      expect: { qrSeenAt: null, attemptStartedAt: 200 },
    },
    {
      name: 'the newest event is remembered; an older one does not replace it',
      steps: [seen('SCAN_QR', 20, { event: { id: 'b', timestamp: 5 } }), seen('SCAN_QR', 30, { event: { id: 'a', timestamp: 4 } })],
      expect: { eventId: 'b', eventAt: 5 },
    },
    {
      name: 'WAHA answering clears the last error',
      steps: [seen('WORKING', 40)],
      expect: { lastError: null, wahaUrl: WAHA, sessionName: 'eagles_1' },
    },
  ];
  for (const { name, steps, expect } of cases) {
    it(name, () => {
      const record = run(...steps);
      for (const [field, value] of Object.entries(expect)) assert.equal(record[field as keyof SessionRecord], value, field);
    });
  }
});

describe('staleness and the update change', () => {
  const stored: SessionRecord = { sessionName: 'eagles_1', connected: true, status: 'WORKING', statusSince: 100, wahaUrl: WAHA };

  it('an observation whose read began before a recorded change is stale, unless it agrees', () => {
    assert.equal(isStale(stored, seen('STARTING', 120, { readSince: 90 })), true);
    assert.equal(isStale(stored, seen('WORKING', 120, { readSince: 90 })), false);
    assert.equal(isStale(stored, seen('STARTING', 120, { readSince: 100 })), false);
    assert.equal(isStale(stored, seen('STARTING', 120)), false, 'no read time: not judged');
  });

  it('writes nothing when nothing changes or the observation is stale', () => {
    const settled = foldObservation(stored, seen('WORKING', 110));
    assert.equal(observationChange(seen('WORKING', 130))(settled), null);
    assert.equal(observationChange(seen('STARTING', 130, { readSince: 90 }))(settled), null);
    assert.equal(observationChange(seen('STOPPED', 130, { readSince: 120 }))(settled)?.status, 'STOPPED');
  });
});

describe('judgeEvent', () => {
  const record: SessionRecord = { sessionName: 'eagles_1', connected: true, status: 'WORKING', eventId: 'e5', eventAt: 5_000 };
  const cases: Array<[string, { id: string | null; timestamp: number | null; status: string }, ReturnType<typeof judgeEvent>]> = [
    ['the newest applied event again', { id: 'e5', timestamp: 5_000, status: 'WORKING' }, 'duplicate'],
    ['an older event', { id: 'e4', timestamp: 4_000, status: 'STARTING' }, 'stale'],
    ['an older event that agrees', { id: 'e3', timestamp: 3_000, status: 'WORKING' }, 'stale'],
    ['a newer event that contradicts the record', { id: 'e6', timestamp: 6_000, status: 'STARTING' }, 'confirm'],
    ['a newer event that agrees', { id: 'e6', timestamp: 6_000, status: 'WORKING' }, 'apply'],
    ['an event of the same millisecond, another id', { id: 'e7', timestamp: 5_000, status: 'WORKING' }, 'apply'],
    ['an event without id nor timestamp (WAHA 2024)', { id: null, timestamp: null, status: 'WORKING' }, 'confirm'],
  ];
  for (const [name, event, expected] of cases) it(`${name} → ${expected}`, () => assert.equal(judgeEvent(record, event), expected));

  it('the first event of a record without events is placed by status alone', () => {
    assert.equal(judgeEvent({ sessionName: 'eagles_1', connected: false, status: 'SCAN_QR' }, { id: 'a', timestamp: 1, status: 'SCAN_QR' }), 'apply');
    assert.equal(judgeEvent({ sessionName: 'eagles_1', connected: false }, { id: 'a', timestamp: 1, status: 'SCAN_QR' }), 'confirm');
  });
});
