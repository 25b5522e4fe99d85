import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { backoffCap, backoffDelay, DEFAULT_BACKOFF } from '../src/backoff.js';
import { MAX_TIMER_DELAY_MS } from '../src/timers.js';

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

  it('is a finite delay from 0 to the longest a timer waits, whatever failure count and options it is given', () => {
    // Counts and options as a caller may pass them (backoffCap is public): 0, negative, fractional, NaN, ±Infinity.
    const count = fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double());
    fc.assert(
      fc.property(count, fc.double(), fc.double(), (n, initialMs, maxMs) => {
        const cap = backoffCap(n, { initialMs, maxMs, jitter: 'none' });
        assert.ok(Number.isFinite(cap) && cap >= 0 && cap <= MAX_TIMER_DELAY_MS, `${cap} for n=${n}, initialMs=${initialMs}, maxMs=${maxMs}`);
        const delay = backoffDelay(n, { initialMs, maxMs, jitter: 'full' }, Math.random);
        assert.ok(Number.isFinite(delay) && delay >= 0 && delay <= cap, `${delay} for n=${n}, initialMs=${initialMs}, maxMs=${maxMs}`);
      }),
    );
  });

  it('gives 0 for a negative or NaN step or cap, and for no failure', () => {
    for (const [n, initialMs, maxMs] of [
      [3, -2000, 60_000],
      [3, Number.NaN, 60_000],
      [3, 2000, Number.NaN],
      [3, 2000, -1],
      [2000, 0, 60_000],
      [Number.POSITIVE_INFINITY, 0, 60_000],
      [Number.NaN, 2000, 60_000],
      [Number.NEGATIVE_INFINITY, 2000, 60_000],
    ]) {
      assert.equal(backoffCap(n!, { initialMs: initialMs!, maxMs: maxMs!, jitter: 'none' }), 0, `n=${n}, initialMs=${initialMs}, maxMs=${maxMs}`);
    }
  });

  it('never exceeds the longest delay a timer waits (a longer setTimeout fires at once: a retry storm)', () => {
    const unbounded = { initialMs: 2000, maxMs: Number.POSITIVE_INFINITY, jitter: 'none' as const };
    assert.equal(backoffCap(40, unbounded), MAX_TIMER_DELAY_MS);
    assert.equal(backoffCap(Number.POSITIVE_INFINITY, unbounded), MAX_TIMER_DELAY_MS);
    assert.equal(backoffCap(1, { ...unbounded, initialMs: Number.POSITIVE_INFINITY }), MAX_TIMER_DELAY_MS);
    assert.equal(backoffCap(30, { ...unbounded, maxMs: 1e12 }), MAX_TIMER_DELAY_MS);
    assert.equal(backoffCap(20, unbounded), 2000 * 2 ** 19);
  });

  it('survives a broken random source', () => {
    for (const r of [Number.NaN, -1, 2, Number.POSITIVE_INFINITY]) {
      const delay = backoffDelay(2, DEFAULT_BACKOFF, () => r);
      assert.ok(delay >= 0 && delay <= 4000, String(delay));
    }
  });
});
