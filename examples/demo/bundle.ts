import { readFile } from 'node:fs/promises';
import { basename, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build, type TsconfigRaw } from 'esbuild';

/** The page script, bundled in memory. */
export interface PageBundle {
  /** Output files by URL path (e.g. `/assets/demo.js`, `/assets/chunk-AB12CD34.js`). */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** URL path of the entry module, for the page's `<script type="module">`. */
  readonly entry: string;
  /** Wall time of the build, in ms. */
  readonly durationMs: number;
}

/** URL prefix of the bundled files. */
export const ASSETS_PREFIX = '/assets/';

const ROOT = new URL('../../', import.meta.url);
const TSCONFIG = new URL('tsconfig.base.json', ROOT);

/**
 * Bundles `entryPath` (the page's TypeScript) for the browser, in memory. The
 * workspace packages resolve to their sources through the `source` condition,
 * so `npm start` needs no prior build; Lit's legacy decorators compile as the
 * shared tsconfig says. `splitting` keeps qrcode's dynamic import a chunk of its own.
 */
export function bundlePage(entryPath: string): Promise<PageBundle> {
  // One build per process: a second demo in the same process (tests) reuses it.
  let bundle = built.get(entryPath);
  if (!bundle) {
    bundle = buildPage(entryPath);
    built.set(entryPath, bundle);
    bundle.catch(() => built.delete(entryPath));
  }
  return bundle;
}

const built = new Map<string, Promise<PageBundle>>();

async function buildPage(entryPath: string): Promise<PageBundle> {
  const started = performance.now();
  // esbuild reads `experimentalDecorators` / `useDefineForClassFields` from it (Lit's decorators).
  const tsconfigRaw = JSON.parse(await readFile(TSCONFIG, 'utf8')) as TsconfigRaw;
  // A virtual directory: nothing is written, it only names the output files.
  const outdir = new URL('examples/demo/.bundle/', ROOT).pathname;
  const result = await build({
    entryPoints: [entryPath],
    absWorkingDir: ROOT.pathname,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    splitting: true,
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    conditions: ['source', 'browser'],
    tsconfigRaw,
    minify: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const files = new Map<string, Uint8Array>();
  for (const file of result.outputFiles) files.set(ASSETS_PREFIX + relative(outdir, file.path), file.contents);
  const entryName = `${basename(entryPath).replace(/\.[cm]?tsx?$/, '')}.js`;
  return { files, entry: ASSETS_PREFIX + entryName, durationMs: performance.now() - started };
}
