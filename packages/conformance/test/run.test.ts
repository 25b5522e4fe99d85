import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ALL_CHECKS, runConformance, selectChecks } from '../src/index.js';
import { goodBackend, startBackend, type RunningBackend } from './fixtures/backend.js';
import { FAST, run } from './helpers.js';

/** The heading text of the README section a line belongs to. */
function sectionOf(readme: string, line: string): string {
  const before = readme.slice(0, readme.indexOf(line));
  return before.slice(before.lastIndexOf('\n### ')).split('\n')[1] ?? '';
}

describe('runConformance', () => {
  let backend: RunningBackend | undefined;
  after(async () => {
    await backend?.close();
  });

  it('has unique, documented-style ids', () => {
    const ids = ALL_CHECKS.map((check) => check.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z]+\.[a-z0-9-]+$/);
    // Destructive checks run after every read-only one (they change the session).
    const firstDestructive = ALL_CHECKS.findIndex((check) => check.destructive);
    assert.ok(ALL_CHECKS.slice(firstDestructive).every((check) => check.destructive));
  });

  it('has every check documented in the README, destructive ones marked', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const check of ALL_CHECKS) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${check.id}\` |`));
      assert.ok(row, `README documents ${check.id}`);
      if (check.destructive) assert.ok(row.includes('*destructive*') || /destructive/i.test(sectionOf(readme, row)), `${check.id} is marked destructive`);
    }
  });

  it('selects checks by id or group and refuses a typo', () => {
    assert.deepEqual(
      selectChecks(['get.shape', 'method']).map((check) => check.id),
      ['get.shape', 'method.405'],
    );
    assert.ok(selectChecks(['post.']).every((check) => check.id.startsWith('post.')));
    assert.equal(selectChecks(undefined).length, ALL_CHECKS.length);
    assert.throws(() => selectChecks(['get.shap']), /"get.shap" selects no check/);
  });

  it('refuses a URL it cannot use', async () => {
    await assert.rejects(runConformance({ url: '/api/whatsapp/session' }), /not an absolute URL/);
    await assert.rejects(runConformance({ url: 'ftp://example.test/x' }), /not an http\(s\) URL/);
  });

  it('sends the given headers and uses the given fetch', async () => {
    backend = await startBackend(goodBackend({ token: 'abc' }));
    const seen: string[] = [];
    const spy: typeof fetch = (input, init) => {
      seen.push(`${init?.method ?? 'GET'} ${String(input)}`);
      return fetch(input, init);
    };
    const report = await run(backend.url, { include: ['get.json'], headers: { Authorization: 'Bearer abc' }, fetch: spy });
    assert.equal(report.passed, 1);
    assert.deepEqual(seen, [`GET ${backend.url}`]);
    assert.equal(backend.requests[0]!.headers.authorization, 'Bearer abc');
  });

  it('lets a given header replace a default one, whatever its case', async () => {
    const accepts: (string | undefined)[] = [];
    const probe = await startBackend((request) => {
      accepts.push(request.headers.accept);
      return goodBackend()(request);
    });
    try {
      await run(probe.url, { include: ['get.json'], headers: { Accept: 'application/json, */*' } });
      assert.deepEqual(accepts, ['application/json, */*']);
    } finally {
      await probe.close();
    }
  });

  it('hints at --header when GET is refused and no credentials were given', async () => {
    const locked = await startBackend(goodBackend({ token: 'abc' }));
    try {
      const report = await run(locked.url, { include: ['get.json'] });
      assert.match(report.results[0]!.detail ?? '', /expected HTTP 200, got HTTP 401 .*give your credentials with --header/);
    } finally {
      await locked.close();
    }
  });

  it('reports a crashing fetch as failures, never throws', async () => {
    const broken: typeof fetch = () => {
      throw new Error('boom');
    };
    const report = await runConformance({ url: 'http://127.0.0.1:1/x', fetch: broken, include: ['get.json', 'method'], ...FAST });
    assert.equal(report.failed, 2);
    assert.match(report.results[0]!.detail ?? '', /GET http:\/\/127\.0\.0\.1:1\/x: the request failed \(boom\)/);
  });
});
