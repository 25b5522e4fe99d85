/**
 * One App Router recipe everywhere (issue 13, item 2: the docs disagreed on the layout,
 * none placed the webhook, the quick starts left out `dynamic` / `runtime`). Every Next.js
 * route sample in the docs must be the example's route file, which the end-to-end test
 * builds and runs: the same path (the optional catch-all), the same exports, and where the
 * sample is whole, the same code.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ROUTE_PATH = 'app/api/whatsapp/session/[[...slug]]/route.ts';
const DOCS = ['README.md', 'docs/server.md', 'docs/getting-started.md', 'docs/troubleshooting.md', 'packages/server/README.md', 'examples/nextjs/README.md'];

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Code without comments and blank lines, one statement line per entry (whitespace collapsed). */
function code(source: string): string[] {
  return source
    .split('\n')
    .map((line) => line.replace(/\s\/\/.*$/, '').replace(/^\s*\/\/.*$/, '').replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '');
}

/** The TypeScript samples of a Markdown file that show a Next.js route of the session endpoint. */
function routeSamples(markdown: string): string[] {
  return [...markdown.matchAll(/```tsx?\n([\s\S]*?)```/g)].map((match) => match[1]!).filter((sample) => /app\/api\/whatsapp\/session\/\S*route\.ts/.test(sample));
}

const route = read(`examples/nextjs/${ROUTE_PATH}`);
const exportsOfRoute = code(route).filter((line) => line.startsWith('export '));

describe('the App Router recipe: the example’s route file, the same in every doc', () => {
  it('the example exports the handler as GET and POST, dynamic and runtime, nothing else', () => {
    assert.deepEqual(exportsOfRoute, [
      'export const GET = whatsapp;',
      'export const POST = whatsapp;',
      "export const dynamic = 'force-dynamic';",
      "export const runtime = 'nodejs';",
    ]);
  });

  for (const doc of DOCS) {
    it(`${doc}: every route sample is the catch-all with the same exports`, () => {
      const markdown = read(doc);
      assert.ok(markdown.includes('[[...slug]]'), `${doc} names the catch-all route`);
      const samples = routeSamples(markdown);
      if (doc !== 'docs/troubleshooting.md') assert.ok(samples.length > 0, `${doc} shows the route`);
      for (const sample of samples) {
        assert.ok(sample.includes(ROUTE_PATH), `a sample names another route file:\n${sample}`);
        assert.doesNotMatch(sample, /stream\/route\.ts|\.session;/, 'no separate stream route, no handler.session');
        const lines = code(sample);
        assert.deepEqual(lines.filter((line) => line.startsWith('export ')), exportsOfRoute, `the exports of:\n${sample}`);
        // A whole sample (it imports your auth) is the example's file, comments aside.
        if (sample.includes('import { auth }')) assert.deepEqual(lines, code(route), `not the example's route file:\n${sample}`);
      }
    });
  }
});

describe('the example’s versions', () => {
  // nextjs.node.test.ts installs the example from the registry, as an integrator does. Exact
  // versions (as create-next-app writes them) keep a new Next.js or React release from
  // turning CI red overnight; the ones the workspace also uses are its locked ones, so the
  // npm cache filled by `npm ci` already holds them. Bump next here on purpose, with the test.
  const manifest = JSON.parse(read('examples/nextjs/package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version?: string }> };
  const ranges = { ...manifest.dependencies, ...manifest.devDependencies };

  it('pins every registry dependency to an exact version', () => {
    for (const [name, range] of Object.entries(ranges)) {
      if (name.startsWith('@whatsapp-connector/')) continue; // the packed tarballs
      assert.match(range, /^\d+\.\d+\.\d+$/, `${name}: ${range}`);
    }
  });

  it('uses the versions the workspace locks, for the packages both use', () => {
    for (const [name, range] of Object.entries(ranges)) {
      const locked = lock.packages[`node_modules/${name}`]?.version;
      if (locked !== undefined) assert.equal(range, locked, `${name}: the example pins ${range}, package-lock.json has ${locked}`);
    }
  });
});
