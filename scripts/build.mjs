// Builds every package: type declarations with tsc (in dependency order, since each
// package's declarations import its dependencies' published types), bundles with
// rollup, and the element's custom-elements.json.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
// Dependencies first: declarations resolve sibling packages through their dist/types.
const order = ['client', 'waha-simulator', 'server', 'conformance', 'element', 'react'];

function run(command, args, cwd = root) {
  console.log(`$ ${command} ${args.join(' ')}`);
  execFileSync(command, args, { cwd, stdio: 'inherit' });
}

for (const name of order) rmSync(`${root}packages/${name}/dist`, { recursive: true, force: true });

for (const name of order) {
  const config = `packages/${name}/tsconfig.build.json`;
  if (existsSync(`${root}packages/${name}/src/index.ts`)) run('npx', ['tsc', '-p', config]);
}

run('npx', ['rollup', '-c', '--silent']);

const cemConfig = `${root}packages/element/custom-elements-manifest.config.mjs`;
if (existsSync(cemConfig)) {
  run('npx', ['cem', 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet'], `${root}packages/element`);
}
