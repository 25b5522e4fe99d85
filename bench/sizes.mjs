// Bundle sizes (min + gzip -9) as benchmark figures, measured by scripts/sizes.mjs
// so that `npm run size`, `npm run bench` and `npm run bench:check` agree.
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { LABELS, measureSizes, standaloneRows, verdictOf } from '../scripts/sizes.mjs';

const GROUP = 'bundle sizes (min + gzip -9)';
const root = new URL('..', import.meta.url).pathname;
const standaloneDir = `${root}packages/element/dist/standalone`;

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

/** Whether `npm run build` has produced the standalone build the budgets are checked against. */
export function standaloneBuilt() {
  return existsSync(standaloneDir);
}

/**
 * Builds the standalone bundle in memory with the repository's own rollup config
 * (for `npm run bench` without a prior `npm run build`), answering the same rows
 * scripts/sizes.mjs derives from dist/.
 */
async function standaloneRowsInMemory() {
  const { rollup } = await import('rollup');
  const configs = (await import('../rollup.config.mjs')).default;
  const config = configs.find((c) => String(c.output?.dir ?? '').endsWith('standalone'));
  if (!config) return [];
  const build = await rollup({ ...config, onwarn: () => {} });
  const { output } = await build.generate(config.output);
  await build.close();
  const files = output
    .filter((chunk) => chunk.type === 'chunk')
    .map((chunk) => ({ name: chunk.fileName, min: Buffer.byteLength(chunk.code), gzip: gzipSync(Buffer.from(chunk.code), { level: 9 }).length }));
  return standaloneRows(files);
}

/** The rows the benchmark reports, in table order, with the wording. */
const REPORTED = ['client', 'connectedWidget', 'linkingChunks', 'qrEncoder', 'streamChunk', 'actionRunner', 'standaloneTotal'];
const VERDICTS = { ok: 'ok', 'over target': 'missed', 'OVER BUDGET': 'over budget', '': 'info' };

function toFigure(row, source) {
  const limits = [row.target === null ? null : `≤ ${kb(row.target)}`, row.budget !== null && row.budget !== row.target ? `ceiling ${kb(row.budget)}` : null];
  return {
    id: `size.${row.id}`,
    group: GROUP,
    label: row.label,
    value: row.gzip,
    unit: 'bytes gzip',
    display: `${kb(row.gzip)} (min ${kb(row.min)})`,
    target: limits.some(Boolean) ? limits.filter(Boolean).join(', ') : null,
    verdict: VERDICTS[verdictOf(row)],
    ...(source === 'memory' && row.id === 'standaloneTotal' ? { note: 'no dist/: the standalone build was made in memory with rollup.config.mjs' } : {}),
  };
}

/**
 * Size figures. `fromDistOnly` (the budget check) never builds: a missing
 * standalone build is reported as not measured.
 */
export async function sizeFigures({ fromDistOnly = false } = {}) {
  let rows = await measureSizes();
  let source = 'dist';
  if (!rows.some((r) => r.id === 'standaloneTotal') && !fromDistOnly) {
    rows = [...rows, ...(await standaloneRowsInMemory())];
    source = 'memory';
  }
  const figures = [];
  for (const id of REPORTED) {
    const row = rows.find((r) => r.id === id);
    if (row) figures.push(toFigure(row, source));
    else {
      figures.push({
        id: `size.${id}`,
        group: GROUP,
        label: LABELS[id] ?? id,
        value: null,
        unit: 'bytes gzip',
        display: 'not built',
        target: null,
        verdict: 'n/a',
        note: 'run `npm run build` first',
      });
    }
  }
  return { name: 'sizes', figures, details: { rows, source } };
}
