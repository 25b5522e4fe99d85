import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isLockBusyError } from '../../src/index.js';
import { createPostgresLease, createPostgresLock, migrate } from '../../src/postgres/index.js';
import { until } from '../helpers.js';
import { createTestDatabase, type TestDatabase } from './database.js';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
  await migrate({ pool: db.pool });
});
after(async () => {
  await db.drop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A task that records when it ran and holds the lock for `ms`. */
function recorder() {
  const events: string[] = [];
  return {
    events,
    task: (name: string, ms: number) => async () => {
      events.push(`${name}:start`);
      await sleep(ms);
      events.push(`${name}:end`);
      return name;
    },
  };
}

describe('createPostgresLock', () => {
  it('runs one task per key at a time across instances, other keys in parallel', async () => {
    const a = createPostgresLock({ pool: db.newPool({ max: 4 }) });
    const b = createPostgresLock({ pool: db.newPool({ max: 4 }) });
    const r = recorder();
    const first = a.run('org-1', r.task('a1', 800), { waitMs: 2000 });
    await until('a1 to start, holding org-1', () => r.events.includes('a1:start'), { timeoutMs: 3000, intervalMs: 5 });
    const second = b.run('org-1', r.task('b1', 10), { waitMs: 2000 });
    const other = b.run('org-2', r.task('b2', 10), { waitMs: 2000 });
    assert.deepEqual(await Promise.all([first, second, other]), ['a1', 'b1', 'b2']);
    assert.ok(r.events.indexOf('b1:start') > r.events.indexOf('a1:end'), r.events.join(' '));
    assert.ok(r.events.indexOf('b2:end') < r.events.indexOf('a1:end'), 'another organization did not wait');
  });

  it('bounds the wait: busy after waitMs, at once with waitMs 0', async () => {
    const a = createPostgresLock({ pool: db.newPool() });
    const b = createPostgresLock({ pool: db.newPool({ max: 1 }) });
    await b.run('warm-up', async () => {}, { waitMs: 0 }); // b's connection exists: what follows times the wait alone
    let release!: () => void;
    let holds = false;
    const holding = a.run('org-3', () => new Promise<void>((resolve) => ((holds = true), (release = resolve))), { waitMs: 100 });
    await until('A holding org-3', () => holds, { timeoutMs: 3000, intervalMs: 5 });
    let started = Date.now();
    const busy = await b.run('org-3', async () => 'ran', { waitMs: 200 }).catch((e: unknown) => e);
    assert.ok(isLockBusyError(busy), String(busy));
    const waited = Date.now() - started;
    assert.ok(waited >= 190 && waited < 1000, `waited ${waited} ms`);
    started = Date.now();
    assert.ok(isLockBusyError(await b.run('org-3', async () => 'ran', { waitMs: 0 }).catch((e: unknown) => e)));
    assert.ok(Date.now() - started < 190, 'waitMs 0 does not wait');
    release();
    await holding;
    assert.equal(await b.run('org-3', async () => 'ran', { waitMs: 0 }), 'ran');
  });

  it('is released when the task throws, and leaves the connection as it found it', async () => {
    const pool = db.newPool({ max: 1 });
    const lock = createPostgresLock({ pool });
    await assert.rejects(lock.run('org-4', async () => Promise.reject(new Error('boom')), { waitMs: 100 }), /boom/);
    assert.equal(await lock.run('org-4', async () => 'again', { waitMs: 0 }), 'again');
    const settings = await pool.query(`SELECT current_setting('lock_timeout') AS t, (SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS held`);
    assert.deepEqual(settings.rows[0], { t: '0', held: 0 });
  });

  it('is released when its holder dies', async () => {
    const dying = createPostgresLock({ pool: db.newPool({ application_name: 'lock-holder' }) });
    const other = createPostgresLock({ pool: db.newPool() });
    let release!: () => void;
    let holds = false;
    const held = dying.run('org-5', () => new Promise<void>((resolve) => ((holds = true), (release = resolve))), { waitMs: 100 });
    await until('the dying instance holding org-5', () => holds, { timeoutMs: 3000, intervalMs: 5 });
    const waiting = other.run('org-5', async () => 'took over', { waitMs: 3000 });
    const pids = await db.admin(`SELECT pid FROM pg_stat_activity WHERE application_name = 'lock-holder'`);
    for (const row of pids.rows) await db.admin(`SELECT pg_terminate_backend($1)`, [row.pid]);
    assert.equal(await waiting, 'took over');
    release();
    await held; // The dead holder's task finishes; releasing a lost lock does not throw.
  });

  it('takes any key as a parameter', async () => {
    const lock = createPostgresLock({ pool: db.pool });
    for (const key of [`'); SELECT pg_sleep(10); --`, 'ü'.repeat(500), '']) {
      assert.equal(await lock.run(key, async () => key, { waitMs: 100 }), key);
    }
  });
});

describe('createPostgresLease', () => {
  it('is held by one instance until it releases or stops renewing', async () => {
    const a = createPostgresLease({ pool: db.pool, holder: 'a' });
    const b = createPostgresLease({ pool: db.newPool(), holder: 'b' });
    assert.equal(await a.acquire(5000), true);
    assert.equal(await b.acquire(5000), false);
    assert.equal(await a.acquire(5000), true, 'the holder renews');
    assert.equal((await b.current())?.holder, 'a');
    await a.release();
    assert.equal(await a.current(), null);
    assert.equal(await b.acquire(5000), true, 'taken at once after a release');
    assert.equal(await a.acquire(5000), false, 'not before it expires');
    // b dies (stops renewing): a takes over once the time to live has passed.
    assert.equal(await b.acquire(300), true);
    await sleep(350);
    assert.equal(await a.acquire(5000), true);
    assert.equal(await b.acquire(5000), false);
  });

  it('leases of other names are independent', async () => {
    const a = createPostgresLease({ pool: db.pool, name: 'one' });
    const b = createPostgresLease({ pool: db.pool, name: 'two' });
    assert.equal(await a.acquire(1000), true);
    assert.equal(await b.acquire(1000), true);
  });
});
