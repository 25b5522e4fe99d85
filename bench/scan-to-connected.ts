// Scan to "connected": how long after the phone scans does the widget show the
// linked number? Real Chromium, the element bundled from source, the session
// handler and the WAHA simulator, all on 127.0.0.1. For each run: wait until the
// element draws the QR, have the page trigger sim.scan() through the bench server,
// and time (on the page's own clock) until the element's shadow DOM shows the
// number. Once with polling (default 8 s cadence) and once with push (the
// handler's SSE stream fed by the simulator's session.status webhooks).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_CADENCE } from '@whatsapp-connector/client';
import { createSessionHandler, type SessionHandler } from '@whatsapp-connector/server';
import { toNodeHandler } from '@whatsapp-connector/server/node';
import { createWahaSimulator } from '@whatsapp-connector/waha-simulator';
import type { Browser, Page } from 'puppeteer-core';
import { bundleElement, launchChromium, pageHtml, sendHtml, sendScript, serveLoopback } from './lib/browser.js';
import { emit, measured, percentile, progress, type Figure } from './lib/figure.js';

const GROUP = 'scan → "connected" rendered (headless Chromium)';
const RUNS = Number(process.env.WAC_BENCH_SCAN_RUNS ?? 20);
const POLL_PARALLEL = 10;
const PUSH_PARALLEL = 4;
// Wall-clock budgets: runs not started by then are skipped and the count says so,
// so that a loaded machine gives fewer samples instead of no figure at all.
const POLL_BUDGET_MS = 120_000;
const PUSH_BUDGET_MS = 60_000;
const WEBHOOK_TOKEN = 'bench-webhook-token';
type Mode = 'poll' | 'push';

// Installed in each page before the bundle. Every time is the page's own
// performance.now(), so the delay never mixes two processes' clocks: the page
// itself asks the benchmark server to scan (a loopback POST, included in the
// delay), and a MutationObserver on the element's shadow root notes when the QR
// and then the phone number first appear.
const RECORDER = `<script>
window.__bench = {
  qrAt: null, scanAt: null, connectedAt: null,
  scan: function (path) { window.__bench.scanAt = performance.now(); return fetch(path, { method: 'POST' }).then(function (r) { return r.status; }); }
};
customElements.whenDefined('whatsapp-connector').then(function attach() {
  var el = document.querySelector('whatsapp-connector');
  var root = el && el.shadowRoot;
  if (!root) { setTimeout(attach, 5); return; }
  var b = window.__bench;
  var check = function () {
    if (b.qrAt === null && root.querySelector('[part~="qr-code"]')) b.qrAt = performance.now();
    var phone = root.querySelector('[part~="phone"]');
    if (b.connectedAt === null && phone && phone.textContent.trim() !== '') { b.connectedAt = performance.now(); b.phone = phone.textContent.trim(); }
  };
  new MutationObserver(check).observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
  check();
});
</script>`;

const sim = createWahaSimulator({ profile: 'fast', timings: { startingMs: 300, firstQrMs: 600_000, nextQrMs: 600_000 } });
const wahaUrl = await sim.listen(0, '127.0.0.1');
const bundle = await bundleElement();

/** GETs of the session endpoint per `<mode>/<org>`, with their arrival times. */
const gets = new Map<string, number[]>();
/** When each `<mode>/<org>` was scanned, on this process's clock. */
const scannedAt = new Map<string, number>();
const handlers: Partial<Record<Mode, SessionHandler>> = {};
const nodeHandlers: Partial<Record<Mode, ReturnType<typeof toNodeHandler>>> = {};

// The organization comes from a cookie, as a real backend's authentication would: the
// endpoint (and the stream URL it advertises) is the same for every organization.
// Each parallel lane is a browser context of its own, so each has its own cookie.
const ORG_COOKIE = 'wac_bench_org';
const orgFromCookie = (cookie: string | null | undefined) => new RegExp(`(?:^|;\\s*)${ORG_COOKIE}=(\\d+)`).exec(cookie ?? '')?.[1] ?? null;
const orgOf = (request: Request) => orgFromCookie(request.headers.get('cookie'));

