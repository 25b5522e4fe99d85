import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { backoffCap, backoffDelay, DEFAULT_BACKOFF } from '../src/backoff.js';

const none = { ...DEFAULT_BACKOFF, jitter: 'none' as const };

describe('backoff', () => {
  it('doubles from 2 s to a 60 s cap without jitter', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 50].map((n) => backoffDelay(n, none, () => 0.5));
    assert.deepEqual(delays, [2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000]);
  });

  it('is 0 when nothing failed', () => {
    assert.equal(backoffDelay(0, DEFAULT_BACKOFF, () => 0.9), 0);
    assert.equal(backoffCap(-1, DEFAULT_BACKOFF), 0);
  });

  it('full jitter draws within [0, cap] using the random source', () => {
    assert.equal(backoffDelay(3, DEFAULT_BACKOFF, () => 0), 0);
    assert.equal(backoffDelay(3, DEFAULT_BACKOFF, () => 0.5), 4000);
    assert.equal(backoffDelay(3, DEFAULT_BACKOFF, () => 0.999999), 7999);
  });

  it('stays within [0, min(maxMs, initialMs·2^(n-1))] for any failure count and random value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, r) => {
        const delay = backoffDelay(n, DEFAULT_BACKOFF, () => r);
        const cap = Math.min(60_000, 2000 * 2 ** Math.min(n - 1, 60));
        assert.ok(delay >= 0 && delay <= cap, `${delay} for n=${n}`);
        assert.ok(Number.isInteger(delay));
      }),
    );
  });

  it('is never negative, whatever options it is given (0 for negative steps)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 2000 }), fc.double(), fc.double(), (n, initialMs, maxMs) => {
        const cap = backoffCap(n, { initialMs, maxMs, jitter: 'none' });
        assert.ok(!(cap < 0), `${cap} for n=${n}, initialMs=${initialMs}, maxMs=${maxMs}`);
      }),
    );
    assert.equal(backoffCap(3, { initialMs: -2000, maxMs: 60_000, jitter: 'none' }), 0);
  });

  it('survives a broken random source', () => {
    for (const r of [Number.NaN, -1, 2, Number.POSITIVE_INFINITY]) {
      const delay = backoffDelay(2, DEFAULT_BACKOFF, () => r);
      assert.ok(delay >= 0 && delay <= 4000, String(delay));
    }
  });
});
