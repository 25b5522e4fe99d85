import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultTuning, MIN_INTERVAL_MS, resolveCadence, resolveCredentials, resolveEndpoint, resolveOptions } from '../src/config.js';
import { DEFAULT_ENDPOINT } from '../src/contract/types.js';
import { MAX_TIMER_DELAY_MS } from '../src/timers.js';

describe('resolveCadence', () => {
  it('keeps usable intervals and fills the defaults', () => {
    assert.deepEqual(resolveCadence(), { waitingMs: 8000, connectedMs: 30_000 });
    assert.deepEqual(resolveCadence({ waitingMs: 5000 }), { waitingMs: 5000, connectedMs: 30_000 });
    assert.deepEqual(resolveCadence({ waitingMs: 2000, connectedMs: 12_000 }), { waitingMs: 2000, connectedMs: 12_000 });
  });

  it('never goes below the 1 s floor; unusable values take the default', () => {
    assert.equal(MIN_INTERVAL_MS, 1000);
    assert.deepEqual(resolveCadence({ waitingMs: 0, connectedMs: 999 }), { waitingMs: 1000, connectedMs: 1000 });
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '5000', null, {}]) {
      assert.deepEqual(resolveCadence({ waitingMs: bad, connectedMs: bad }), { waitingMs: 8000, connectedMs: 30_000 }, String(bad));
    }
  });

  it('never exceeds the longest delay a timer waits (a longer setTimeout fires at once: a request storm)', () => {
    assert.deepEqual(resolveCadence({ waitingMs: 1e12, connectedMs: MAX_TIMER_DELAY_MS + 1 }), { waitingMs: MAX_TIMER_DELAY_MS, connectedMs: MAX_TIMER_DELAY_MS });
    const resolved = resolveOptions({ timeoutMs: 1e12, streamFallbackMs: 1e12, backoff: { initialMs: 1e12, maxMs: 1e13 } });
    assert.equal(resolved.timeoutMs, MAX_TIMER_DELAY_MS);
    assert.equal(resolved.streamFallbackMs, MAX_TIMER_DELAY_MS);
    assert.deepEqual(resolved.backoff, { initialMs: MAX_TIMER_DELAY_MS, maxMs: MAX_TIMER_DELAY_MS, jitter: 'full' });
  });

  it('is what a client uses', () => {
    assert.deepEqual(resolveOptions({ cadence: { waitingMs: 10 } }).cadence, resolveCadence({ waitingMs: 10 }));
  });
});

describe('defaultTuning', () => {
  it('is what a client given no tuning options resolves to (the element-owned client takes it as it is)', () => {
    const defaults = defaultTuning();
    const resolved = resolveOptions({ endpoint: '/x', headers: { 'X-Org': '7' }, cadence: { waitingMs: 5000 } });
    const picked = Object.fromEntries(Object.keys(defaults).map((key) => [key, resolved[key as keyof typeof defaults]]));
    assert.deepEqual(picked, defaults);
    assert.deepEqual(Object.keys(defaults).sort(), ['EventSource', 'backoff', 'random', 'streamFallbackMs', 'timeoutMs', 'timers', 'visibility']);
  });
});

describe('resolveCredentials and resolveEndpoint', () => {
  it('keeps the three fetch modes and turns anything else into same-origin', () => {
    for (const mode of ['omit', 'same-origin', 'include'] as const) assert.equal(resolveCredentials(mode), mode);
    for (const bad of [undefined, '', 'INCLUDE', 'cors', 1]) assert.equal(resolveCredentials(bad), 'same-origin');
    assert.equal(resolveOptions({ credentials: 'bogus' as RequestCredentials }).credentials, 'same-origin');
  });

  it('keeps a non-empty endpoint, else the default', () => {
    assert.equal(resolveEndpoint('/x'), '/x');
    for (const bad of [undefined, '', 42]) assert.equal(resolveEndpoint(bad), DEFAULT_ENDPOINT);
  });
});
