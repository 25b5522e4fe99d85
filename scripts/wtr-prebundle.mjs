// A dev-server plugin that serves CommonJS packages (and packages whose browser build is
// not what node-resolve would pick) as single ESM bundles made by esbuild:
// @rollup/plugin-commonjs under @web/test-runner mis-detects qrcode's exports, and React
// ships CommonJS only.
//
// - A listed package is served for its bare name and for any subpath (`react-dom/client`,
//   `react/jsx-runtime`), each as its own bundle.
// - CommonJS modules get a default export (`module.exports`) AND named exports: their keys
//   are read in a child Node process (`Object.keys(require(specifier))`; loading React
//   inside the test runner would patch its console), so `import { useState }
//   from 'react'` works like `import React from 'react'`.
// - A listed package imported by another listed package stays ONE copy: inside a bundle,
//   `require('react')` is wired to the served `react` bundle instead of a second React.
// - `esm` maps a package to an ES-module file to serve instead (e.g. Vue's browser build);
//   its exports are re-exported as they are.
// - `process.env.NODE_ENV` is "development" in every bundle (React's dev build and warnings).
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { builtinModules, createRequire } from 'node:module';
import { promisify } from 'node:util';

const require = createRequire(import.meta.url);
const prefix = '/__prebundled__/';
const identifier = /^[A-Za-z_$][\w$]*$/;

/**
 * @param {string[]} packages CommonJS package names (their subpaths are served too).
 * @param {{ esm?: Record<string, string> }} [options] `esm`: package name → ES-module file to serve for it.
 */
const run = promisify(execFile);

/** The export names of a CommonJS module, read in a separate Node process (without blocking the server). */
async function exportNames(specifier) {
  const script = `process.stdout.write(JSON.stringify(Object.keys(require(${JSON.stringify(specifier)}))))`;
  const { stdout } = await run(process.execPath, ['-e', script], {
    cwd: process.cwd(),
    env: { ...process.env, NODE_ENV: 'development' },
    encoding: 'utf8',
  });
  return JSON.parse(stdout);
}

export function prebundlePlugin(packages, options = {}) {
  const esm = options.esm ?? {};
  const names = [...packages, ...Object.keys(esm)];
  const cache = new Map();

  /** The listed package a specifier belongs to (`react-dom/client` → `react-dom`), or undefined. */
  const ownerOf = (specifier) => names.find((name) => specifier === name || specifier.startsWith(`${name}/`));
  const urlOf = (specifier) => `${prefix}${encodeURIComponent(specifier)}.js`;

  async function entrySource(specifier) {
    if (esm[specifier]) {
      const file = JSON.stringify(esm[specifier]);
      return `export * from ${file};`;
    }
    const keys = (await exportNames(specifier)).filter((key) => key !== 'default' && key !== '__esModule' && identifier.test(key));
    const named = keys.length > 0 ? `export const { ${keys.join(', ')} } = m;\n` : '';
    return `import m from ${JSON.stringify(specifier)};\n${named}export default m;\n`;
  }

  async function bundle(specifier) {
    const owner = ownerOf(specifier);
    const result = await build({
      stdin: { contents: await entrySource(specifier), resolveDir: process.cwd(), loader: 'js' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
      define: { 'process.env.NODE_ENV': '"development"' },
      nodePaths: [require.resolve(`${owner}/package.json`).replace(/\/package\.json$/, '/..')],
      plugins: [shareListedPackages(specifier), emptyNodeBuiltins()],
    });
    return result.outputFiles[0].text;
  }

  // A Node built-in required by a package's Node-only branch (@sinonjs/fake-timers reads
  // `util` only when `process` exists) is an empty module in the browser: esbuild
  // cannot resolve it on the browser platform.
  function emptyNodeBuiltins() {
    const builtin = new RegExp(`^(?:node:)?(?:${builtinModules.map((name) => name.replace(/[/]/g, '\\/')).join('|')})$`);
    return {
      name: 'wac-empty-node-builtins',
      setup(esbuild) {
        esbuild.onResolve({ filter: builtin }, (args) => ({ path: args.path, namespace: 'wac-empty' }));
        esbuild.onLoad({ filter: /.*/, namespace: 'wac-empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
      },
    };
  }

  // Another listed package (or another subpath of this one) is imported from its own
  // served bundle, so the page holds one React however many entry points use it.
  function shareListedPackages(self) {
    return {
      name: 'wac-share-listed',
      setup(esbuild) {
        esbuild.onResolve({ filter: /^[^./]/ }, (args) => {
          if (args.path === self || args.kind === 'entry-point' || !ownerOf(args.path)) return undefined;
          if (args.importer === '<stdin>') return undefined;
          return { path: args.path, namespace: 'wac-shared' };
        });
        esbuild.onLoad({ filter: /.*/, namespace: 'wac-shared' }, (args) => ({
          // A CommonJS `require()` of this module gets its namespace (named exports), which
          // is what React's own packages read from each other.
          contents: `export * from ${JSON.stringify(urlOf(args.path))};`,
          loader: 'js',
        }));
        esbuild.onResolve({ filter: /^\/__prebundled__\// }, (args) => ({ path: args.path, external: true }));
      },
    };
  }

  function cached(specifier) {
    if (!cache.has(specifier)) cache.set(specifier, bundle(specifier));
    return cache.get(specifier);
  }

  return {
    name: 'wac-prebundle',
    // Bundle the bare packages while the browser starts, so the first test that needs one
    // (e.g. a QR drawn within a test's wait) does not pay for esbuild. A failure surfaces
    // when the bundle is requested.
    serverStart() {
      for (const name of packages) cached(name).catch(() => undefined);
    },
    resolveImport({ source }) {
      if (ownerOf(source)) return urlOf(source);
      return undefined;
    },
    async serve(context) {
      if (!context.path.startsWith(prefix)) return undefined;
      const specifier = decodeURIComponent(context.path.slice(prefix.length, -'.js'.length));
      if (!ownerOf(specifier)) return undefined;
      return { body: await cached(specifier), type: 'js' };
    },
  };
}
