import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultTimers } from '../src/timers.js';

describe('default timers', () => {
  it('schedule and cancel through the global timers', async () => {
    let fired = 0;
    const cancelled = defaultTimers.setTimeout(() => fired++, 0);
    defaultTimers.clearTimeout(cancelled);
    await new Promise<void>((resolve) => defaultTimers.setTimeout(resolve, 1));
    assert.equal(fired, 0);
    assert.ok(Math.abs(defaultTimers.now() - Date.now()) < 1000);
  });
});
