/**
 * The example as an integrator gets it: our packages packed into tarballs
 * (scripts/pack.mjs, the same files npm would publish), installed with Next.js from the
 * registry into a fresh folder outside the repository, then `next build`. Nothing here
 * resolves into the workspace: a missing file in a tarball, or a module that only works
 * through the `source` condition, fails the build or the page.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The example's folder in the repository. */
const EXAMPLE_DIR = fileURLToPath(new URL('..', import.meta.url));
const ROOT = join(EXAMPLE_DIR, '..', '..');

/** The workspace packages the example installs: its dependencies and theirs. */
const PACKAGES = ['client', 'element', 'react', 'server', 'waha-simulator'];
/** What an integrator copies: the app, not the tests. */
const APP_FILES = ['app', 'lib', 'package.json', 'tsconfig.json'];
/** A cold install or build on a busy 2-core machine takes minutes; a stuck one must still end. */
const STEP_TIMEOUT_MS = 10 * 60_000;

/** Runs a command; a failure carries its whole output (a type error of `next build` is on stdout). */
async function run(file: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<string> {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, { ...options, timeout: STEP_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
    return `${stdout}${stderr}`;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${[file, ...args].join(' ')} failed in ${options.cwd}:\n${stdout}${stderr}`);
  }
}

/** A built copy of the example, ready for `next start`. */
export interface BuiltExample {
  /** The temporary folder holding `packages/` (tarballs) and `app/` (the installed, built app). */
  readonly root: string;
  /** The app folder (`next start` runs here). */
  readonly appDir: string;
  /** `next build`'s output (its route table says which routes are dynamic). */
  readonly buildLog: string;
  /** Seconds per step: pack, install, build. */
  readonly seconds: Readonly<Record<'pack' | 'install' | 'build', number>>;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, Math.round((performance.now() - started) / 100) / 10];
}

/** npm's tarball name → package name: `whatsapp-connector-react-0.1.0.tgz` → `@whatsapp-connector/react`. */
function packageOfTarball(file: string): string {
  return `@whatsapp-connector/${file.replace(/^whatsapp-connector-/, '').replace(/-\d+\.\d+\.\d+(-[\w.]+)?\.tgz$/, '')}`;
}

/**
 * The example's package.json with every `@whatsapp-connector/*` range replaced by its
 * tarball (what `npm install <tarball>` writes), including the packages the example
 * names only indirectly: until they are on npm, their `^0.1.0` ranges resolve to these.
 */
function withTarballs(manifest: Record<string, unknown>, tarballs: readonly string[]): Record<string, unknown> {
  const dependencies = { ...(manifest.dependencies as Record<string, string>) };
  const devDependencies = { ...(manifest.devDependencies as Record<string, string>) };
  for (const file of tarballs) {
    const name = packageOfTarball(file);
    (name in devDependencies ? devDependencies : dependencies)[name] = `file:../packages/${file}`;
  }
  return { ...manifest, dependencies, devDependencies };
}

/** Packs, installs and builds the example in a new temporary folder. */
export async function buildExample(): Promise<BuiltExample> {
  for (const name of PACKAGES) {
    if (!existsSync(join(ROOT, 'packages', name, 'dist'))) throw new Error(`packages/${name}/dist is missing: run \`npm run build\` first`);
  }
  const root = await mkdtemp(join(tmpdir(), 'wac-nextjs-example-'));
  const packages = join(root, 'packages');
  const appDir = join(root, 'app');

  try {
    const [, pack] = await timed(() => run(process.execPath, [join(ROOT, 'scripts', 'pack.mjs'), '--out', packages, ...PACKAGES], { cwd: ROOT }));
    const tarballs = (await readdir(packages)).filter((file) => file.endsWith('.tgz'));
    if (tarballs.length !== PACKAGES.length) throw new Error(`expected ${PACKAGES.length} tarballs, got ${tarballs.join(', ')}`);

    await mkdir(appDir);
    for (const entry of APP_FILES) await cp(join(EXAMPLE_DIR, entry), join(appDir, entry), { recursive: true });
    const manifest = JSON.parse(await readFile(join(appDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(appDir, 'package.json'), `${JSON.stringify(withTarballs(manifest, tarballs), null, 2)}\n`);

    // --prefer-offline: the npm cache answers what it holds; the registry the rest.
    const [, install] = await timed(() => run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: appDir }));
    const [buildLog, build] = await timed(() =>
      run(process.execPath, [join(appDir, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
        cwd: appDir,
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      }),
    );
    return { root, appDir, buildLog, seconds: { pack, install, build } };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}
