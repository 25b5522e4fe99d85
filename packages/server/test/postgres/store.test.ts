import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { SessionRecord } from '../../src/index.js';
import { checkSchema, createPostgresStore, isPostgresError, migrate, SCHEMA_VERSION, type PostgresError } from '../../src/postgres/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { createDatabaseProxy as newProxy, type DatabaseProxy } from './proxy.js';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  await db.drop();
});

// A proxy left open (a failed assertion) would keep the test process alive.
const proxies: DatabaseProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});
async function createDatabaseProxy(url: string): Promise<DatabaseProxy> {
  const proxy = await newProxy(url);
  proxies.push(proxy);
  return proxy;
}

/** Asserts `promise` rejects with a PostgresError of `kind`; resolves the error. */
async function rejectsWith(promise: Promise<unknown>, kind: PostgresError['kind']): Promise<PostgresError> {
  const error = await promise.then(
    () => assert.fail(`expected a ${kind} PostgresError`),
    (e: unknown) => e,
  );
  assert.ok(isPostgresError(error), `a PostgresError, got ${String(error)}`);
  assert.equal(error.kind, kind, error.message);
  return error;
}

const FULL: Required<SessionRecord> = {
  sessionName: 'wac_42',
  connected: true,
  wahaUrl: 'http://waha:3000',
  status: 'STOPPED',
  statusSince: 1_800_000_000_123,
  previousStatus: 'WORKING',
  reason: 'qr_expired',
  attemptStartedAt: 1_800_000_000_000,
  qrSeenAt: 1_800_000_000_050,
  linkedAt: 1_800_000_000_100,
  lastError: 'waha_timeout',
  eventAt: 1_800_000_000_120,
  eventId: 'evt_01',
};

describe('migrate', () => {
  it('creates the tables once: a second run is a no-op', async () => {
    const pool = db.pool;
    await rejectsWith(checkSchema({ pool }), 'schema');
    const first = await migrate({ pool });
    assert.deepEqual(first, { from: 0, to: SCHEMA_VERSION, applied: Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1) });
    const stamp = (await pool.query('SELECT migrated_at FROM wac_schema_version')).rows[0].migrated_at;
    const second = await migrate({ pool });
    assert.deepEqual(second, { from: SCHEMA_VERSION, to: SCHEMA_VERSION, applied: [] });
    assert.deepEqual((await pool.query('SELECT migrated_at FROM wac_schema_version')).rows[0].migrated_at, stamp);
    await checkSchema({ pool });
  });

  it('migrates once when several instances start together', async () => {
    const pools = [db.newPool(), db.newPool(), db.newPool()];
    const results = await Promise.all(pools.map((pool) => migrate({ pool, schema: 'together' })));
    assert.equal(results.filter((r) => r.applied.length > 0).length, 1);
    await checkSchema({ pool: db.pool, schema: 'together' });
  });

  it('refuses a schema newer than the code, saying what to do', async () => {
    await migrate({ pool: db.pool, schema: 'newer' });
    await db.pool.query(`UPDATE newer.wac_schema_version SET version = $1`, [SCHEMA_VERSION + 1]);
    const error = await rejectsWith(migrate({ pool: db.pool, schema: 'newer' }), 'schema');
    assert.match(error.message, new RegExp(`version ${SCHEMA_VERSION + 1}, newer than this code knows \\(${SCHEMA_VERSION}\\)`));
    await rejectsWith(checkSchema({ pool: db.pool, schema: 'newer' }), 'schema');
  });

  it('takes only a plain identifier as the schema', async () => {
    await assert.rejects(migrate({ pool: db.pool, schema: 'a; DROP TABLE x' }), /plain SQL identifier/);
    assert.throws(() => createPostgresStore({ pool: db.pool, schema: 'x"y' }), /plain SQL identifier/);
  });
});

