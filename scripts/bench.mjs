// `npm run bench`: runs every benchmark of bench/ (each in its own Node process, so
// memory figures do not mix), prints one table of figure / value / target / verdict
// and writes it as JSON to bench/results/latest.json plus a timestamped copy.
//
//   node scripts/bench.mjs                  every benchmark
//   node scripts/bench.mjs --only <name>    one of: sizes, requests-per-hour, server-load,
//                                           streams-memory, scan-to-connected, element-cycles,
//                                           relink-to-qr, postgres-instances
//   node scripts/bench.mjs --check-budgets  only the size budgets (needs `npm run build`);
//                                           exits 1 when one is exceeded — what CI runs
//   node scripts/bench.mjs --markdown [file] prints a results file (default
//                                           bench/results/latest.json) as a Markdown table
//
// Timing figures are reported, never asserted: only --check-budgets can fail.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { formatMarkdown, formatTable } from '../bench/lib/table.mjs';
import { sizeFigures, standaloneBuilt } from '../bench/sizes.mjs';

const root = new URL('..', import.meta.url).pathname;

/** Benchmarks run in a child process, with a wall-clock limit each. */
const CHILD_BENCHES = [
  { name: 'requests-per-hour', file: 'bench/requests-per-hour.ts', timeoutMs: 60_000 },
  { name: 'server-load', file: 'bench/server-load.ts', timeoutMs: 150_000 },
  { name: 'streams-memory', file: 'bench/streams-memory.ts', timeoutMs: 120_000 },
  { name: 'scan-to-connected', file: 'bench/scan-to-connected.ts', timeoutMs: 240_000 },
  { name: 'element-cycles', file: 'bench/element-cycles.ts', timeoutMs: 120_000 },
  { name: 'relink-to-qr', file: 'bench/relink-to-qr.ts', timeoutMs: 300_000 },
  { name: 'postgres-instances', file: 'bench/postgres-instances.ts', timeoutMs: 180_000 },
];
const NAMES = ['sizes', ...CHILD_BENCHES.map((b) => b.name)];

function parseArgs(argv) {
  const args = { checkBudgets: false, only: null, markdown: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--check-budgets') args.checkBudgets = true;
    else if (argv[i] === '--markdown') args.markdown = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : join(root, 'bench/results/latest.json');
    else if (argv[i] === '--only') args.only = argv[++i] ?? '';
    else if (argv[i].startsWith('--only=')) args.only = argv[i].slice('--only='.length);
    else {
      console.error(`unknown argument: ${argv[i]}`);
      process.exit(2);
    }
  }
  if (args.only !== null && !NAMES.includes(args.only)) {
    console.error(`--only takes one of: ${NAMES.join(', ')}`);
    process.exit(2);
  }
  return args;
}

async function checkBudgets() {
  if (!standaloneBuilt()) {
    console.error('bench:check: packages/element/dist/standalone is missing; run `npm run build` first.');
    process.exit(1);
  }
  const { figures } = await sizeFigures({ fromDistOnly: true });
  console.log(formatTable(figures));
  // A missed target is reported; only growth past the enforced ceiling fails (scripts/sizes.mjs).
  const over = figures.filter((f) => f.verdict === 'over budget');
  const unmeasured = figures.filter((f) => f.verdict === 'n/a');
  if (over.length > 0 || unmeasured.length > 0) {
    for (const f of over) console.error(`size budget exceeded: ${f.label} is ${f.display}, budget ${f.target}`);
    for (const f of unmeasured) console.error(`size not measured: ${f.label}`);
    process.exit(1);
  }
  const missed = figures.filter((f) => f.verdict === 'missed').length;
  console.log(`\nsize ceilings: ok${missed ? ` (${missed} target${missed === 1 ? '' : 's'} still missed, reported above)` : ''}`);
}

