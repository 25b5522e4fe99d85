import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { backoffDelay, DEFAULT_BACKOFF } from '../src/backoff.js';
import { createPoller, type Poller } from '../src/poller.js';
import { FakeClock, settle } from '../test-kit/index.js';
import { FakeVisibility } from '../test-kit/index.js';

interface Call {
  at: number;
  signal: AbortSignal;
  finish: () => void;
}

let clock: FakeClock;
let visibility: FakeVisibility;
let calls: Call[];
let schedules: (number | null)[];
let delay: () => number | null;
let autoFinish: boolean;
let poller: Poller;

function makePoller(): Poller {
  return createPoller({
    timers: clock,
    visibility,
    poll(signal) {
      return new Promise<void>((resolve) => {
        const call = { at: clock.now(), signal, finish: resolve };
        calls.push(call);
        signal.addEventListener('abort', () => resolve());
        if (autoFinish) resolve();
      });
    },
    nextDelay: () => delay(),
    onSchedule: (at) => schedules.push(at),
  });
}

beforeEach(() => {
  clock = new FakeClock(0);
  visibility = new FakeVisibility(true);
  calls = [];
  schedules = [];
  delay = () => 8000;
  autoFinish = true;
  poller = makePoller();
});

afterEach(() => {
  poller.stop();
  assert.equal(clock.pending, 0, 'no timer left after stop');
  assert.equal(visibility.listenerCount, 0, 'no visibility listener left after stop');
});

const times = () => calls.map((call) => call.at);

describe('poller: cadence', () => {
  it('polls at once on start, then exactly every nextDelay ms', async () => {
    poller.start();
    await settle();
    assert.deepEqual(times(), [0]);
    assert.equal(schedules.at(-1), 8000);
    await clock.advance(7999);
    assert.deepEqual(times(), [0]);
    await clock.advance(1);
    assert.deepEqual(times(), [0, 8000]);
    delay = () => 30_000;
    await clock.advance(8000);
    assert.deepEqual(times(), [0, 8000, 16_000]);
    await clock.advance(30_000);
    assert.deepEqual(times(), [0, 8000, 16_000, 46_000]);
  });

  it('waits for the poll to finish before counting the next delay', async () => {
    autoFinish = false;
    poller.start();
    await clock.advance(5000);
    assert.equal(clock.pending, 0, 'nothing is scheduled while a poll is in flight');
    assert.equal(schedules.at(-1), null);
    calls[0]?.finish();
    await settle();
    assert.equal(schedules.at(-1), 13_000);
  });

  it('follows a backoff sequence exactly (jitter none) and within bounds (full jitter)', async () => {
    let failures = 0;
    const none = { ...DEFAULT_BACKOFF, jitter: 'none' as const };
    delay = () => backoffDelay(++failures, none, Math.random);
    poller.start();
    await clock.advance(2000 + 4000 + 8000 + 16_000 + 32_000 + 60_000 + 60_000);
    assert.deepEqual(times(), [0, 2000, 6000, 14_000, 30_000, 62_000, 122_000, 182_000]);

    poller.stop();
    calls = [];
    failures = 0;
    delay = () => backoffDelay(++failures, DEFAULT_BACKOFF, Math.random);
    poller.start();
    await settle();
    for (let n = 1; n <= 10; n += 1) {
      const scheduledAt = schedules.at(-1);
      assert.ok(scheduledAt !== null && scheduledAt !== undefined);
      const wait = scheduledAt - clock.now();
      assert.ok(wait >= 0 && wait <= Math.min(60_000, 2000 * 2 ** (n - 1)), `failure ${n}: ${wait}`);
      await clock.advanceTo(scheduledAt);
    }
    assert.equal(calls.length, 11);
  });

  it('schedules nothing when nextDelay is null, until reschedule()', async () => {
    delay = () => null;
    poller.start();
    await clock.advance(100_000);
    assert.equal(calls.length, 1);
    assert.equal(clock.pending, 0);
    delay = () => 1000;
    poller.reschedule();
    await clock.advance(1000);
    assert.equal(calls.length, 2);
  });

  it('keeps going when poll() rejects', async () => {
    const rejecting = createPoller({
      timers: clock,
      visibility,
      poll: async () => {
        calls.push({ at: clock.now(), signal: new AbortController().signal, finish: () => {} });
        throw new Error('bug');
      },
      nextDelay: () => 1000,
      onSchedule: () => {},
    });
    rejecting.start();
    await clock.advance(2000);
    assert.deepEqual(times(), [0, 1000, 2000]);
    rejecting.stop();
  });
});