describe('createPostgresStore', () => {
  before(async () => {
    await migrate({ pool: db.pool });
  });

  it('keeps every field of the record', async () => {
    const store = createPostgresStore({ pool: db.pool });
    assert.equal(await store.get('full'), null);
    await store.set('full', FULL);
    assert.deepEqual(await store.get('full'), FULL);
    // A second instance (another pool) reads the same record.
    assert.deepEqual(await createPostgresStore({ pool: db.newPool() }).get('full'), FULL);
  });

  it('set replaces the whole record; absent and null fields read as absent', async () => {
    const store = createPostgresStore({ pool: db.pool });
    await store.set('replace', FULL);
    await store.set('replace', { sessionName: 'wac_x', connected: false, status: null, reason: null });
    assert.deepEqual(await store.get('replace'), { sessionName: 'wac_x', connected: false });
  });

  it('stores hostile text as text: ids, names and URLs are parameters', async () => {
    const store = createPostgresStore({ pool: db.pool });
    const org = `'); DROP TABLE wac_sessions; --`;
    const record: SessionRecord = { sessionName: `x' OR '1'='1`, connected: false, wahaUrl: `http://w/'--` };
    await store.set(org, record);
    assert.deepEqual(await store.get(org), record);
    assert.equal(await store.findOrganization(record.sessionName!, record.wahaUrl), org);
    assert.equal((await db.pool.query(`SELECT to_regclass('wac_sessions') IS NOT NULL AS present`)).rows[0].present, true);
  });

  it('answers a NUL character without asking PostgreSQL to store it', async () => {
    const store = createPostgresStore({ pool: db.pool });
    assert.equal(await store.get('a\u0000b'), null);
    assert.equal(await store.findOrganization('a\u0000b'), null);
    await rejectsWith(store.set('a\u0000b', { sessionName: 'x', connected: false }), 'query');
    // Inside a record, a value PostgreSQL cannot hold is dropped rather than failing the write.
    await store.set('nul-inside', { sessionName: 'ok', connected: false, lastError: 'bad\u0000' });
    assert.deepEqual(await store.get('nul-inside'), { sessionName: 'ok', connected: false });
  });

  it('update creates, changes, or leaves alone', async () => {
    const store = createPostgresStore({ pool: db.pool });
    const created = await store.update('u1', (current) => {
      assert.equal(current, null);
      return { sessionName: 'wac_u1', connected: false };
    });
    assert.deepEqual(created, { before: null, after: { sessionName: 'wac_u1', connected: false }, written: true });
    const changed = await store.update('u1', (current) => ({ ...current!, connected: true, linkedAt: 5 }));
    assert.deepEqual(changed.after, { sessionName: 'wac_u1', connected: true, linkedAt: 5 });
    const untouched = await store.update('u1', () => null);
    assert.deepEqual(untouched, { before: changed.after, after: changed.after, written: false });
    assert.deepEqual(await store.get('u1'), changed.after);
  });

  it('loses no update between two instances', async () => {
    // Generous deadlines: 80 updates queue for 8 connections on a busy machine; this test is about correctness.
    const a = createPostgresStore({ pool: db.newPool({ max: 4 }), timeoutMs: 30_000 });
    const b = createPostgresStore({ pool: db.newPool({ max: 4 }), timeoutMs: 30_000 });
    let runs = 0;
    const increment = (current: SessionRecord | null): SessionRecord => {
      runs++;
      return { sessionName: 'wac_count', connected: false, statusSince: (current?.statusSince ?? 0) + 1 };
    };
    const each = 40;
    await Promise.all([
      ...Array.from({ length: each }, () => a.update('count', increment)),
      ...Array.from({ length: each }, () => b.update('count', increment)),
    ]);
    assert.equal((await a.get('count'))!.statusSince, 2 * each);
    assert.ok(runs > 2 * each, `the change re-ran after conflicting writes (${runs} runs)`);
  });

  it('finds an organization by session name, preferring the exact WAHA', async () => {
    const store = createPostgresStore({ pool: db.pool });
    await store.set('on-b', { sessionName: 'shared', connected: false, wahaUrl: 'http://b:3000' });
    await store.set('on-a', { sessionName: 'shared', connected: false, wahaUrl: 'http://a:3000' });
    await store.set('z-no-waha', { sessionName: 'shared', connected: false });
    await store.set('unknown-waha', { sessionName: 'lonely', connected: false });
    assert.equal(await store.findOrganization('shared', 'http://b:3000'), 'on-b');
    assert.equal(await store.findOrganization('shared', 'http://a:3000'), 'on-a');
    // Another WAHA: only the record whose WAHA is unknown may be the one.
    assert.equal(await store.findOrganization('shared', 'http://c:3000'), 'z-no-waha');
    // No WAHA given: the earliest created record, whatever the ids' order.
    assert.equal(await store.findOrganization('shared'), 'on-b');
    // Rewriting a record keeps its place.
    await store.set('on-b', { sessionName: 'shared', connected: true, wahaUrl: 'http://b:3000' });
    assert.equal(await store.findOrganization('shared'), 'on-b');
    assert.equal(await store.findOrganization('lonely', 'http://any:3000'), 'unknown-waha');
    assert.equal(await store.findOrganization('nobody'), null);
  });

  it('lists every organization and deletes one', async () => {
    await migrate({ pool: db.pool, schema: 'listing' });
    const store = createPostgresStore({ pool: db.pool, schema: 'listing' });
    await store.set('2', { sessionName: 'wac_2', connected: true, wahaUrl: 'http://a' });
    await store.set('1', { sessionName: 'wac_1', connected: false });
    assert.deepEqual(await store.list(), [
      { orgId: '1', record: { sessionName: 'wac_1', connected: false } },
      { orgId: '2', record: { sessionName: 'wac_2', connected: true, wahaUrl: 'http://a' } },
    ]);
    assert.equal(await store.delete('1'), true);
    assert.equal(await store.delete('1'), false);
    assert.deepEqual((await store.list()).map((s) => s.orgId), ['2']);
  });
});

