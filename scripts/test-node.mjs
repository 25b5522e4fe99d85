// Runs every Node test file (packages/*/test/**/*.test.ts except *.browser.test.ts,
// plus examples/**/*.node.test.ts) with node's test runner, TypeScript through tsx and
// workspace packages resolved to their sources (the "source" export condition).
// Node 20's --test has no glob support, hence this small finder. Test files that need
// PostgreSQL (see scripts/test-postgres.mjs) get DATABASE_URL, a throwaway server's by default.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { join, relative } from 'node:path';
import { needsPostgres, startTestPostgres } from './test-postgres.mjs';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

const files = [
  ...walk(join(root, 'packages'), []).filter((f) => /\/test\/.*\.test\.ts$/.test(f) && !f.endsWith('.browser.test.ts')),
  ...walk(join(root, 'examples'), []).filter((f) => f.endsWith('.node.test.ts')),
]
  .map((f) => relative(root, f))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

if (files.length === 0) {
  console.error('no node test files found');
  process.exit(1);
}

// startTestPostgres leaves stopping the server to its caller, on signals too: a signal while it
// starts stops it once started; later, the child's end stops it.
const starting = files.some(needsPostgres) ? startTestPostgres({ log: console.log }) : Promise.resolve(null);
let stopped;
const stopPostgres = () =>
  (stopped ??= starting.then(
    (postgres) => postgres?.stop().catch((error) => console.error(`stopping the test PostgreSQL failed: ${error.message}`)),
    () => {},
  ));
let child;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => (child ? child.kill(signal) : void stopPostgres().then(() => process.exit(128 + osConstants.signals[signal]))));
}
const postgres = await starting;
child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', '--test', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: postgres ? { ...process.env, DATABASE_URL: postgres.url } : process.env,
});
child.on('exit', async (code, signal) => {
  await stopPostgres();
  process.exit(code ?? (signal ? 1 : 0));
});