function route(req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/element.js') {
    sendScript(res, bundle);
    return true;
  }
  const scan = /^\/scan\/(poll|push)\/(\d+)$/.exec(path);
  if (scan && req.method === 'POST') {
    const org = scan[2] ?? '0';
    scannedAt.set(`${scan[1]}/${org}`, Date.now());
    sim.scan(`${scan[1]}_${org}`, { phone: `5215500${org.padStart(6, '0')}`, pushName: `Run ${org}` });
    res.writeHead(204).end();
    return true;
  }
  const page = /^\/page\/(poll|push)\/(\d+)$/.exec(path);
  if (page) {
    res.setHeader('set-cookie', `${ORG_COOKIE}=${page[2]}; Path=/; SameSite=Strict`);
    sendHtml(res, pageHtml(`<whatsapp-connector endpoint="/${page[1]}/api/whatsapp/session"></whatsapp-connector>`, RECORDER));
    return true;
  }
  const api = /^\/(poll|push)\/api\/whatsapp\/session(\/[a-z]+)?$/.exec(path);
  if (api) {
    const mode = api[1] as Mode;
    if (req.method === 'GET' && api[2] === undefined) {
      const key = `${mode}/${orgFromCookie(req.headers.cookie)}`;
      gets.set(key, [...(gets.get(key) ?? []), Date.now()]);
    }
    nodeHandlers[mode]?.(req, res);
    return true;
  }
  return false;
}

const site = await serveLoopback(route);
const waha = { url: wahaUrl, apiKey: 'simulator-key' };
handlers.poll = createSessionHandler({ getOrganizationId: orgOf, waha, sessionPrefix: 'poll', basePath: '/poll/api/whatsapp/session' });
handlers.push = createSessionHandler({
  getOrganizationId: orgOf,
  waha,
  sessionPrefix: 'push',
  basePath: '/push/api/whatsapp/session',
  stream: true,
  webhook: { token: WEBHOOK_TOKEN, url: `${site.origin}/push/api/whatsapp/session/webhook` },
});
nodeHandlers.poll = toNodeHandler(handlers.poll);
nodeHandlers.push = toNodeHandler(handlers.push);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForStatus(name: string, status: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (sim.getSession(name)?.status !== status) {
    if (Date.now() > deadline) throw new Error(`${name} never reached ${status}`);
    await sleep(20);
  }
}

interface RunResult {
  readonly delayMs: number;
  /** No GET reached the server between the scan and the number showing. */
  readonly pushed: boolean;
}

/** What the page script records (page clock, ms). */
interface Recorder {
  qrAt: number | null;
  scanAt: number | null;
  connectedAt: number | null;
  /** The text of the number part when it first appeared. */
  phone?: string;
  scan(path: string): Promise<number>;
}

const verbose = process.env.WAC_BENCH_VERBOSE !== undefined;

async function oneRun(page: Page, mode: Mode, org: number): Promise<RunResult> {
  const name = `${mode}_${org}`;
  const started = Date.now();
  // Polling: start the session beforehand so the first GET already shows a QR
  // (saves a STARTING round of 8 s per run; it is not part of the measured delay).
  if (mode === 'poll') {
    sim.createSession(name);
    await waitForStatus(name, 'SCAN_QR_CODE', 10_000);
  }
  // A new document per run: the previous page's element, client and stream go with it.
  await page.goto(`${site.origin}/page/${mode}/${org}`);
  const loadedAt = Date.now();
  await page.waitForFunction(() => (window as unknown as { __bench: Recorder }).__bench.qrAt !== null, { timeout: 30_000, polling: 50 });
  const qrAt = Date.now();
  // A person scans at no particular moment of the polling cycle.
  if (mode === 'poll') await sleep(Math.random() * DEFAULT_CADENCE.waitingMs);
  const status = await page.evaluate((path: string) => (window as unknown as { __bench: Recorder }).__bench.scan(path), `/scan/${mode}/${org}`);
  if (status !== 204) throw new Error(`scan of ${name} answered ${status}`);
  await page.waitForFunction(() => (window as unknown as { __bench: Recorder }).__bench.connectedAt !== null, { timeout: 30_000, polling: 50 });
  const seenAt = Date.now();
  const times = await page.evaluate(() => {
    const bench = (window as unknown as { __bench: Recorder }).__bench;
    return { scanAt: bench.scanAt ?? 0, connectedAt: bench.connectedAt ?? 0, qrAt: bench.qrAt ?? 0, phone: bench.phone };
  });
  // The stream must show this organization's number, never another's.
  const expected = `5215500${String(org).padStart(6, '0')}`;
  if ((times.phone ?? '').replace(/\D/g, '') !== expected) throw new Error(`${name} showed "${times.phone}", expected +${expected}`);
  const delayMs = Math.round(times.connectedAt - times.scanAt);
  // Push check on this process's clock: no GET from the scan until the number was seen (an upper bound).
  const scanned = scannedAt.get(`${mode}/${org}`) ?? 0;
  const between = (gets.get(`${mode}/${org}`) ?? []).filter((at) => at >= scanned && at <= seenAt);
  if (verbose) progress(`${name}: page ${loadedAt - started} ms, QR ${qrAt - loadedAt} ms, connected ${delayMs} ms, GETs meanwhile ${between.length}`);
  return { delayMs, pushed: between.length === 0 };
}