/** Runs one benchmark file with the source condition and tsx; resolves its JSON result. */
function runChild(bench) {
  const dir = mkdtempSync(join(tmpdir(), 'wac-bench-'));
  const out = join(dir, 'result.json');
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--expose-gc', '--conditions=source', '--import', 'tsx', bench.file], {
      cwd: root,
      env: { ...process.env, WAC_BENCH_OUT: out },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    let timedOut = false;
    let killer = null;
    // SIGTERM first, so a benchmark can close its browser; SIGKILL if it does not go.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    }, bench.timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (killer) clearTimeout(killer);
      const durationMs = Date.now() - started;
      let result = null;
      try {
        result = JSON.parse(readFileSync(out, 'utf8'));
      } catch {
        // No result: reported below as a failed benchmark.
      }
      rmSync(dir, { recursive: true, force: true });
      if (result && code === 0) resolve({ ...result, durationMs });
      else {
        const why = timedOut ? `timed out after ${bench.timeoutMs / 1000} s` : `exited with ${signal ?? code}`;
        resolve({ name: bench.name, durationMs, error: why, figures: [failedFigure(bench.name, why)] });
      }
    });
  });
}

function failedFigure(name, why) {
  return { id: `${name}.error`, group: name, label: 'benchmark failed', value: null, unit: '', display: 'not measured', target: null, verdict: 'n/a', note: why };
}

function git(args) {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function chromiumVersion() {
  try {
    return execFileSync(process.env.CHROME_PATH ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

async function runAll(only) {
  const started = Date.now();
  // Other work on the machine skews every timing figure: keep the load with the results.
  const loadBefore = loadavg();
  const results = [];
  if (only === null || only === 'sizes') {
    console.error('bench: sizes');
    const t = Date.now();
    try {
      results.push({ ...(await sizeFigures()), durationMs: Date.now() - t });
    } catch (error) {
      results.push({ name: 'sizes', durationMs: Date.now() - t, error: String(error), figures: [failedFigure('sizes', String(error))] });
    }
  }
  for (const bench of CHILD_BENCHES) {
    if (only !== null && only !== bench.name) continue;
    console.error(`bench: ${bench.name}`);
    results.push(await runChild(bench));
  }
  const figures = results.flatMap((r) => r.figures);
  console.log(`\n${formatTable(figures)}\n`);
  console.log(`machine: ${cpus().length} cores, load average ${loadBefore[0].toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`);

  const report = {
    date: new Date(started).toISOString(),
    commit: git(['rev-parse', 'HEAD']),
    dirty: (git(['status', '--porcelain', '--untracked-files=no']) ?? '') !== '',
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
      memoryBytes: totalmem(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      chromium: chromiumVersion(),
      loadAverage: { before: loadBefore, after: loadavg() },
    },
    only,
    durationMs: Date.now() - started,
    figures,
    benches: Object.fromEntries(results.map((r) => [r.name, { durationMs: r.durationMs, error: r.error ?? null, details: r.details ?? null }])),
  };
  const dir = join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const stamp = report.date.replace(/[:.]/g, '-');
  const short = report.commit ? report.commit.slice(0, 8) : 'nogit';
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(join(dir, 'latest.json'), json);
  writeFileSync(join(dir, `${stamp}-${short}.json`), json);
  console.log(`results: bench/results/latest.json and bench/results/${stamp}-${short}.json (${(report.durationMs / 1000).toFixed(1)} s)`);
}

function printMarkdown(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const load = report.machine.loadAverage;
  console.log(`Run of ${report.date} on ${report.machine.cpus} cores (${report.machine.cpuModel}), Node ${report.machine.node}, ${report.machine.chromium ?? 'no Chromium'}; commit ${report.commit?.slice(0, 8) ?? '?'}${report.dirty ? ' + uncommitted changes' : ''}; load average ${load ? `${load.before[0].toFixed(1)} → ${load.after[0].toFixed(1)}` : 'unknown'}; ${(report.durationMs / 1000).toFixed(0)} s.\n`);
  console.log(formatMarkdown(report.figures));
}

const args = parseArgs(process.argv.slice(2));
if (args.markdown !== null) printMarkdown(args.markdown);
else if (args.checkBudgets) await checkBudgets();
else await runAll(args.only);
