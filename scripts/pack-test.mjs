// Pack test: the packages as a consumer gets them from npm.
//
//   npm run build && node scripts/pack-test.mjs [--keep]
//
// 1. Packs every package with scripts/pack.mjs (publish-ready package.json) and checks
//    each tarball: no sources, tests or configs; every exports/types/bin target shipped;
//    `types` first and no `source` condition; source maps self-contained; metadata set;
//    the element's custom-elements.json and standalone build.
// 2. Installs all tarballs together (plus react, react-dom and @types) into a fresh
//    project in the OS temp folder, so the `^0.1.0` dependencies between the packages
//    resolve to the sibling tarballs; third-party packages come from the npm registry
//    (the local cache first).
// 3. Node: imports every exported entry point (the element's SSR import included),
//    checks named exports, renders the React component to a string, runs the
//    conformance bin with --help.
// 4. Types: `tsc --noEmit` on consumer files using each package's main API, with
//    moduleResolution NodeNext, with Bundler, and with Bundler without @types/node
//    for the browser packages; our declarations are checked too (skipLibCheck off).
// 5. Chromium: a page bundled by esbuild from the installed packages only (element,
//    client and the React component) and a page loading the element's standalone
//    build, both talking to the installed server package over the installed WAHA
//    simulator; each element must render its shadow root, get an answer, and the page
//    log no console error, page error or failed request.
//
// Prints each step; exits 1 on any failure. `--keep` keeps the temporary folder.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
import { ROOT, packAll, workspaceDirs } from './pack.mjs';

const keep = process.argv.includes('--keep');
const require = createRequire(join(ROOT, 'package.json'));
export const failures = [];
const started = Date.now();

