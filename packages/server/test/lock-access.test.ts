import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createMemoryLock, type ActionLock } from '../src/index.js';
import { harness, json, type Harness } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

/** A shared lock whose backend (a database) refuses while `down` is on. */
function breakableLock() {
  const inner = createMemoryLock();
  const state = { down: false };
  const lock: ActionLock = {
    run: (key, task, options) => (state.down ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) : inner.run(key, task, options)),
  };
  return { lock, state };
}

describe('an action lock whose backend fails', () => {
  it('answers 503 store_error, as the store does, and logs lock.error once', async () => {
    const { lock, state } = breakableLock();
    h = await harness({ handler: { lock } });
    assert.equal((await h.get('1')).status, 200);
    state.down = true;
    const response = await h.post('1', { action: 'reconnect' });
    assert.equal(response.status, 503);
    assert.deepEqual(await json(response), { error: { code: 'store_error', message: 'The session store is unavailable. Try again shortly.' } });
    assert.deepEqual(
      h.logs.filter((r) => r.event === 'lock.error').map((r) => [r.level, r.orgId, r.errorName]),
      [['error', '1', 'Error']],
    );
    state.down = false;
    assert.equal((await h.post('1', { action: 'reconnect' })).status, 200);
  });

  it('leaves the task’s own failures as they were (WAHA down is still a 502)', async () => {
    const { lock } = breakableLock();
    h = await harness({ handler: { lock } });
    assert.equal((await h.get('1')).status, 200);
    await h.sim.close();
    const response = await h.post('1', { action: 'reconnect' });
    assert.equal(response.status, 502, JSON.stringify(await json(response.clone())));
    assert.equal(h.logs.filter((r) => r.event === 'lock.error').length, 0);
  });
});
