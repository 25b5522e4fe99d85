import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lazy } from '../src/lazy.js';

describe('lazy()', () => {
  it('loads once, joins a load under way, and answers null once loaded', async () => {
    let calls = 0;
    const value = lazy(async () => ++calls);
    assert.equal(value.value, undefined);
    const first = value.load();
    assert.equal(value.load(), first, 'a second call joins the first load');
    assert.equal(await first, 1);
    assert.equal(value.value, 1);
    assert.equal(value.load(), null);
    assert.equal(calls, 1);
  });

  it('forgets a failed load, so that the next call tries again', async () => {
    let calls = 0;
    const value = lazy(async () => {
      calls++;
      if (calls === 1) throw new Error('offline');
      return 'loaded';
    });
    await assert.rejects(value.load() as Promise<string>, /offline/);
    assert.equal(value.value, undefined);
    assert.equal(await value.load(), 'loaded');
    assert.equal(calls, 2);
  });
});
