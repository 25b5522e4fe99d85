import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { SCHEMA_VERSION } from '../../src/postgres/index.js';
import { runMigrateCli } from '../../src/postgres/migrate-cli.js';
import { createTestDatabase, type TestDatabase } from './database.js';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  await db.drop();
});

async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  let out = '';
  let err = '';
  const code = await runMigrateCli(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), env });
  return { code, out, err };
}

describe('wac-postgres-migrate', () => {
  it('checks, migrates, then has nothing to do', async () => {
    const env = { DATABASE_URL: db.url };
    const missing = await cli(['--check'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /version 0, this code needs/);
    assert.deepEqual(await cli([], env), { code: 0, out: `Migrated the tables from version 0 to ${SCHEMA_VERSION}.\n`, err: '' });
    assert.deepEqual(await cli([], env), { code: 0, out: `The tables are at version ${SCHEMA_VERSION}: nothing to do.\n`, err: '' });
    assert.equal((await cli(['--check'], env)).code, 0);
  });

  it('takes a schema and a URL on the command line', async () => {
    const result = await cli(['--schema', 'cli_schema', '--database-url', db.url]);
    assert.equal(result.code, 0, result.err);
    assert.equal((await db.pool.query(`SELECT version FROM cli_schema.wac_schema_version`)).rows[0].version, SCHEMA_VERSION);
  });

  it('explains what it needs and never prints the connection string', async () => {
    const none = await cli([]);
    assert.equal(none.code, 2);
    assert.match(none.err, /Set DATABASE_URL/);
    assert.equal((await cli(['--bogus'], { DATABASE_URL: db.url })).code, 2);
    assert.equal((await cli(['--help'])).code, 0);
    const secret = 'postgresql://someone:hunter2-secret@127.0.0.1:1/nowhere';
    const refused = await cli([], { DATABASE_URL: secret });
    assert.equal(refused.code, 1);
    assert.match(refused.err, /unavailable/);
    assert.ok(!refused.err.includes('hunter2'), refused.err);
  });

  it('runs as a command', async () => {
    const run = promisify(execFile);
    const cliPath = new URL('../../src/postgres/cli.ts', import.meta.url).pathname;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', cliPath, '--check'], { env: { ...process.env, DATABASE_URL: db.url } });
    assert.equal(stdout, `The tables are at version ${SCHEMA_VERSION}.\n`);
  });
});
