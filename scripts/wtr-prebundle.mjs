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
// - `shared` names folders of a listed package (`qrcode/lib/core/`) whose CommonJS modules are
//   bundled ONCE, together: each one imported by its own specifier is served as a view of that
//   bundle, so a page importing several of them holds one copy of each module (qrcode compares
//   its error correction levels by identity: separate bundles would each have their own).
// - `process.env.NODE_ENV` is "development" in every bundle (React's dev build and warnings).
// - `aliases` names npm aliases of listed packages (`react-18` → `react`): an alias is served
//   like any listed package, and inside an alias's bundle the packages it stands in for
//   mean their aliases (react-dom 18's `require('react')` is `react-18`), so a page whose
//   import map points `react` at the alias bundles holds one React 18 and no React 19.
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const require = createRequire(import.meta.url);
const prefix = '/__prebundled__/';
const identifier = /^[A-Za-z_$][\w$]*$/;

/**
 * The URL a listed package (or subpath) is served at, e.g. for an import map that points a
 * page's `react` at another listed package.
 * @param {string} specifier
 */
export const prebundledUrl = (specifier) => `${prefix}${encodeURIComponent(specifier)}.js`;
const urlOf = prebundledUrl;

const run = promisify(execFile);

/**
 * The export names of a CommonJS module, read in a separate Node process (without blocking the server).
 * `rename` (package → its alias) redirects that process's `require`s, so an alias package loads
 * its own family (react-dom-18 with react-18), not the workspace's copies.
 */
async function exportNames(specifier, rename = {}) {
  const redirect = `const M = require('node:module'), resolve = M._resolveFilename, rename = ${JSON.stringify(rename)};
M._resolveFilename = function (request, ...rest) {
  for (const [name, alias] of Object.entries(rename)) if (request === name || request.startsWith(name + '/')) request = alias + request.slice(name.length);
  return resolve.call(this, request, ...rest);
};`;
  const script = `${redirect}\nprocess.stdout.write(JSON.stringify(Object.keys(require(${JSON.stringify(specifier)}))))`;
  const { stdout } = await run(process.execPath, ['-e', script], {
    cwd: process.cwd(),
    env: { ...process.env, NODE_ENV: 'development' },
    encoding: 'utf8',
  });
  return JSON.parse(stdout);
}

/** What every prebundle is: one in-memory ES module for the browser, React in development mode. */
const BROWSER_BUNDLE = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  write: false,
  logLevel: 'silent',
  define: { 'process.env.NODE_ENV': '"development"' },
};

/**
 * The dev-server plugin that serves the listed CommonJS packages as prebundled ES modules.
 *
 * @param {string[]} packages CommonJS package names (their subpaths are served too).
 * @param {{ esm?: Record<string, string>, aliases?: Record<string, string>, shared?: string[] }} [options] `esm`: package
 *   name → ES-module file to serve for it; `aliases`: aliased package → the package it stands in for;
 *   `shared`: folders (`qrcode/lib/core/`) whose modules are served from one bundle.
 */
export function prebundlePlugin(packages, options = {}) {
  const esm = options.esm ?? {};
  const shared = options.shared ?? [];
  const aliases = options.aliases ?? {};
  const names = [...packages, ...Object.keys(esm)];
  const cache = new Map();
  /** Inside an alias's bundle: package → its alias (`react` → `react-18`). */
  const aliasOf = Object.fromEntries(Object.entries(aliases).map(([alias, name]) => [name, alias]));

  /** The listed package a specifier belongs to (`react-dom/client` → `react-dom`), or undefined. */
  const ownerOf = (specifier) => names.find((name) => specifier === name || specifier.startsWith(`${name}/`));
  /** What `specifier` means inside the bundle of `self`: its alias when `self` is an alias package. */
  const within = (self, specifier) => {
    const owner = ownerOf(specifier);
    if (!(ownerOf(self) in aliases) || !owner || !(owner in aliasOf)) return specifier;
    return `${aliasOf[owner]}${specifier.slice(owner.length)}`;
  };

  /** The `shared` folder a module specifier is in, or undefined. */
  const folderOf = (specifier) => shared.find((folder) => specifier.startsWith(folder));
  const families = new Map();
  /** A shared folder's modules in one bundle, exported as `modules` by file name, and each file's export names. */
  function family(folder) {
    if (!families.has(folder)) {
      families.set(folder, (async () => {
        const owner = ownerOf(folder);
        const dir = join(dirname(require.resolve(`${owner}/package.json`)), folder.slice(owner.length + 1));
        const files = readdirSync(dir).filter((name) => name.endsWith('.js'));
        const script = `process.stdout.write(JSON.stringify(${JSON.stringify(files)}.map((f) => Object.keys(require(${JSON.stringify(folder)} + f)))))`;
        const { stdout } = await run(process.execPath, ['-e', script], { cwd: process.cwd(), encoding: 'utf8' });
        const keys = JSON.parse(stdout);
        const imports = files.map((name, i) => `import m${i} from ${JSON.stringify(folder + name)};`).join('\n');
        const result = await build({
          ...BROWSER_BUNDLE,
          stdin: { contents: `${imports}\nexport const modules = { ${files.map((name, i) => `${JSON.stringify(name)}: m${i}`).join(', ')} };\n`, resolveDir: process.cwd(), loader: 'js' },
          plugins: [emptyNodeBuiltins()],
        });
        return { code: result.outputFiles[0].text, keys: Object.fromEntries(files.map((name, i) => [name, keys[i]])) };
      })());
    }
    return families.get(folder);
  }
  /** One module of a shared folder: a view of the folder's bundle, with the module's named exports. */
  async function familyMember(folder, specifier) {
    const file = specifier.slice(folder.length).replace(/(\.js)?$/, '.js');
    const names = ((await family(folder)).keys[file] ?? []).filter((key) => key !== 'default' && key !== '__esModule' && identifier.test(key));
    const named = names.length > 0 ? `export const { ${names.join(', ')} } = m;\n` : '';
    return `import { modules } from ${JSON.stringify(urlOf(`${folder}*`))};\nconst m = modules[${JSON.stringify(file)}];\n${named}export default m;\n`;
  }

  async function entrySource(specifier) {
    if (esm[specifier]) {
      const file = JSON.stringify(esm[specifier]);
      return `export * from ${file};`;
    }
    const rename = ownerOf(specifier) in aliases ? aliasOf : {};
    const keys = (await exportNames(specifier, rename)).filter((key) => key !== 'default' && key !== '__esModule' && identifier.test(key));
    const named = keys.length > 0 ? `export const { ${keys.join(', ')} } = m;\n` : '';
    return `import m from ${JSON.stringify(specifier)};\n${named}export default m;\n`;
  }

  async function bundle(specifier) {
    const folder = folderOf(specifier);
    if (folder) return specifier === `${folder}*` ? (await family(folder)).code : familyMember(folder, specifier);
    const owner = ownerOf(specifier);
    const result = await build({
      ...BROWSER_BUNDLE,
      stdin: { contents: await entrySource(specifier), resolveDir: process.cwd(), loader: 'js' },
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
          const path = within(self, args.path);
          if (path === self || args.kind === 'entry-point' || !ownerOf(path)) return undefined;
          if (args.importer === '<stdin>') return undefined;
          return { path, namespace: 'wac-shared' };
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
      for (const folder of shared) family(folder).catch(() => undefined);
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