async function runMode(
  browser: Browser,
  mode: Mode,
  firstOrg: number,
  parallel: number,
  budgetMs: number,
): Promise<{ results: RunResult[]; failures: string[] }> {
  const results: RunResult[] = [];
  const failures: string[] = [];
  const deadline = Date.now() + budgetMs;
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      // One context (its own window, so its page stays visible) per lane, one navigation per run.
      const context = await browser.createBrowserContext();
      try {
        const page = await context.newPage();
        while (next < RUNS && Date.now() < deadline) {
          const org = firstOrg + next++;
          try {
            results.push(await oneRun(page, mode, org));
          } catch (error) {
            failures.push(error instanceof Error ? error.message : String(error));
          }
        }
      } finally {
        await context.close().catch(() => {});
      }
    }),
  );
  return { results, failures };
}

function modeFigures(mode: Mode, label: string, outcome: { results: RunResult[]; failures: string[] }, note?: string): Figure[] {
  const delays = outcome.results.map((r) => r.delayMs);
  const p50 = percentile(delays, 50);
  const p95 = percentile(delays, 95);
  const pushed = outcome.results.filter((r) => r.pushed).length;
  const skipped = RUNS - outcome.results.length - outcome.failures.length;
  const runsNote =
    `${outcome.results.length} runs` +
    (outcome.failures.length ? `, ${outcome.failures.length} failed (${outcome.failures[0]})` : '') +
    (skipped > 0 ? `, ${skipped} skipped (time budget; the machine was busy)` : '');
  const shown = (v: number | null) => (v === null ? 'not measured' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v} ms`);
  const common = { group: GROUP, unit: 'ms' };
  return [
    measured({ ...common, id: `scan.${mode}.p50`, label: `${label}: median`, value: p50, display: shown(p50), target: null }),
    measured({
      ...common,
      id: `scan.${mode}.p95`,
      label: `${label}: p95`,
      value: p95,
      display: shown(p95),
      target: null,
      note: `${runsNote}${mode === 'push' ? `; in ${pushed} of them no GET reached the server between scan and render` : ''}${note ? `; ${note}` : ''}`,
    }),
  ];
}

const chromium = await launchChromium();
const figures: Figure[] = [];
const details: Record<string, unknown> = { runs: RUNS };
try {
  progress(`polling: ${RUNS} runs, ${POLL_PARALLEL} pages at a time, scan at a random moment of the 8 s cycle`);
  const poll = await runMode(chromium.browser, 'poll', 1, POLL_PARALLEL, POLL_BUDGET_MS);
  figures.push(...modeFigures('poll', 'with polling (8 s cadence)', poll, 'the scan falls at a random moment of the cycle, so expect ≈ uniform over 0–8 s plus one request'));
  details.poll = { delaysMs: poll.results.map((r) => r.delayMs), failures: poll.failures };

  progress(`push: ${RUNS} runs, ${PUSH_PARALLEL} pages at a time (SSE stream fed by WAHA webhooks)`);
  const push = await runMode(chromium.browser, 'push', 1, PUSH_PARALLEL, PUSH_BUDGET_MS);
  figures.push(...modeFigures('push', 'with push (SSE + webhook)', push));
  details.push = { delaysMs: push.results.map((r) => r.delayMs), pushed: push.results.filter((r) => r.pushed).length, failures: push.failures };
} finally {
  await chromium.close();
  handlers.poll?.close();
  handlers.push?.close();
  await site.close();
  await sim.close();
}
emit({ name: 'scan-to-connected', figures, details });