function log(message) {
  console.log(`[pack-test ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${message}`);
}
function fail(message) {
  failures.push(message);
  console.log(`  FAIL ${message}`);
}
function check(condition, message) {
  if (!condition) fail(message);
  return Boolean(condition);
}
function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000, ...options });
}
/** Runs a command; on a non-zero exit records a failure with its output and answers null. */
function runChecked(label, command, args, options) {
  try {
    return run(command, args, options);
  } catch (error) {
    fail(`${label}: exit ${error.status ?? error.signal}\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
    return null;
  }
}
function listFiles(dir, base = dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path, base) : [relative(base, path)];
  });
}

// Named exports each entry point must have, beyond importing without throwing.
const EXPECTED_EXPORTS = {
  '@whatsapp-connector/client': ['createSessionClient', 'acquireSessionClient', 'createSessionClientRegistry', 'reduce', 'nextPollDelay', 'SessionError', 'normalizeStatus'],
  '@whatsapp-connector/client/contract': ['SessionError', 'isSessionError', 'parseSessionAnswer', 'normalizeStatus', 'SESSION_STATUSES', 'DEFAULT_ENDPOINT', 'parsePhoneNumber'],
  '@whatsapp-connector/client/metrics': ['createMetricsRecorder', 'MAX_TIME_TO_CONNECT_SAMPLES'],
  '@whatsapp-connector/element': ['WhatsAppConnector', 'en', 'es', 'ptBR', 'stringsFor', 'resolveLanguage'],
  '@whatsapp-connector/element/define': ['defineWhatsAppConnector', 'TAG_NAME', 'WhatsAppConnector'],
  // Types only (React 19 JSX augmentation): it must import, and exports nothing.
  '@whatsapp-connector/element/jsx-react': [],
  '@whatsapp-connector/react': ['WhatsAppConnector', 'useWhatsAppSession'],
  '@whatsapp-connector/server': ['createSessionHandler', 'createMemoryStore', 'createWahaClient', 'WahaError', 'watchSessions', 'createMetricsHandler', 'toPrometheus'],
  '@whatsapp-connector/server/node': ['toNodeHandler', 'toFetchRequest', 'writeFetchResponse', 'getNodeRequest'],
  '@whatsapp-connector/server/postgres': ['createPostgresStore', 'createOwnTableStore', 'createPostgresBus', 'createPostgresLock', 'createPostgresLease', 'migrate', 'PostgresError'],
  '@whatsapp-connector/waha-simulator': ['createWahaSimulator', 'DEFAULT_API_KEY', 'realClock', 'SimulatorError'],
  '@whatsapp-connector/conformance': ['runConformance', 'selectChecks', 'formatReport', 'ALL_CHECKS'],
};

// ---------------------------------------------------------------------------------
// 1. Pack and inspect the tarballs
// ---------------------------------------------------------------------------------

/** Every string target of an exports map, with the conditions that lead to it. */
function exportTargets(value, path = []) {
  if (typeof value === 'string') return [{ path, target: value }];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => exportTargets(inner, [...path, key]));
  return [];
}
/** Every condition object of an exports map. */
function conditionObjects(value) {
  if (!value || typeof value !== 'object') return [];
  const inner = Object.values(value).flatMap(conditionObjects);
  return Object.keys(value).some((key) => !key.startsWith('.')) ? [value, ...inner] : inner;
}

export function checkTarball(pkg, extracted) {
  const { name, manifest } = pkg;
  const files = new Set(listFiles(extracted));
  const has = (target) => files.has(target.replace(/^\.\//, ''));

  for (const file of files) {
    check(!/^src\//.test(file), `${name}: ships a source file ${file}`);
    check(!/(^|\/)(test|tests|__tests__)\//.test(file) && !/\.(test|spec)\.[cm]?[jt]sx?$/.test(file), `${name}: ships a test file ${file}`);
    check(!/(^|\/)tsconfig[^/]*\.json$|\.tsbuildinfo$|(^|\/)\.[^/]+$/.test(file), `${name}: ships a config or dot file ${file}`);
    check(!/\.ts$/.test(file) || /\.d\.ts$/.test(file), `${name}: ships TypeScript source ${file}`);
  }
  for (const required of ['package.json', 'README.md', 'LICENSE']) check(files.has(required), `${name}: ${required} missing from the tarball`);
  check(/MIT License/.test(readFileSync(join(extracted, 'LICENSE'), 'utf8')), `${name}: LICENSE is not the MIT license`);

  // Manifest: publish-ready exports and complete metadata.
  check(!JSON.stringify(manifest).includes('./src/'), `${name}: published package.json mentions ./src/`);
  for (const conditions of conditionObjects(manifest.exports)) {
    const keys = Object.keys(conditions);
    check(!keys.includes('source'), `${name}: published exports keep the "source" condition`);
    if (keys.includes('types')) check(keys[0] === 'types', `${name}: "types" is not the first condition (${keys.join(', ')})`);
    if (keys.includes('default')) check(keys.at(-1) === 'default', `${name}: "default" is not the last condition (${keys.join(', ')})`);
  }
  for (const { path, target } of exportTargets(manifest.exports)) {
    check(has(target), `${name}: exports ${path.join(' > ')} points at ${target}, not in the tarball`);
  }
  if (manifest.types) check(has(manifest.types), `${name}: "types" ${manifest.types} not in the tarball`);
  for (const bin of Object.values(manifest.bin ?? {})) {
    if (check(has(bin), `${name}: bin ${bin} not in the tarball`)) {
      check(readFileSync(join(extracted, bin), 'utf8').startsWith('#!/usr/bin/env node'), `${name}: bin ${bin} has no node shebang`);
    }
  }
  check(typeof manifest.description === 'string' && manifest.description.length > 20, `${name}: no description`);
  check(Array.isArray(manifest.keywords) && manifest.keywords.length > 0, `${name}: no keywords`);
  check(manifest.license === 'MIT', `${name}: license is not MIT`);
  check(manifest.type === 'module', `${name}: not "type": "module"`);
  check(/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(manifest.version), `${name}: version ${manifest.version} is not semver`);
  check(manifest.engines?.node === '>=20', `${name}: engines.node is not ">=20"`);
  check(manifest.publishConfig?.access === 'public', `${name}: publishConfig.access is not "public"`);
  check('sideEffects' in manifest, `${name}: no sideEffects field`);
  check(Array.isArray(manifest.files) && manifest.files.length > 0, `${name}: no files field`);
  for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) {
    check(!/^(file:|link:|workspace:|\*)/.test(range), `${name}: dependency ${dependency} has a local range ${range}`);
  }

  // Source maps: every map a file points at is shipped and carries its sources' text
  // (the maps reference ../src/*.ts, which is not published).
  for (const file of files) {
    if (file.endsWith('.js')) {
      const reference = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(extracted, file), 'utf8'))?.[1];
      if (reference && !reference.startsWith('data:')) {
        check(files.has(join(file, '..', reference)), `${name}: ${file} points at a missing source map ${reference}`);
      }
    }
    if (file.endsWith('.map')) {
      const map = JSON.parse(readFileSync(join(extracted, file), 'utf8'));
      const complete = Array.isArray(map.sourcesContent) && map.sourcesContent.length === map.sources.length && map.sourcesContent.every((text) => typeof text === 'string');
      check(complete, `${name}: ${file} lacks sourcesContent for sources that are not shipped`);
    }
  }

  if (name === '@whatsapp-connector/element') {
    check(manifest.customElements === 'custom-elements.json' && files.has('custom-elements.json'), `${name}: customElements field or custom-elements.json missing`);
    if (files.has('custom-elements.json')) {
      const cem = JSON.parse(readFileSync(join(extracted, 'custom-elements.json'), 'utf8'));
      const tags = (cem.modules ?? []).flatMap((module) => module.declarations ?? []).map((declaration) => declaration.tagName).filter(Boolean);
      check(tags.includes('whatsapp-connector'), `${name}: custom-elements.json does not declare <whatsapp-connector> (tags: ${tags.join(', ') || 'none'})`);
    }
    check(files.has('dist/standalone/whatsapp-connector.js'), `${name}: standalone build missing`);
    check(Array.isArray(manifest.sideEffects) && manifest.sideEffects.includes('./dist/define.js'), `${name}: sideEffects does not list ./dist/define.js`);
  }
  if (name === '@whatsapp-connector/react') {
    // React Server Components read the directive at the top of the file they import:
    // without it the wrapper builds in a Server Component, then fails at run time.
    const entry = readFileSync(join(extracted, 'dist/index.js'), 'utf8');
    check(/^'use client';\n/.test(entry), `${name}: dist/index.js does not start with 'use client'`);
  }
  return files;
}

// ---------------------------------------------------------------------------------
// 2. The consumer project
// ---------------------------------------------------------------------------------

function workspaceVersion(name) {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
}

function installConsumer(consumer, tarballs) {
  mkdirSync(consumer, { recursive: true });
  writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({ name: 'wac-pack-consumer', private: true, type: 'module' }, null, 2)}\n`);
  // Same versions as the workspace, so the npm cache answers; npm still resolves them.
  const thirdParty = ['react', 'react-dom', '@types/react', '@types/react-dom', '@types/node'].map((name) => `${name}@${workspaceVersion(name)}`);
  log(`npm install ${tarballs.length} tarballs + ${thirdParty.join(' ')}`);
  const output = runChecked('npm install', 'npm', ['install', ...tarballs, ...thirdParty, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: consumer });
  if (output === null) return false;
  const lock = JSON.parse(readFileSync(join(consumer, 'package-lock.json'), 'utf8'));
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.includes('node_modules/@whatsapp-connector/')) continue;
    check(path.split('node_modules/').length === 2, `install: nested copy ${path} (a ^0.1.0 range did not resolve to the sibling tarball)`);
    check(String(entry.resolved).startsWith('file:'), `install: ${path} came from ${entry.resolved}, not from a tarball`);
  }
  return true;
}

