// Packs every workspace package into an npm tarball with a publish-ready package.json,
// without touching the workspace.
//
//   node scripts/pack.mjs [--out DIR] [name…]     (run `npm run build` first)
//
// Why a staged copy: in the repo each export lists the `source` condition first (every
// tool in the workspace resolves it to `src/*.ts`), but `src/` is not published, so the
// published package.json must drop `source` and list `types` first. Rewriting the
// workspace's package.json in a prepack/postpack pair would leave it modified when a
// pack fails or is interrupted, and other tools (tsc, wtr, rollup) read those files
// concurrently. Instead each package's publishable files (package.json rewritten,
// its `files` entries, LICENSE) are copied to a temporary folder and `npm pack` runs
// there, with scripts ignored; the workspace is only read.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Workspace package folders (relative to the root), from the root package.json. */
export function workspaceDirs() {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).workspaces;
}

/** Condition order in a published export: `types` first (TypeScript reads the first match), `default` last. */
function orderConditions(target) {
  if (typeof target !== 'object' || target === null || Array.isArray(target)) return target;
  const entries = Object.entries(target)
    .filter(([condition]) => condition !== 'source')
    .map(([condition, value]) => [condition, orderConditions(value)]);
  const rank = (condition) => (condition === 'types' ? 0 : condition === 'default' ? 2 : 1);
  return Object.fromEntries(entries.sort(([a], [b]) => rank(a) - rank(b)));
}

/** True for metadata left empty for the maintainers to fill (`""`, `{ url: "" }`). */
function isEmptyPlaceholder(value) {
  if (value === '') return true;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return Object.entries(value).every(([key, inner]) => key === 'type' || key === 'directory' || isEmptyPlaceholder(inner));
  }
  return false;
}

/**
 * The package.json to publish: no `source` condition, `types` first in every export,
 * no `sideEffects` entry under `src/`, and placeholders still empty left out (an empty
 * repository URL means nothing to npm or to a reader). Answers the manifest and the
 * names of the placeholders it dropped.
 */
export function publishManifest(pkg) {
  const manifest = structuredClone(pkg);
  if (manifest.exports) manifest.exports = orderConditions(manifest.exports);
  delete manifest.source;
  delete manifest.devDependencies;
  if (Array.isArray(manifest.sideEffects)) {
    manifest.sideEffects = manifest.sideEffects.filter((path) => !/^(\.\/)?src\//.test(path));
  }
  const dropped = [];
  for (const field of ['author', 'repository', 'bugs', 'homepage']) {
    if (field in manifest && isEmptyPlaceholder(manifest[field])) {
      delete manifest[field];
      dropped.push(field);
    }
  }
  return { manifest, dropped };
}

/** Copies what npm would publish from `packageDir` into `stageDir`, package.json rewritten. */
export function stagePackage(packageDir, stageDir) {
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const { manifest, dropped } = publishManifest(pkg);
  mkdirSync(stageDir, { recursive: true });
  for (const entry of new Set([...(pkg.files ?? []), 'README.md', 'LICENSE'])) {
    const from = join(packageDir, entry);
    if (!existsSync(from)) {
      if (entry === 'LICENSE') cpSync(join(ROOT, 'LICENSE'), join(stageDir, 'LICENSE'));
      else throw new Error(`${pkg.name}: "${entry}" is listed in files but missing (run npm run build first?)`);
      continue;
    }
    cpSync(from, join(stageDir, entry), { recursive: true });
  }
  writeFileSync(join(stageDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { name: pkg.name, version: pkg.version, manifest, dropped };
}

/**
 * Packs the workspace packages (all, or those whose folder name is in `only`) into
 * `outDir`. Answers, per package: name, version, folder, tarball path, the file list
 * of the tarball and the published manifest.
 */
export function packAll({ outDir, only } = {}) {
  const out = resolve(outDir ?? mkdtempSync(join(tmpdir(), 'wac-tarballs-')));
  mkdirSync(out, { recursive: true });
  const stageRoot = mkdtempSync(join(tmpdir(), 'wac-stage-'));
  const results = [];
  try {
    for (const dir of workspaceDirs()) {
      const folder = dir.split('/').pop();
      if (only?.length && !only.includes(folder)) continue;
      const packageDir = join(ROOT, dir);
      const stageDir = join(stageRoot, folder);
      const staged = stagePackage(packageDir, stageDir);
      const json = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], {
        cwd: stageDir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const [report] = JSON.parse(json);
      results.push({
        ...staged,
        folder,
        tarball: join(out, report.filename),
        files: report.files.map((file) => file.path).sort(),
      });
    }
  } finally {
    rmSync(stageRoot, { recursive: true, force: true });
  }
  return { outDir: out, packages: results };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const outDir = outIndex >= 0 ? args[outIndex + 1] : undefined;
  const only = args.filter((arg, index) => outIndex < 0 || (index !== outIndex && index !== outIndex + 1));
  const { outDir: written, packages } = packAll({ outDir, only });
  for (const pkg of packages) {
    console.log(`${pkg.name}@${pkg.version}  ${pkg.tarball}  (${pkg.files.length} files)`);
    if (pkg.dropped.length) console.log(`  note: empty ${pkg.dropped.join(', ')} left out; fill them in packages/${pkg.folder}/package.json before publishing`);
  }
  console.log(`tarballs in ${written}`);
}
