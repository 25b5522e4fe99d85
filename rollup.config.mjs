// Builds every workspace package from its package.json: each `exports` entry with a
// `source` condition becomes an ESM file at its `default` path, and each `bin` at
// `./dist/X.js` is built from `./src/X.ts`. Dependencies stay external (npm installs
// them). The element also gets a standalone build for a plain <script type="module">,
// with the QR encoder in its own lazily loaded chunk. Declarations come from tsc
// (scripts/build.mjs), not from rollup.
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { elementOwnedClient } from './scripts/rollup/element-owned-client.mjs';
import { esbuildRenameIdentifiers, esbuildTranspile } from './scripts/rollup/esbuild-transpile.mjs';
import { minifyTemplates } from './scripts/rollup/minify-templates.mjs';
import { retryableChunks } from './scripts/rollup/retryable-chunks.mjs';
import { useClient } from './scripts/rollup/use-client.mjs';

const root = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const only = process.env.WAC_PACKAGES?.split(',');

function readPackage(dir) {
  return JSON.parse(readFileSync(new URL(`./${dir}/package.json`, import.meta.url), 'utf8'));
}

function entriesOf(pkg) {
  const entries = {};
  for (const [, target] of Object.entries(pkg.exports ?? {})) {
    if (typeof target !== 'object' || !target.source || !target.default) continue;
    entries[target.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '')] = target.source;
  }
  for (const bin of Object.values(typeof pkg.bin === 'string' ? { main: pkg.bin } : (pkg.bin ?? {}))) {
    const name = bin.replace(/^\.\/dist\//, '').replace(/\.js$/, '');
    entries[name] = `./src/${name}.ts`;
  }
  return entries;
}

function isExternalFor(pkg) {
  const deps = new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
    ...builtinModules,
  ]);
  return (id) =>
    id.startsWith('node:') || [...deps].some((dep) => id === dep || id.startsWith(`${dep}/`));
}

function packageBuild(dir) {
  const pkg = readPackage(dir);
  const entries = entriesOf(pkg);
  if (Object.keys(entries).length === 0) return [];
  const input = Object.fromEntries(
    Object.entries(entries)
      .map(([name, src]) => [name, new URL(`./${dir}/${src}`, import.meta.url).pathname])
      .filter(([, path]) => existsSync(path)),
  );
  if (Object.keys(input).length === 0) return [];
  return [
    {
      input,
      external: isExternalFor(pkg),
      plugins: [esbuildTranspile(), minifyTemplates(), useClient(), shebang()],
      output: {
        dir: `${dir}/dist`,
        format: 'esm',
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        sourcemap: true,
      },
      onwarn(warning, warn) {
        if (warning.code === 'CIRCULAR_DEPENDENCY') throw new Error(warning.message);
        warn(warning);
      },
    },
  ];
}

/** Gives every bin entry exactly one `#!/usr/bin/env node` line, whether or not its source has one. */
function shebang() {
  return {
    name: 'wac-shebang',
    renderChunk(code, chunk) {
      if (!chunk.isEntry || !chunk.name.endsWith('cli')) return null;
      return { code: `#!/usr/bin/env node\n${code.replace(/^#!.*\n/, '')}`, map: null };
    },
  };
}

/**
 * Names the standalone build's lazy chunks after what they hold (scripts/sizes.mjs
 * tells them apart by these prefixes): `qr-encoder` for the QR drawing (qr.ts, the
 * encoder and qrcode's modules, which nothing else imports, so rollup keeps them in
 * the one chunk of that dynamic import), `lang-*` for each language, `linking` for
 * the linking view (with its texts in every language), `stream` for the client's
 * push stream, `action-runner` for `@lit/task` (loaded by the first action). Six
 * characters of hash tell a chunk's versions apart well enough (64^6), and its name
 * is written in the entry file once per chunk (−14 B there against the default 8). No
 * manualChunks: a manual chunk also takes its dependencies (Lit) along, and the
 * entry would import it.
 */
function standaloneChunkName({ facadeModuleId, name }) {
  const id = facadeModuleId ?? '';
  if (id.endsWith('/element/src/qr.ts')) return 'qr-encoder-[hash:6].js';
  if (id.endsWith('/element/src/linking/view.ts')) return 'linking-[hash:6].js';
  if (/\/node_modules\/@lit\/task\//.test(id)) return 'action-runner-[hash:6].js';
  const language = /\/element\/src\/i18n\/(en|es|pt-BR)\.ts$/.exec(id);
  if (language) return `lang-${language[1]}-[hash:6].js`;
  return `${name}-[hash:6].js`;
}

/**
 * Element + client + Lit's reactive base in one file; the linking view, the QR
 * drawing, each language, the push stream and the action runner in chunks loaded
 * on demand.
 */
const standalone = {
  input: { 'whatsapp-connector': 'packages/element/src/standalone.ts' },
  // The lazy chunks import Lit and the shared views from the entry file itself, rather
  // than from an extra shared chunk that would cost a page one more request. The entry
  // therefore also exports a few minified internal names: they are not API.
  preserveEntrySignatures: 'allow-extension',
  plugins: [
    // Before esbuildTranspile: it answers the flag's module with plain JavaScript.
    elementOwnedClient(),
    esbuildTranspile(),
    minifyTemplates(),
    nodeResolve({ browser: true, exportConditions: ['source', 'browser'] }),
    // qrcode's modules are CommonJS; 'auto' wraps only those that need it (circular or
    // conditional requires), which none of the encoder's do: the QR chunk is 0.13 KB smaller.
    commonjs({ strictRequires: 'auto' }),
    // A chunk that failed to load is asked for again under a new URL (see the plugin).
    retryableChunks(),
    esbuildRenameIdentifiers(),
    // An ES module for browsers of 2020 on (the build is ES2022), so terser may use their
    // shorter forms. unsafe_arrows turns function expressions that use neither `this` nor
    // `arguments` into arrows; it is unsafe only for a function expression that is called
    // with `new` or whose `.prototype` is read, and none in the build is (classes are
    // classes). pure_getters: reading a property has no side effect (no getter of the
    // element, the client or Lit does more than read); keep_fargs: false drops unused
    // parameters, which only Function#length could tell, and nothing here reads it.
    // inline: 1 (only simple functions, not those with arguments and variables) and one
    // quote style gzip better here: −26 B on the entry file, −30 B on everything, measured
    // 2026-12-03 (a sweep of terser's compress and format options, one at a time; these won).
    // examples/vanilla's browser test and the pack test run this build.
    terser({ format: { comments: false, quote_style: 1 }, ecma: 2020, module: true, compress: { passes: 3, inline: 1, unsafe_arrows: true, pure_getters: true, keep_fargs: false } }),
  ],
  output: {
    dir: 'packages/element/dist/standalone',
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: standaloneChunkName,
  },
};

const builds = root.workspaces
  .filter((dir) => !only || only.some((name) => dir.endsWith(`/${name}`)))
  .flatMap(packageBuild);

const withStandalone = (!only || only.includes('element')) && existsSync(new URL('./packages/element/src/define.ts', import.meta.url));

export default withStandalone ? [...builds, standalone] : builds;