// ---------------------------------------------------------------------------------
// 3. Node
// ---------------------------------------------------------------------------------

function nodeChecks(consumer, packages) {
  const specifiers = packages.flatMap(({ name, manifest }) =>
    Object.keys(manifest.exports ?? { '.': null })
      .filter((key) => !key.endsWith('.json'))
      .map((key) => (key === '.' ? name : `${name}/${key.slice(2)}`)),
  );
  for (const specifier of Object.keys(EXPECTED_EXPORTS)) check(specifiers.includes(specifier), `node: documented entry point ${specifier} is not exported`);
  for (const specifier of specifiers) check(specifier in EXPECTED_EXPORTS, `node: entry point ${specifier} has no expected exports in pack-test.mjs`);

  // A fresh process per entry point: each import must stand on its own.
  for (const specifier of specifiers) {
    const script = `
      const expected = ${JSON.stringify(EXPECTED_EXPORTS[specifier] ?? [])};
      const module = await import(${JSON.stringify(specifier)});
      const missing = expected.filter((name) => !(name in module));
      if (missing.length) { console.error('missing exports: ' + missing.join(', ')); process.exit(1); }
      console.log(Object.keys(module).length + ' exports');`;
    const output = runChecked(`node: import ${specifier}`, process.execPath, ['--input-type=module', '-e', script], { cwd: consumer });
    if (output !== null) log(`node: import ${specifier} ok (${output.trim()})`);
  }

  // Server-side rendering: registering the tag in Node is harmless, and the React
  // component renders to HTML.
  const ssr = `
    import { createElement } from 'react';
    import { renderToString } from 'react-dom/server';
    import { defineWhatsAppConnector, TAG_NAME } from '@whatsapp-connector/element/define';
    import { WhatsAppConnector } from '@whatsapp-connector/react';
    defineWhatsAppConnector();
    const html = renderToString(createElement(WhatsAppConnector, { endpoint: '/api/whatsapp/session', lang: 'es' }));
    if (!html.includes('<' + TAG_NAME)) { console.error('unexpected SSR output: ' + html); process.exit(1); }
    console.log(html.slice(0, 80));`;
  const html = runChecked('node: SSR of the React component', process.execPath, ['--input-type=module', '-e', ssr], { cwd: consumer });
  if (html !== null) log(`node: SSR ok: ${html.trim()}`);

  for (const { manifest } of packages) {
    for (const bin of Object.keys(manifest.bin ?? {})) {
      // A bin that ignored --help and started serving would hit the timeout.
      const help = runChecked(`node: ${bin} --help`, join(consumer, 'node_modules', '.bin', bin), ['--help'], { cwd: consumer, timeout: 60_000 });
      if (help !== null && check(help.includes(bin), `node: ${bin} --help does not print its usage`)) log(`node: ${bin} --help ok`);
    }
  }
}

