// Measures bundle sizes (minified + gzip -9) the way users receive them. Used by
// `npm run size` and by the benchmarks; budgets live here so both agree.
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import { esbuildTranspile } from './rollup/esbuild-transpile.mjs';

const root = new URL('..', import.meta.url).pathname;

/** Size budgets in gzip bytes (1 KB = 1024 bytes). */
export const BUDGETS = {
  client: 6 * 1024,
  connectedWidget: 14 * 1024,
  standaloneTotal: 20 * 1024,
};

const gzip = (code) => gzipSync(Buffer.from(code), { level: 9 }).length;

/** Bundles `entry` with every dependency, minified, in memory. */
async function bundle(entry) {
  const build = await rollup({
    input: join(root, entry),
    plugins: [
      esbuildTranspile(),
      nodeResolve({ browser: true, exportConditions: ['source', 'browser'] }),
      commonjs(),
      terser({ format: { comments: false }, compress: { passes: 2 } }),
    ],
    onwarn: () => {},
  });
  const { output } = await build.generate({ format: 'esm' });
  await build.close();
  return output.filter((chunk) => chunk.type === 'chunk');
}

/** The files of the element's standalone build, with what loads eagerly versus on demand. */
function standaloneFiles() {
  const dir = join(root, 'packages/element/dist/standalone');
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.js'))
    .map((name) => {
      const code = readFileSync(join(dir, name), 'utf8');
      return { name, min: Buffer.byteLength(code), gzip: gzip(code) };
    });
  return files;
}

/**
 * Measures every size figure. The standalone figures need `npm run build` first;
 * without it they are reported as `null`.
 */
export async function measureSizes() {
  const rows = [];
  const [client] = await bundle('packages/client/src/index.ts');
  rows.push({ id: 'client', label: 'headless client', min: Buffer.byteLength(client.code), gzip: gzip(client.code), budget: BUDGETS.client });

  const files = standaloneFiles();
  if (files) {
    const lazy = files.filter((f) => f.name.startsWith('qr-encoder'));
    const eager = files.filter((f) => !f.name.startsWith('qr-encoder'));
    const sum = (list, key) => list.reduce((total, f) => total + f[key], 0);
    for (const f of files) rows.push({ id: `file:${f.name}`, label: `standalone/${f.name}`, min: f.min, gzip: f.gzip, budget: null });
    rows.push({ id: 'connectedWidget', label: 'connected widget loads (all but the QR encoder)', min: sum(eager, 'min'), gzip: sum(eager, 'gzip'), budget: BUDGETS.connectedWidget });
    rows.push({ id: 'qrEncoder', label: 'QR encoder chunk (loaded on demand)', min: sum(lazy, 'min'), gzip: sum(lazy, 'gzip'), budget: null });
    rows.push({ id: 'standaloneTotal', label: 'standalone build, everything', min: sum(files, 'min'), gzip: sum(files, 'gzip'), budget: BUDGETS.standaloneTotal });
  }
  return rows;
}

/** Formats rows as an aligned text table. */
export function formatSizes(rows) {
  const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
  const lines = [['bundle', 'min', 'gzip', 'budget', ''].join('\t')];
  for (const row of rows) {
    const verdict = row.budget === null ? '' : row.gzip <= row.budget ? 'ok' : 'OVER BUDGET';
    lines.push([row.label, kb(row.min), kb(row.gzip), row.budget === null ? '-' : kb(row.budget), verdict].join('\t'));
  }
  const widths = lines[0].split('\t').map((_, i) => Math.max(...lines.map((l) => l.split('\t')[i].length)));
  return lines.map((l) => l.split('\t').map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await measureSizes();
  console.log(formatSizes(rows));
  if (process.argv.includes('--check') && rows.some((r) => r.budget !== null && r.gzip > r.budget)) {
    console.error('size budget exceeded');
    process.exit(1);
  }
}
