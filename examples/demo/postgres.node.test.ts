// `npm start` with DATABASE_URL runs the demo on PostgreSQL: it migrates, stores the
// organization's session there, and a restart finds it again. (Its name contains
// "postgres": scripts/test-node.mjs gives it a server, and it makes its own database.)
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { createTestDatabase, type TestDatabase } from '../../packages/server/test/postgres/database.js';
import { SESSION_ENDPOINT } from './server.js';
import { startCli } from './start-cli.js';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  await db?.drop();
});

const startOn = (databaseUrl: string) => startCli(['--profile', 'fast'], { databaseUrl });

async function stop(child: ChildProcess, output: () => string): Promise<void> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0, output());
}

describe('npm start with DATABASE_URL', () => {
  // `npm test` sets DATABASE_URL for every test process: this run proves the memory default under CI too.
  test('without it (empty), runs in memory as before', { timeout: 60_000 }, async () => {
    const demo = await startOn('');
    try {
      assert.match(demo.output(), /Store: memory \(set DATABASE_URL to run on PostgreSQL\)\./);
      assert.equal((await fetch(`${demo.url}${SESSION_ENDPOINT}`)).status, 200);
    } finally {
      await stop(demo.child, demo.output);
    }
  });

  test('runs on PostgreSQL: migrates once, stores the session, finds it again after a restart', { timeout: 90_000 }, async () => {
    const first = await startOn(db.url);
    let answer: SessionAnswerWire;
    try {
      assert.match(first.output(), /Store: PostgreSQL at 127\.0\.0\.1:\d+\/wac_test_\w+ \(tables at version \d+, migrated from 0\)\./);
      assert.doesNotMatch(first.output(), /postgres:[^@\s]*@/, 'the password is never printed');
      const response = await fetch(`${first.url}${SESSION_ENDPOINT}`);
      assert.equal(response.status, 200);
      answer = (await response.json()) as SessionAnswerWire;
      const { rows } = await db.admin(`SELECT org_id, session_name FROM wac_sessions`);
      assert.deepEqual(rows, [{ org_id: 'demo', session_name: answer.sessionName }]);
      const listening = await db.admin(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'wac-demo' AND query LIKE 'LISTEN%'`);
      assert.equal(listening.rows[0].n, 1, 'the bus listens');
    } finally {
      await stop(first.child, first.output);
    }

    const second = await startOn(db.url);
    try {
      assert.match(second.output(), /Store: PostgreSQL at .* \(tables at version \d+\)\./, 'nothing to migrate the second time');
      const config = (await (await fetch(`${second.url}/demo/config`)).json()) as { sessionName: string };
      assert.equal(config.sessionName, answer.sessionName, 'the restarted demo reads the stored session');
    } finally {
      await stop(second.child, second.output);
    }
    // A backend ends a moment after its client said goodbye.
    const deadline = Date.now() + 5_000;
    let left = -1;
    while (left !== 0 && Date.now() < deadline) {
      left = (await db.admin(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'wac-demo'`)).rows[0].n;
      if (left !== 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(left, 0, 'the demo closed its connections');
  });
});