describe('createPostgresStore when the database fails', () => {
  it('fails fast when PostgreSQL refuses connections, and works again when it is back', async () => {
    const proxy = await createDatabaseProxy(db.url);
    const pool = db.newPool({ connectionString: proxy.url });
    const store = createPostgresStore({ pool, timeoutMs: 2000 });
    await store.set('down', { sessionName: 'wac_down', connected: true });
    await proxy.down();
    const started = Date.now();
    await rejectsWith(store.get('down'), 'unavailable');
    assert.ok(Date.now() - started < 1500, 'a refused connection is reported before the deadline');
    await proxy.reopen();
    assert.deepEqual(await store.get('down'), { sessionName: 'wac_down', connected: true });
  });

  it('gives up on a stalled database at the deadline and does not reuse the stuck connection', async () => {
    const proxy = await createDatabaseProxy(db.url);
    const pool = db.newPool({ connectionString: proxy.url, max: 2 });
    await createPostgresStore({ pool }).set('slow', { sessionName: 'wac_slow', connected: false });
    const store = createPostgresStore({ pool, timeoutMs: 300 });
    proxy.stall();
    const started = Date.now();
    await rejectsWith(store.get('slow'), 'timeout');
    await rejectsWith(store.update('slow', (r) => ({ ...r!, connected: true })), 'timeout');
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 600 && elapsed < 2500, `two calls each bounded by 300 ms (took ${elapsed} ms)`);
    proxy.resume();
    const patient = createPostgresStore({ pool });
    assert.deepEqual(await patient.get('slow'), { sessionName: 'wac_slow', connected: false });
    // Nothing half-written: the stalled update never committed.
    await patient.update('slow', (r) => ({ ...r!, connected: true }));
    assert.equal((await patient.get('slow'))!.connected, true);
  });

  it('times out a statement stuck behind a lock', async () => {
    await createPostgresStore({ pool: db.pool }).set('locked', { sessionName: 'wac_locked', connected: false });
    const store = createPostgresStore({ pool: db.pool, timeoutMs: 300 });
    const holder = await db.pool.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT * FROM wac_sessions WHERE org_id = 'locked' FOR UPDATE`);
    await rejectsWith(store.set('locked', { sessionName: 'wac_locked', connected: true }), 'timeout');
    await holder.query('ROLLBACK');
    holder.release();
    const patient = createPostgresStore({ pool: db.pool });
    await patient.set('locked', { sessionName: 'wac_locked', connected: true });
    assert.equal((await patient.get('locked'))!.connected, true);
  });
});
