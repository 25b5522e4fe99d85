import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { healthStatus, reduceHealth, sameHealth, type HealthRules, type SessionHealth } from '../src/index.js';

const RULES: HealthRules = { threshold: 3, windowMs: 10_000, stableMs: 5_000 };

/** A health record in one line: `status health [drops] since`. */
const h = (status: string, health: SessionHealth['health'] = 'ok', drops: number[] = [], workingSince: number | null = null): SessionHealth => ({
  status,
  health,
  drops,
  workingSince,
});

/**
 * The rules as a table: the health before, the status observed and when →
 * the health after and the transition reported (type:previousStatus), if any.
 */
const TABLE: Array<[name: string, before: SessionHealth | undefined, status: string, at: number, after: SessionHealth, change: string | null]> = [
  ['first sight WORKING', undefined, 'WORKING', 100, h('WORKING', 'ok', [], 100), null],
  ['first sight SCAN_QR', undefined, 'SCAN_QR', 100, h('SCAN_QR'), null],
  ['first sight FAILED is a failure', undefined, 'FAILED', 100, h('FAILED', 'failed'), 'failed:null'],
  ['first sight ERROR is a failure', undefined, 'ERROR', 100, h('ERROR', 'failed'), 'failed:null'],
  ['WORKING → FAILED', h('WORKING', 'ok', [], 0), 'FAILED', 1000, h('FAILED', 'failed', [1000]), 'failed:WORKING'],
  ['FAILED → ERROR stays one failure', h('FAILED', 'failed'), 'ERROR', 1000, h('ERROR', 'failed'), null],
  ['FAILED → STARTING is not yet a recovery', h('FAILED', 'failed'), 'STARTING', 1000, h('STARTING', 'failed'), null],
  ['failed → WORKING recovers and forgets drops', h('SCAN_QR', 'failed', [500]), 'WORKING', 1000, h('WORKING', 'ok', [], 1000), 'recovered:SCAN_QR'],
  ['a first drop', h('WORKING', 'ok', [], 0), 'STOPPED', 1000, h('STOPPED', 'ok', [1000]), null],
  ['back to WORKING', h('STOPPED', 'ok', [1000]), 'WORKING', 2000, h('WORKING', 'ok', [1000], 2000), null],
  ['the third drop in the window flaps', h('WORKING', 'ok', [1000, 3000], 4000), 'STOPPED', 5000, h('STOPPED', 'flapping', [1000, 3000, 5000]), 'flapping:WORKING'],
  ['drops older than the window are forgotten', h('WORKING', 'ok', [1000, 3000], 12_000), 'STOPPED', 12_500, h('STOPPED', 'ok', [3000, 12_500]), null],
  ['a drop exactly at the window edge still counts', h('WORKING', 'ok', [1000, 3000], 10_000), 'STOPPED', 11_000, h('STOPPED', 'flapping', [1000, 3000, 11_000]), 'flapping:WORKING'],
  ['a fourth drop is the same episode', h('WORKING', 'flapping', [1000, 3000, 5000], 6000), 'STOPPED', 7000, h('STOPPED', 'flapping', [1000, 3000, 5000, 7000]), null],
  ['flapping → WORKING is not yet stable', h('STOPPED', 'flapping', [5000]), 'WORKING', 8000, h('WORKING', 'flapping', [5000], 8000), null],
  ['WORKING for 4,999 ms is not yet stable', h('WORKING', 'flapping', [5000], 8000), 'WORKING', 12_999, h('WORKING', 'flapping', [5000], 8000), null],
  ['WORKING for stableMs ends the episode', h('WORKING', 'flapping', [5000], 8000), 'WORKING', 13_000, h('WORKING', 'ok', [], 8000), 'recovered:WORKING'],
  ['a flapping session that fails is a failure', h('WORKING', 'flapping', [5000], 8000), 'FAILED', 9000, h('FAILED', 'failed', [5000, 9000]), 'failed:WORKING'],
  ['an unknown status is kept as it is', h('WORKING', 'ok', [], 0), 'REBOOTING', 1000, h('REBOOTING', 'ok', [1000]), null],
  ['the same status changes nothing', h('SCAN_QR'), 'SCAN_QR', 1000, h('SCAN_QR'), null],
];

describe('reduceHealth', () => {
  for (const [name, before, status, at, after, change] of TABLE) {
    it(name, () => {
      const frozen = before ? Object.freeze({ ...before, drops: Object.freeze([...before.drops]) as number[] }) : undefined;
      const step = reduceHealth(frozen, status, at, RULES);
      assert.deepEqual(step.state, after);
      assert.equal(step.change ? `${step.change.type}:${step.change.previousStatus}` : null, change);
    });
  }

  it('is pure: the same input gives the same output, the input untouched', () => {
    const before = h('WORKING', 'ok', [1000, 3000], 4000);
    const copy = structuredClone(before);
    assert.deepEqual(reduceHealth(before, 'STOPPED', 5000, RULES), reduceHealth(before, 'STOPPED', 5000, RULES));
    assert.deepEqual(before, copy);
  });

  it('reports a real change once: replaying the same observation reports nothing', () => {
    const first = reduceHealth(h('WORKING', 'ok', [], 0), 'FAILED', 1000, RULES);
    const again = reduceHealth(first.state, 'FAILED', 1000, RULES);
    assert.equal(again.change, null);
    assert.ok(sameHealth(first.state, again.state));
  });

  it('speaks the wire spelling', () => {
    assert.equal(healthStatus('SCAN_QR_CODE'), 'SCAN_QR');
    assert.equal(healthStatus('WORKING'), 'WORKING');
    assert.equal(healthStatus('NEW_THING'), 'NEW_THING');
  });
});
