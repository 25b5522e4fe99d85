// `npm start` with DATABASE_URL runs the demo on PostgreSQL: it migrates, stores the
// organization's session there, and a restart finds it again. (Its name contains
// "postgres": scripts/test-node.mjs gives it a server, and it makes its own database.)
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { createTestDatabase, type TestDatabase } from '../../packages/server/test/postgres/database.js';
import { SESSION_ENDPOINT } from './server.js';
import { endCli, startCli, type StartedCli } from './start-cli.js';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  await db?.drop();
});

const startOn = (databaseUrl: string) => startCli(['--profile', 'fast'], { databaseUrl });

/**
 * Stops the demo (SIGTERM, unless it has exited already: then 'exit' will not fire again)
 * and asserts it exited 0 within 10 s. Whatever happens, endCli ends it.
 */
async function stop(demo: StartedCli): Promise<void> {
  const { child } = demo;
  try {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit', { signal: AbortSignal.timeout(10_000) });
      child.kill('SIGTERM');
      await exited.catch(() => assert.fail(`still running 10 s after SIGTERM:\n${demo.output()}`));
    }
    assert.equal(child.exitCode, 0, demo.output());
  } finally {
    endCli(child);
  }
}

/**
 * Runs `check` on a started demo, then stops it (exit code 0 asserted). If `check` fails, the
 * demo is only ended: the test reports that first failure, never one from stopping.
 */
async function checkThenStop<T>(demo: StartedCli, check: (demo: StartedCli) => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await check(demo);
  } catch (error) {
    endCli(demo.child);
    throw error;
  }
  await stop(demo);
  return result;
}

describe('npm start with DATABASE_URL', () => {
  // `npm test` sets DATABASE_URL for every test process: this run proves the memory default under CI too.
  test('without it (empty), runs in memory as before', { timeout: 60_000 }, async () => {
    await checkThenStop(await startOn(''), async (demo) => {
      assert.match(demo.output(), /Store: memory \(set DATABASE_URL to run on PostgreSQL\)\./);
      assert.equal((await fetch(`${demo.url}${SESSION_ENDPOINT}`)).status, 200);
    });
  });

  test('runs on PostgreSQL: migrates once, stores the session, finds it again after a restart', { timeout: 90_000 }, async () => {
    const answer = await checkThenStop(await startOn(db.url), async (first) => {
      assert.match(first.output(), /Store: PostgreSQL at 127\.0\.0\.1:\d+\/wac_test_\w+ \(tables at version \d+, migrated from 0\)\./);
      assert.doesNotMatch(first.output(), /postgres:[^@\s]*@/, 'the password is never printed');
      const response = await fetch(`${first.url}${SESSION_ENDPOINT}`);
      assert.equal(response.status, 200);
      const answer = (await response.json()) as SessionAnswerWire;
      const { rows } = await db.admin(`SELECT org_id, session_name FROM wac_sessions`);
      assert.deepEqual(rows, [{ org_id: 'demo', session_name: answer.sessionName }]);
      const listening = await db.admin(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'wac-demo' AND query LIKE 'LISTEN%'`);
      assert.equal(listening.rows[0].n, 1, 'the bus listens');
      return answer;
    });

    await checkThenStop(await startOn(db.url), async (second) => {
      assert.match(second.output(), /Store: PostgreSQL at .* \(tables at version \d+\)\./, 'nothing to migrate the second time');
      const config = (await (await fetch(`${second.url}/demo/config`)).json()) as { sessionName: string };
      assert.equal(config.sessionName, answer.sessionName, 'the restarted demo reads the stored session');
    });
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