// ---------------------------------------------------------------------------------
// 4. Types
// ---------------------------------------------------------------------------------

// Each @ts-expect-error proves a type is not `any`.
const BROWSER_TS = `// The browser packages' main APIs; compiled with and without Node's types.
import { createSessionClient, type SessionClient, type SessionSnapshot } from '@whatsapp-connector/client';
import { isSessionError, normalizeStatus, type SessionStatus } from '@whatsapp-connector/client/contract';
import { WhatsAppConnector as ConnectorElement, en, type WacStrings } from '@whatsapp-connector/element';
import { defineWhatsAppConnector, TAG_NAME } from '@whatsapp-connector/element/define';
import { WhatsAppConnector, useWhatsAppSession } from '@whatsapp-connector/react';
import { createElement, type ReactElement } from 'react';

const client: SessionClient = createSessionClient({ endpoint: '/api/whatsapp/session' });
const snapshot: SessionSnapshot = client.getSnapshot();
const status: SessionStatus = normalizeStatus(snapshot.status);
const unsubscribe: () => void = client.subscribe((next) => console.log(next.phase));
// @ts-expect-error the endpoint is a string
createSessionClient({ endpoint: 42 });
console.log(status, unsubscribe, isSessionError(null));

defineWhatsAppConnector();
const element = document.createElement(TAG_NAME);
const typed: ConnectorElement = element; // HTMLElementTagNameMap knows the tag
typed.endpoint = '/api/whatsapp/session';
const strings: WacStrings = en;
// @ts-expect-error me.id is a string
typed.addEventListener('wac-connected', (event) => event.detail.me?.id.toFixed(2));
console.log(strings);

const widget: ReactElement = createElement(WhatsAppConnector, {
  endpoint: '/api/whatsapp/session',
  onConnected: (event) => console.log(event.detail.me?.pushName),
});
const useSession: typeof useWhatsAppSession = useWhatsAppSession;
console.log(widget, useSession);
`;