describe('poller: one request at a time', () => {
  it('pollNow joins the poll in flight', async () => {
    autoFinish = false;
    poller.start();
    const a = poller.pollNow();
    const b = poller.pollNow();
    assert.equal(calls.length, 1);
    assert.equal(b, a, 'the same poll');
    calls[0]?.finish();
    await Promise.all([a, b]);
    void poller.pollNow();
    assert.equal(calls.length, 2, 'once it settled, the next pollNow sends again');
  });

  it('pollNow restarts the cadence from its own answer', async () => {
    poller.start();
    await clock.advance(3000);
    await poller.pollNow();
    assert.deepEqual(times(), [0, 3000]);
    await clock.advance(7999);
    assert.equal(calls.length, 2, 'the old timer was cleared');
    await clock.advance(1);
    assert.deepEqual(times(), [0, 3000, 11_000]);
  });

  it('pollNow works on a stopped poller and schedules nothing after', async () => {
    await poller.pollNow();
    assert.equal(calls.length, 1);
    assert.equal(clock.pending, 0);
  });
});

describe('poller: abort and stop', () => {
  it('abort() aborts the poll in flight and clears the timer while nextDelay() says none; reschedule() schedules', async () => {
    autoFinish = false;
    poller.start();
    delay = () => null;
    poller.abort();
    assert.equal(calls[0]?.signal.aborted, true);
    assert.equal(schedules.at(-1), null);
    await settle();
    assert.equal(clock.pending, 0, 'an aborted poll does not reschedule');
    delay = () => 8000;
    poller.reschedule();
    assert.equal(schedules.at(-1), 8000);
    await clock.advance(8000);
    assert.equal(calls.length, 2);
  });

  it('stop aborts the poll in flight, leaves no timer and no listener', async () => {
    autoFinish = false;
    poller.start();
    poller.stop();
    assert.equal(calls[0]?.signal.aborted, true);
    calls[0]?.finish();
    await clock.advance(100_000);
    assert.equal(calls.length, 1);
    assert.equal(clock.pending, 0);
    assert.equal(visibility.listenerCount, 0);
    assert.equal(schedules.at(-1), null);
  });

  it('a stale poll that settles after a newer one started does not touch the schedule', async () => {
    autoFinish = false;
    poller.start();
    const stale = calls[0];
    poller.abort();
    const fresh = poller.pollNow();
    assert.equal(calls.length, 2);
    stale?.finish();
    await settle();
    assert.equal(poller.pollNow(), fresh, 'the new poll is still the one in flight');
    assert.equal(clock.pending, 0, 'the stale poll scheduled nothing');
    calls[1]?.finish();
    await fresh;
    assert.deepEqual(clock.dueTimes, [8000]);
  });

  it('start after stop polls at once again', async () => {
    poller.start();
    await clock.advance(1000);
    poller.stop();
    poller.start();
    await settle();
    assert.deepEqual(times(), [0, 1000]);
  });
});

describe('poller: visibility', () => {
  it('sends nothing while hidden, refreshes at once when shown, then resumes the cadence', async () => {
    poller.start();
    await clock.advance(1000);
    visibility.set(false);
    assert.equal(clock.pending, 0);
    await clock.advance(60_000);
    assert.deepEqual(times(), [0]);
    visibility.set(true);
    await settle();
    assert.deepEqual(times(), [0, 61_000]);
    await clock.advance(8000);
    assert.deepEqual(times(), [0, 61_000, 69_000]);
  });

  it('starting hidden waits for the page to be shown', async () => {
    visibility.set(false);
    poller.start();
    await clock.advance(30_000);
    assert.equal(calls.length, 0);
    visibility.set(true);
    await settle();
    assert.deepEqual(times(), [30_000]);
  });

  it('showing the page does not poll when the cadence says stop', async () => {
    poller.start();
    await settle();
    delay = () => null;
    visibility.set(false);
    visibility.set(true);
    await settle();
    assert.equal(calls.length, 1);
  });

  it('showing the page while a poll is in flight does not send a second one', async () => {
    autoFinish = false;
    poller.start();
    visibility.set(false);
    visibility.set(true);
    await settle();
    assert.equal(calls.length, 1);
    calls[0]?.finish();
  });

  it('a poll that finishes while hidden schedules nothing', async () => {
    autoFinish = false;
    poller.start();
    visibility.set(false);
    calls[0]?.finish();
    await settle();
    assert.equal(clock.pending, 0);
  });
});
