import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { SessionRecord } from '../../src/index.js';
import { createOwnTableStore, migrate } from '../../src/postgres/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
  await migrate({ pool: db.pool });
});
after(async () => {
  await db.drop();
});

/** The original system's table, with a column of the application's own beside ours. */
beforeEach(async () => {
  await db.pool.query(`DROP TABLE IF EXISTS ai_agent_config; TRUNCATE wac_sessions`);
  await db.pool.query(`CREATE TABLE ai_agent_config (
    organization_id integer PRIMARY KEY,
    agent_name text NOT NULL,
    whatsapp_session_name varchar(255),
    whatsapp_connected boolean DEFAULT false,
    policies jsonb
  )`);
  await db.pool.query(`INSERT INTO ai_agent_config VALUES
    (42, 'Ana', 'eagles_42', true, '{"waha_api_url": "http://waha-42:3000/", "waha_api_key": "key-42", "tone": "warm"}'),
    (7, 'Bo', NULL, false, '{}'),
    (8, 'Cy', 'default', false, NULL)`);
});

const full: SessionRecord = {
  sessionName: 'eagles_42',
  connected: true,
  wahaUrl: 'http://waha-42:3000',
  status: 'STOPPED',
  statusSince: 1_800_000_000_000,
  previousStatus: 'WORKING',
  reason: 'qr_expired',
  linkedAt: 1_799_999_000_000,
};

describe('createOwnTableStore (ai_agent_config)', () => {
  it('reads the name and the flag from your columns, and the WAHA from policies', async () => {
    const store = createOwnTableStore({ pool: db.pool });
    assert.deepEqual(await store.get('42'), { sessionName: 'eagles_42', connected: true, wahaUrl: 'http://waha-42:3000/' });
    assert.deepEqual(await store.get('7'), { sessionName: null, connected: false });
    assert.equal(await store.get('404'), null);
    assert.equal(await store.get('not-a-number'), null, 'an id the integer column cannot hold has no record');
    assert.deepEqual(await store.resolveWahaConfig('42'), { url: 'http://waha-42:3000/', apiKey: 'key-42' });
    assert.deepEqual(await store.resolveWahaConfig('7'), {});
    assert.equal(await store.resolveWahaConfig('404'), null);
  });

  it('writes your two columns and keeps the other fields in the side table', async () => {
    const store = createOwnTableStore({ pool: db.pool });
    await store.set('7', { ...full, sessionName: 'eagles_7', connected: false });
    const row = (await db.pool.query(`SELECT * FROM ai_agent_config WHERE organization_id = 7`)).rows[0];
    assert.deepEqual([row.whatsapp_session_name, row.whatsapp_connected, row.agent_name], ['eagles_7', false, 'Bo']);
    assert.deepEqual(await store.get('7'), { ...full, sessionName: 'eagles_7', connected: false });
    // After a restart (a new store, a new pool) nothing is forgotten.
    assert.deepEqual(await createOwnTableStore({ pool: db.newPool() }).get('7'), { ...full, sessionName: 'eagles_7', connected: false });
  });

  it('your columns stay the truth when the application changes them', async () => {
    const store = createOwnTableStore({ pool: db.pool });
    await store.set('42', full);
    await db.pool.query(`UPDATE ai_agent_config SET whatsapp_connected = false WHERE organization_id = 42`);
    assert.equal((await store.get('42'))!.connected, false);
  });

  it('without the side table keeps only the name and the flag', async () => {
    const store = createOwnTableStore({ pool: db.pool, sideTable: false });
    await store.set('42', { ...full, connected: false });
    assert.deepEqual(await store.get('42'), { sessionName: 'eagles_42', connected: false, wahaUrl: 'http://waha-42:3000/' });
    assert.equal((await db.pool.query(`SELECT count(*)::int AS n FROM wac_sessions`)).rows[0].n, 0);
    // Never inserts into your table: an organization without a row cannot be saved.
    await assert.rejects(store.set('500', full), /no row in the table/);
    assert.equal((await db.pool.query(`SELECT count(*)::int AS n FROM ai_agent_config`)).rows[0].n, 3);
  });

  it('keeps an organization without a row in the side table', async () => {
    const store = createOwnTableStore({ pool: db.pool });
    await store.set('500', { sessionName: 'eagles_500', connected: false });
    assert.deepEqual(await store.get('500'), { sessionName: 'eagles_500', connected: false });
    assert.equal(await store.findOrganization('eagles_500'), '500');
  });

  it('loses no update between two instances', async () => {
    const a = createOwnTableStore({ pool: db.newPool({ max: 3 }) });
    const b = createOwnTableStore({ pool: db.newPool({ max: 3 }) });
    const bump = (current: SessionRecord | null): SessionRecord => ({ ...current!, statusSince: (current?.statusSince ?? 0) + 1 });
    await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).update('42', bump)));
    assert.equal((await a.get('42'))!.statusSince, 30);
    // An organization nobody has yet: the first update creates, the others change it.
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).update('600', (c) => ({ sessionName: 'eagles_600', connected: false, statusSince: (c?.statusSince ?? 0) + 1 }))));
    assert.equal((await a.get('600'))!.statusSince, 10);
  });

  it('finds organizations by session name, comparing WAHA URLs as URLs', async () => {
    const store = createOwnTableStore({ pool: db.pool });
    assert.equal(await store.findOrganization('eagles_42'), '42');
    assert.equal(await store.findOrganization('eagles_42', 'http://WAHA-42:3000'), '42');
    assert.equal(await store.findOrganization('eagles_42', 'http://other:3000'), null);
    assert.equal(await store.findOrganization(`eagles_42' OR 1=1 --`), null);
  });

  it('lists the organizations that have a session', async () => {
    const store = createOwnTableStore({ pool: db.pool });
    await store.set('500', { sessionName: 'eagles_500', connected: false, status: 'SCAN_QR' });
    assert.deepEqual(await store.list(), [
      { orgId: '42', record: { sessionName: 'eagles_42', connected: true, wahaUrl: 'http://waha-42:3000/' } },
      { orgId: '500', record: { sessionName: 'eagles_500', connected: false, status: 'SCAN_QR' } },
      { orgId: '8', record: { sessionName: 'default', connected: false } },
    ]);
  });

  it('takes other table and column names, checked as identifiers', async () => {
    await db.pool.query(`CREATE SCHEMA IF NOT EXISTS app; DROP TABLE IF EXISTS app.tenants; CREATE TABLE app.tenants (id text PRIMARY KEY, wa_session text, wa_linked boolean, settings jsonb)`);
    await db.pool.query(`INSERT INTO app.tenants VALUES ('t1', 'wac_t1', false, '{"waha_api_url": "http://w:1"}')`);
    const store = createOwnTableStore({
      pool: db.pool,
      table: 'app.tenants',
      columns: { organization: 'id', sessionName: 'wa_session', connected: 'wa_linked', policies: 'settings' },
    });
    await store.update('t1', (c) => ({ ...c!, connected: true }));
    assert.deepEqual(await store.get('t1'), { sessionName: 'wac_t1', connected: true, wahaUrl: 'http://w:1' });
    assert.throws(() => createOwnTableStore({ pool: db.pool, table: 'x; DROP TABLE y' }), /plain SQL identifier/);
    assert.throws(() => createOwnTableStore({ pool: db.pool, columns: { policies: `policies->>'x'` } }), /plain SQL identifier/);
  });
});