const NODE_TS = `// The Node packages' main APIs.
import { createMemoryStore, createSessionHandler, type SessionStore } from '@whatsapp-connector/server';
import { toNodeHandler } from '@whatsapp-connector/server/node';
// Types without pg installed: the postgres entry describes the pool it takes structurally.
import { createPostgresStore, type PgPool } from '@whatsapp-connector/server/postgres';
import { createWahaSimulator, DEFAULT_API_KEY } from '@whatsapp-connector/waha-simulator';
import { runConformance, type ConformanceReport } from '@whatsapp-connector/conformance';
import { createServer } from 'node:http';

const simulator = createWahaSimulator({ profile: 'fast' });
const url: string = await simulator.listen();
const handler = createSessionHandler({
  getOrganizationId: () => 'org-1',
  store: createMemoryStore(),
  waha: { url, apiKey: DEFAULT_API_KEY },
});
// @ts-expect-error getOrganizationId is required
createSessionHandler({});
const response: Response = await handler(new Request('http://localhost/api/whatsapp/session'));
const server = createServer(toNodeHandler(handler));
const report: ConformanceReport = await runConformance({ url: 'http://127.0.0.1:1/api/whatsapp/session' });
declare const pool: PgPool;
const pgStore: SessionStore = createPostgresStore({ pool });
console.log(response.status, server.listening, report, pgStore);
`;

function typeChecks(consumer) {
  writeFileSync(join(consumer, 'browser.ts'), BROWSER_TS);
  writeFileSync(join(consumer, 'server.ts'), NODE_TS);
  const tsc = require.resolve('typescript/bin/tsc');
  const base = {
    target: 'ES2022',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    types: ['node'],
    strict: true,
    noEmit: true,
    // Our declarations are checked too: an unresolved import in a .d.ts is an error.
    skipLibCheck: false,
  };
  const configs = {
    NodeNext: { options: { module: 'NodeNext', moduleResolution: 'NodeNext' }, files: ['browser.ts', 'server.ts'] },
    Bundler: { options: { module: 'ESNext', moduleResolution: 'Bundler' }, files: ['browser.ts', 'server.ts'] },
    // A front-end project without @types/node: the browser packages must not need it.
    'Bundler, no Node types': { options: { module: 'ESNext', moduleResolution: 'Bundler', types: [] }, files: ['browser.ts'] },
  };
  for (const [label, { options, files }] of Object.entries(configs)) {
    const file = `tsconfig.${label.toLowerCase().replace(/\W+/g, '-')}.json`;
    writeFileSync(join(consumer, file), JSON.stringify({ compilerOptions: { ...base, ...options }, files }, null, 2));
    log(`types: tsc --noEmit -p ${file} (${label}: ${files.join(', ')})`);
    const output = runChecked(`types (${label})`, process.execPath, [tsc, '-p', file], { cwd: consumer });
    if (output !== null) log(`types: ${label} ok`);
  }
}

// ---------------------------------------------------------------------------------
// 5. Chromium
// ---------------------------------------------------------------------------------

