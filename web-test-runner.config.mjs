// Browser tests: real headless Chromium (Debian's /usr/bin/chromium), never a downloaded browser.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { prebundlePlugin, prebundledUrl } from './scripts/wtr-prebundle.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.mjs';

/**
 * NodeNext imports name the emitted `.js` file; esbuildPlugin maps `./x.js` to an
 * existing `./x.ts`, and this does the same for `./x.tsx` (React components).
 */
function tsxImports() {
  return {
    name: 'wac-tsx-imports',
    resolveImport({ source, context }) {
      if (!source.startsWith('.') || !source.endsWith('.js')) return undefined;
      const importer = fileURLToPath(new URL(`.${context.path}`, `file://${process.cwd()}/`));
      const tsx = fileURLToPath(new URL(`${source.slice(0, -3)}.tsx`, `file://${importer}`));
      return existsSync(tsx) ? `${source.slice(0, -3)}.tsx` : undefined;
    },
  };
}

/** A request's JSON body, or `null` (none, or not JSON). */
const readJson = (req) =>
  new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      try {
        resolve(text ? JSON.parse(text) : null);
      } catch {
        resolve(null);
      }
    });
  });

/**
 * Files that fail once, for tests of the element's chunk retries: `POST /__flaky-once
 * {prefix}` makes the next request whose path starts with `prefix` answer 503 (a network
 * blip) and records every request for that prefix from then on; `GET /__flaky-once`
 * lists the recorded URLs (path and query), in order; `DELETE /__flaky-once` forgets every
 * prefix, so a test that failed before its chunk was asked for leaves no 503 for another file.
 */
function flakyOnce() {
  const armed = new Set();
  const watched = new Set();
  const seen = [];
  return async (ctx, next) => {
    if (ctx.path === '/__flaky-once') {
      if (ctx.method === 'POST') {
        const prefix = (await readJson(ctx.req))?.prefix;
        if (typeof prefix === 'string' && prefix) armed.add(prefix), watched.add(prefix);
      } else if (ctx.method === 'DELETE') {
        armed.clear();
        watched.clear();
        seen.length = 0;
      }
      ctx.set('cache-control', 'no-store');
      ctx.body = { seen };
      return undefined;
    }
    const prefix = [...watched].find((candidate) => ctx.path.startsWith(candidate));
    if (prefix === undefined) return next();
    seen.push(ctx.url);
    if (!armed.delete(prefix)) return next();
    ctx.status = 503;
    ctx.body = 'unavailable';
    return undefined;
  };
}

/**
 * A scripted session backend for pages that make their own requests (examples/vanilla):
 * `/__fake-session/<id>` answers GET with the current session and POST `{action}` with the
 * session after it, like a real backend; `/__fake-session/<id>/__control` sets the session
 * (`POST {session}`) and lists the requests received (`GET`). One id per test.
 */
function fakeSessionEndpoint() {
  const sessions = new Map();
  const prefix = '/__fake-session/';
  const after = (session, action) => {
    const base = { sessionName: session.sessionName };
    if (action === 'logout') return { ...base, status: 'STOPPED', connected: false };
    if (action === 'reconnect' || action === 'change_number') return { ...base, status: 'SCAN_QR_CODE', connected: false, qr: `2@after-${action}` };
    return null;
  };
  return async (ctx, next) => {
    if (!ctx.path.startsWith(prefix)) return next();
    const [id, control] = ctx.path.slice(prefix.length).split('/');
    const entry = sessions.get(id) ?? { session: { status: 'STARTING', sessionName: 'eagles_42', connected: false }, requests: [] };
    sessions.set(id, entry);
    ctx.set('cache-control', 'no-store');
    if (control === '__control') {
      if (ctx.method === 'POST') entry.session = (await readJson(ctx.req))?.session ?? entry.session;
      ctx.body = { session: entry.session, requests: entry.requests };
      return undefined;
    }
    const body = ctx.method === 'POST' ? await readJson(ctx.req) : null;
    entry.requests.push({ method: ctx.method, body });
    if (ctx.method === 'POST') {
      const next = after(entry.session, body?.action);
      if (!next) {
        ctx.status = 400;
        ctx.body = { error: { code: 'invalid_action', message: 'Unknown action.' } };
        return undefined;
      }
      entry.session = next;
    }
    ctx.body = entry.session;
    return undefined;
  };
}

const executablePath = CHROMIUM_PATH;

/**
 * The React 18 run of the wrapper's tests (its peer range is `^18 || ^19`; the workspace's
 * React is 19). The same files run a second time in pages whose import map points the
 * served React 19 bundles at the React 18 ones (`react-18`/`react-dom-18`, npm aliases):
 * groups share the dev server and its plugins, so the page, not a plugin, picks the React.
 * `__WAC_EXPECTED_REACT__` lets the tests check they really got React 18.
 */
const react18 = {
  react: 'react-18',
  'react-dom': 'react-dom-18',
};
const react18ImportMap = JSON.stringify({
  imports: Object.fromEntries(
    ['react', 'react/jsx-runtime', 'react/jsx-dev-runtime', 'react-dom', 'react-dom/client'].map((specifier) => {
      const name = specifier.startsWith('react-dom') ? 'react-dom' : 'react';
      return [prebundledUrl(specifier), prebundledUrl(`${react18[name]}${specifier.slice(name.length)}`)];
    }),
  ),
});

export default {
  files: ['packages/*/test/**/*.browser.test.ts', 'packages/*/test/**/*.browser.test.tsx', 'examples/**/*.browser.test.ts', 'examples/**/*.browser.test.tsx'],
  nodeResolve: { exportConditions: ['source', 'browser', 'development'] },
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  testsFinishTimeout: 300000,
  browserStartTimeout: 60000,
  middleware: [fakeSessionEndpoint(), flakyOnce()],
  groups: [
    {
      name: 'react-18',
      files: 'packages/react/test/**/*.browser.test.tsx',
      testRunnerHtml: (testFramework) =>
        `<!DOCTYPE html><html><head><script type="importmap">${react18ImportMap}</script>` +
        `<script>globalThis.__WAC_EXPECTED_REACT__ = '18';</script></head>` +
        `<body><script type="module" src="${testFramework}"></script></body></html>`,
    },
  ],
  plugins: [
    // CommonJS packages (qrcode, sinon's timers, React) are served as esbuild-made ESM
    // bundles with named exports; Vue as its self-contained browser build.
    // qrcode's low-level modules (`qrcode/lib/core/*`, what the element's encoder imports) are
    // served from ONE bundle, prebuilt at start: one copy of each, as a real bundler makes.
    // `react-18`/`react-dom-18` are npm aliases of React 18 for the `react-18` group.
    prebundlePlugin(['qrcode', '@sinonjs/fake-timers', 'react', 'react-dom', ...Object.values(react18)], {
      esm: { vue: 'vue/dist/vue.esm-browser.js' },
      shared: ['qrcode/lib/core/'],
      aliases: Object.fromEntries(Object.entries(react18).map(([name, alias]) => [alias, name])),
    }),
    tsxImports(),
    esbuildPlugin({ ts: true, tsconfig: new URL('./tsconfig.base.json', import.meta.url).pathname, target: 'es2022' }),
    // TSX (React examples) with the automatic JSX runtime, as the root tsconfig.json says (`"jsx": "react-jsx"`).
    esbuildPlugin({ tsx: true, tsconfig: new URL('./tsconfig.json', import.meta.url).pathname }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: [...CHROMIUM_ARGS],
      },
    }),
  ],
};
