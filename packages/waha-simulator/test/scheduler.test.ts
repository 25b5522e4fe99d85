import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Scheduler } from '../src/scheduler.js';
import type { SimulatorClock } from '../src/index.js';
import { createTestClock } from './helpers/fake-clock.js';

describe('Scheduler (one clock timer for every delayed step)', () => {
  it('runs tasks in (due, scheduling) order, each exactly on time', () => {
    const clock = createTestClock(0);
    const scheduler = new Scheduler(clock);
    const ran: string[] = [];
    scheduler.schedule(20, () => ran.push(`b@${clock.now()}`));
    scheduler.schedule(10, () => ran.push(`a@${clock.now()}`));
    scheduler.schedule(20, () => ran.push(`c@${clock.now()}`));
    assert.equal(clock.pendingTimers(), 1);
    assert.equal(scheduler.size, 3);
    clock.tick(9);
    assert.deepEqual(ran, []);
    clock.tick(1);
    assert.deepEqual(ran, ['a@10']);
    clock.tick(10);
    assert.deepEqual(ran, ['a@10', 'b@20', 'c@20']);
    assert.equal(scheduler.size, 0);
    assert.equal(clock.pendingTimers(), 0);
  });

  it('re-arms for an earlier task and clears the timer when the last task is cancelled', () => {
    const clock = createTestClock(0);
    const scheduler = new Scheduler(clock);
    const ran: number[] = [];
    const late = scheduler.schedule(100, () => ran.push(100));
    scheduler.schedule(5, () => ran.push(5));
    assert.equal(clock.pendingTimers(), 1);
    clock.tick(5);
    assert.deepEqual(ran, [5]);
    scheduler.cancel(late);
    scheduler.cancel(late);
    assert.equal(scheduler.size, 0);
    assert.equal(clock.pendingTimers(), 0);
    clock.tick(1000);
    assert.deepEqual(ran, [5]);
  });

  it('a task scheduled for now by a running task runs in the same pass', () => {
    const clock = createTestClock(0);
    const scheduler = new Scheduler(clock);
    const ran: string[] = [];
    scheduler.schedule(10, () => {
      ran.push('first');
      scheduler.schedule(0, () => ran.push('second'));
      scheduler.schedule(5, () => ran.push('third'));
    });
    clock.tick(10);
    assert.deepEqual(ran, ['first', 'second']);
    clock.tick(5);
    assert.deepEqual(ran, ['first', 'second', 'third']);
  });

  it('cancelling one of many skips only that one', () => {
    const clock = createTestClock(0);
    const scheduler = new Scheduler(clock);
    const ran: number[] = [];
    const tasks = [1, 2, 3, 4].map((n) => scheduler.schedule(n, () => ran.push(n)));
    scheduler.cancel(tasks[0]!);
    scheduler.cancel(tasks[2]!);
    clock.tick(10);
    assert.deepEqual(ran, [2, 4]);
  });

  it('waits again when a real timer fires before the due time', () => {
    let now = 0;
    const timers: { fn: () => void; ms: number }[] = [];
    const clock: SimulatorClock = {
      now: () => now,
      setTimeout: (fn, ms) => timers.push({ fn, ms }),
      clearTimeout: () => {},
    };
    const scheduler = new Scheduler(clock);
    let ran = false;
    scheduler.schedule(10, () => {
      ran = true;
    });
    now = 9;
    timers.shift()?.fn();
    assert.equal(ran, false);
    assert.equal(timers[0]?.ms, 1, 're-armed for the remaining millisecond');
    now = 10;
    timers.shift()?.fn();
    assert.equal(ran, true);
  });

  it('dispose cancels everything', () => {
    const clock = createTestClock(0);
    const scheduler = new Scheduler(clock);
    let ran = 0;
    for (let index = 0; index < 5; index += 1) scheduler.schedule(index, () => (ran += 1));
    scheduler.dispose();
    assert.equal(scheduler.size, 0);
    assert.equal(clock.pendingTimers(), 0);
    clock.tick(100);
    assert.equal(ran, 0);
  });
});