// Serves the pages and the session endpoint: the installed server package over the
// installed WAHA simulator. Runs in the consumer project so everything resolves there.
const SERVE_MJS = `import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { createSessionHandler } from '@whatsapp-connector/server';
import { toNodeHandler } from '@whatsapp-connector/server/node';
import { createWahaSimulator, DEFAULT_API_KEY } from '@whatsapp-connector/waha-simulator';

const simulator = createWahaSimulator({ profile: 'fast' });
const wahaUrl = await simulator.listen();
const session = toNodeHandler(createSessionHandler({ getOrganizationId: () => 'pack-test', waha: { url: wahaUrl, apiKey: DEFAULT_API_KEY } }));
const types = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json' };
const allowed = ['web/', 'node_modules/@whatsapp-connector/element/dist/standalone/'];
const server = createServer(async (request, response) => {
  const path = new URL(request.url, 'http://x').pathname;
  if (path.startsWith('/api/whatsapp/session')) return session(request, response);
  if (path === '/favicon.ico') return response.writeHead(204).end();
  const file = normalize(path.slice(1));
  if (!allowed.some((prefix) => file.startsWith(prefix))) return response.writeHead(404).end();
  try {
    const body = await readFile(join(process.cwd(), file));
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    response.writeHead(404).end();
  }
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port })));
process.on('SIGTERM', async () => { server.close(); await simulator.close(); process.exit(0); });
`;

const PAGE_JS = `import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { createSessionClient } from '@whatsapp-connector/client';
import { TAG_NAME } from '@whatsapp-connector/element/define';
import { WhatsAppConnector } from '@whatsapp-connector/react';

createRoot(document.getElementById('react-root')).render(createElement(WhatsAppConnector, { endpoint: '/api/whatsapp/session', lang: 'en' }));
window.packTest = { tag: TAG_NAME, client: typeof createSessionClient };
`;

const page = (title, script) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body>
<whatsapp-connector endpoint="/api/whatsapp/session"></whatsapp-connector>
<div id="react-root"></div>
${script}
</body></html>
`;

async function bundlePage(consumer) {
  const web = join(consumer, 'web');
  mkdirSync(web, { recursive: true });
  writeFileSync(join(web, 'page.js'), PAGE_JS);
  const { build } = await import(require.resolve('esbuild'));
  const result = await build({
    absWorkingDir: consumer,
    entryPoints: ['web/page.js'],
    outfile: join(web, 'bundle.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    nodePaths: [],
    metafile: true,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const outside = Object.keys(result.metafile.inputs).filter((input) => input.startsWith('..') || input.startsWith('/'));
  check(outside.length === 0, `chromium: the bundle read files outside the consumer project: ${outside.join(', ')}`);
  const ours = Object.keys(result.metafile.inputs).filter((input) => input.includes('node_modules/@whatsapp-connector/'));
  check(ours.every((input) => input.includes('/dist/')), `chromium: the bundle read non-dist files: ${ours.filter((input) => !input.includes('/dist/')).join(', ')}`);
  writeFileSync(join(web, 'bundled.html'), page('bundled', '<script type="module" src="/web/bundle.js"></script>'));
  writeFileSync(
    join(web, 'standalone.html'),
    page('standalone', '<script type="module" src="/node_modules/@whatsapp-connector/element/dist/standalone/whatsapp-connector.js"></script>'),
  );
  log(`chromium: bundled web/page.js (${Object.keys(result.metafile.inputs).length} inputs, all from the consumer's node_modules)`);
}

function startServer(consumer) {
  writeFileSync(join(consumer, 'serve.mjs'), SERVE_MJS);
  const child = spawn(process.execPath, ['serve.mjs'], { cwd: consumer, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('serve.mjs did not start in 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`serve.mjs exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const line = buffer.split('\n').find((candidate) => candidate.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve({ child, url: JSON.parse(line).url });
      }
    });
  });
}

async function browserChecks(consumer, temp) {
  await bundlePage(consumer);
  const { child, url } = await startServer(consumer);
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    userDataDir: mkdtempSync(join(temp, 'chromium-')),
    args: [...CHROMIUM_ARGS],
    protocolTimeout: 180_000,
  });
  try {
    for (const [label, path, expectedElements] of [
      ['bundled page (element/define + client + react)', '/web/bundled.html', 2],
      ['standalone build', '/web/standalone.html', 1],
    ]) {
      const tab = await browser.newPage();
      const problems = [];
      tab.on('console', (message) => message.type() === 'error' && problems.push(`console error: ${message.text()}`));
      tab.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      tab.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
      tab.on('response', (response) => response.status() >= 400 && problems.push(`HTTP ${response.status()} ${response.url()}`));
      try {
        await tab.goto(`${url}${path}`, { waitUntil: 'load', timeout: 120_000 });
        // Defined, rendered into a shadow root, and showing an answer from the server.
        await tab.waitForFunction(
          (count) => {
            const elements = [...document.querySelectorAll('whatsapp-connector')];
            return (
              customElements.get('whatsapp-connector') !== undefined &&
              elements.length === count &&
              elements.every((element) => element.shadowRoot && element.shadowRoot.childElementCount > 0 && element.snapshot?.status)
            );
          },
          { timeout: 120_000, polling: 250 },
          expectedElements,
        );
        const statuses = await tab.evaluate(() => [...document.querySelectorAll('whatsapp-connector')].map((element) => element.snapshot.status));
        check(problems.length === 0, `chromium: ${label}: ${problems.join('; ')}`);
        if (problems.length === 0) log(`chromium: ${label} ok: ${expectedElements} element(s) rendered, statuses ${statuses.join(', ')}`);
      } catch (error) {
        fail(`chromium: ${label}: ${error.message}${problems.length ? ` (${problems.join('; ')})` : ''}`);
      } finally {
        await tab.close();
      }
    }
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
}

// ---------------------------------------------------------------------------------

async function main() {
  for (const dir of workspaceDirs()) {
    if (!existsSync(join(ROOT, dir, 'dist'))) throw new Error(`${dir}/dist is missing: run \`npm run build\` first`);
  }
  const manifestsBefore = workspaceDirs().map((dir) => readFileSync(join(ROOT, dir, 'package.json'), 'utf8'));
  const temp = mkdtempSync(join(tmpdir(), 'wac-pack-test-'));
  log(`working in ${temp}`);
  try {
    log('pack: scripts/pack.mjs');
    const { packages } = packAll({ outDir: join(temp, 'tarballs') });
    for (const pkg of packages) {
      const extracted = join(temp, 'extracted', pkg.folder);
      mkdirSync(extracted, { recursive: true });
      run('tar', ['-xzf', pkg.tarball, '-C', extracted, '--strip-components=1']);
      const before = failures.length;
      const files = checkTarball(pkg, extracted);
      if (failures.length === before) log(`tarball: ${pkg.name}@${pkg.version} ok (${files.size} files)`);
    }
    // Another engineer may edit a package.json meanwhile; pack.mjs itself never writes one.
    const changed = workspaceDirs().filter((dir, index) => readFileSync(join(ROOT, dir, 'package.json'), 'utf8') !== manifestsBefore[index]);
    if (changed.length) log(`note: ${changed.join(', ')} package.json changed while packing (not by pack.mjs, which only reads them)`);

    const consumer = join(temp, 'consumer');
    if (!installConsumer(consumer, packages.map((pkg) => pkg.tarball))) return;
    log('install: every @whatsapp-connector/* dependency resolved to its sibling tarball');

    nodeChecks(consumer, packages);
    typeChecks(consumer);
    try {
      await browserChecks(consumer, temp);
    } catch (error) {
      fail(`chromium: ${error.stack ?? error.message}`);
    }
  } finally {
    if (keep) log(`kept ${temp}`);
    else rmSync(temp, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await main();
  } catch (error) {
    fail(error.stack ?? String(error));
  }
  if (failures.length) {
    console.log(`\npack test FAILED: ${failures.length} problem(s)`);
    for (const failure of failures) console.log(`- ${failure.split('\n')[0]}`);
    process.exit(1);
  }
  log('pack test passed');
}
