// Click → new QR on screen, on WAHA's real latencies: how long after a person clicks
// "Change number" (a linked session) or "Link again" (after the phone removed the device)
// does the widget draw a new QR? Real Chromium, the element bundled from source, the
// session handler of today's server package, and the WAHA simulator on its realistic
// profile (core-2026: stop 3 s, unpair 1 s, the QR route's 5 s wait…), all on 127.0.0.1.
// Each run is one page and one organization: the page creates the session, the phone
// scans, then Change number is clicked (timed to the new QR); the phone scans again,
// unlinks, and Link again is clicked (timed to the new QR). Once with polling, once with
// push (SSE fed by the simulator's webhooks). Figures only; nothing is asserted.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSessionHandler, type SessionHandler } from '@whatsapp-connector/server';
import { toNodeHandler } from '@whatsapp-connector/server/node';
import { createWahaSimulator, REALISTIC_PROFILE } from '@whatsapp-connector/waha-simulator';
import type { Page } from 'puppeteer-core';
import { bundleElement, launchChromium, pageHtml, sendHtml, sendScript, serveLoopback } from './lib/browser.js';
import { emit, measured, percentile, progress, type Figure } from './lib/figure.js';

const GROUP = `click → new QR rendered, WAHA's latencies (simulator profile ${REALISTIC_PROFILE}, headless Chromium)`;
const RUNS = Number(process.env.WAC_BENCH_RELINK_RUNS ?? 4);
const STEP_TIMEOUT_MS = 60_000;
const WEBHOOK_TOKEN = 'bench-webhook-token';
type Mode = 'poll' | 'push';
type Action = 'change_number' | 'reconnect';
const ACTIONS: readonly { action: Action; part: string; label: string }[] = [
  { action: 'change_number', part: 'change-number', label: 'Change number (linked)' },
  { action: 'reconnect', part: 'reconnect', label: 'Link again (after the phone unlinked)' },
];

// Installed before the bundle; all times are the page's performance.now(). `click(part)`
// notes the moment and clicks the button; the observer notes the first QR drawn after it.
const RECORDER = `<script>
window.__bench = {
  clickAt: null, qrAt: null,
  root: function () { var el = document.querySelector('whatsapp-connector'); return el && el.shadowRoot; },
  has: function (selector) { var root = window.__bench.root(); return !!(root && root.querySelector(selector)); },
  ready: function (part) { var root = window.__bench.root(); var b = root && root.querySelector('[part~="' + part + '"]'); return !!(b && !b.disabled); },
  click: function (part) {
    var b = window.__bench; b.qrAt = null; b.clickAt = performance.now();
    b.root().querySelector('[part~="' + part + '"]').click();
  }
};
customElements.whenDefined('whatsapp-connector').then(function attach() {
  var b = window.__bench, root = b.root();
  if (!root) { setTimeout(attach, 5); return; }
  var check = function () { if (b.clickAt !== null && b.qrAt === null && root.querySelector('[part~="qr-code"]')) b.qrAt = performance.now(); };
  new MutationObserver(check).observe(root, { subtree: true, childList: true, attributes: true });
});
</script>`;

interface Recorder {
  clickAt: number | null;
  qrAt: number | null;
  has(selector: string): boolean;
  ready(part: string): boolean;
  click(part: string): void;
}

// The realistic default: WAHA's own latencies, quirks and webhook retries.
const sim = createWahaSimulator({ profile: REALISTIC_PROFILE });
const wahaUrl = await sim.listen(0, '127.0.0.1');
const bundle = await bundleElement();

/** The action POSTs per `<mode>/<org>` since the last click: status and duration (ms). */
const posts = new Map<string, { status: number; ms: number }[]>();
const ORG_COOKIE = 'wac_bench_org';
const orgFromCookie = (cookie: string | null | undefined) => new RegExp(`(?:^|;\\s*)${ORG_COOKIE}=(\\d+)`).exec(cookie ?? '')?.[1] ?? null;
const nodeHandlers: Partial<Record<Mode, ReturnType<typeof toNodeHandler>>> = {};

function route(req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/element.js') {
    sendScript(res, bundle);
    return true;
  }
  const page = /^\/page\/(poll|push)\/(\d+)$/.exec(path);
  if (page) {
    res.setHeader('set-cookie', `${ORG_COOKIE}=${page[2]}; Path=/; SameSite=Strict`);
    sendHtml(res, pageHtml(`<whatsapp-connector endpoint="/${page[1]}/api/whatsapp/session"></whatsapp-connector>`, RECORDER));
    return true;
  }
  const api = /^\/(poll|push)\/api\/whatsapp\/session(\/[a-z]+)?$/.exec(path);
  if (!api) return false;
  const mode = api[1] as Mode;
  if (req.method === 'POST' && api[2] === undefined) {
    const key = `${mode}/${orgFromCookie(req.headers.cookie)}`;
    const started = Date.now();
    res.once('finish', () => posts.get(key)?.push({ status: res.statusCode, ms: Date.now() - started }));
  }
  nodeHandlers[mode]?.(req, res);
  return true;
}

const site = await serveLoopback(route);
const waha = { url: wahaUrl, apiKey: sim.apiKey ?? '' };
const orgOf = (request: Request) => orgFromCookie(request.headers.get('cookie'));
const handlers: Record<Mode, SessionHandler> = {
  poll: createSessionHandler({ getOrganizationId: orgOf, waha, sessionPrefix: 'poll', basePath: '/poll/api/whatsapp/session' }),
  push: createSessionHandler({
    getOrganizationId: orgOf,
    waha,
    sessionPrefix: 'push',
    basePath: '/push/api/whatsapp/session',
    stream: true,
    webhook: { token: WEBHOOK_TOKEN, url: `${site.origin}/push/api/whatsapp/session/webhook` },
  }),
};
nodeHandlers.poll = toNodeHandler(handlers.poll);
nodeHandlers.push = toNodeHandler(handlers.push);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const recorder = (page: Page) => page.evaluateHandle(() => (window as unknown as { __bench: Recorder }).__bench);

async function waitFor(page: Page, what: string, check: (bench: Recorder, arg: string) => boolean, arg = ''): Promise<void> {
  try {
    await page.waitForFunction(check as never, { timeout: STEP_TIMEOUT_MS, polling: 25 }, await recorder(page), arg);
  } catch {
    throw new Error(`no ${what} on screen within ${STEP_TIMEOUT_MS / 1000} s`);
  }
}

/** The phone links once the session shows its QR; resolves when the number is on screen. */
async function scan(page: Page, name: string): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (sim.getSession(name)?.status !== 'SCAN_QR_CODE') {
    if (Date.now() > deadline) throw new Error(`${name} never showed a QR in WAHA`);
    await sleep(20);
  }
  sim.scan(name, { pushName: 'Bench' });
  await waitFor(page, 'number', (bench) => bench.has('[part~="phone"]'));
}

interface Sample {
  readonly action: Action;
  readonly ms: number;
  readonly answer: { status: number; ms: number } | null;
}

/** Clicks `part` once it can be clicked and times the next QR drawn. */
async function timedClick(page: Page, mode: Mode, org: number, action: (typeof ACTIONS)[number]): Promise<Sample> {
  await waitFor(page, `${action.label} button`, (bench, part) => bench.ready(part), action.part);
  const key = `${mode}/${org}`;
  posts.set(key, []);
  await page.evaluate((part: string) => (window as unknown as { __bench: Recorder }).__bench.click(part), action.part);
  await waitFor(page, 'new QR', (bench) => bench.qrAt !== null);
  const times = await page.evaluate(() => {
    const bench = (window as unknown as { __bench: Recorder }).__bench;
    return { clickAt: bench.clickAt ?? 0, qrAt: bench.qrAt ?? 0 };
  });
  return { action: action.action, ms: Math.round(times.qrAt - times.clickAt), answer: posts.get(key)?.[0] ?? null };
}

async function oneRun(page: Page, mode: Mode, org: number): Promise<Sample[]> {
  const name = `${mode}_${org}`;
  await page.goto(`${site.origin}/page/${mode}/${org}`);
  await waitFor(page, 'first QR', (bench) => bench.has('[part~="qr-code"]'));
  await scan(page, name);
  const changed = await timedClick(page, mode, org, ACTIONS[0]!);
  await scan(page, name);
  sim.unlink(name);
  const relinked = await timedClick(page, mode, org, ACTIONS[1]!);
  return [changed, relinked];
}

const chromium = await launchChromium();
const figures: Figure[] = [];
const details: Record<string, unknown> = { runs: RUNS, profile: sim.settings() };
const shown = (v: number | null) => (v === null ? 'not measured' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v} ms`);
try {
  for (const mode of ['poll', 'push'] as const) {
    progress(`${mode}: ${RUNS} runs in parallel (Change number, then Link again, each timed to the new QR)`);
    const samples: Sample[] = [];
    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: RUNS }, async (_, index) => {
        const context = await chromium.browser.createBrowserContext();
        try {
          samples.push(...(await oneRun(await context.newPage(), mode, index + 1)));
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        } finally {
          await context.close().catch(() => {});
        }
      }),
    );
    for (const { action, label } of ACTIONS) {
      const mine = samples.filter((sample) => sample.action === action);
      const delays = mine.map((sample) => sample.ms);
      const answers = mine.map((sample) => sample.answer).filter((answer) => answer !== null);
      const errors = answers.filter((answer) => answer.status >= 500).length;
      const note =
        `${mine.length} of ${RUNS} runs` +
        (failures.length ? `; ${failures.length} failed (${failures[0]})` : '') +
        `; the ${action} POST answered ${answers.map((answer) => answer.status).join(', ') || 'nothing'}` +
        ` in ${shown(percentile(answers.map((answer) => answer.ms), 50))} (median)` +
        (errors ? `; ${errors} answers were 5xx` : '');
      const common = { group: GROUP, unit: 'ms', target: null };
      const p50 = percentile(delays, 50);
      const p95 = percentile(delays, 95);
      figures.push(
        measured({ ...common, id: `relink.${mode}.${action}.p50`, label: `${label}, ${mode === 'poll' ? 'polling' : 'push (SSE + webhooks)'}: median`, value: p50, display: shown(p50) }),
        measured({ ...common, id: `relink.${mode}.${action}.p95`, label: `${label}, ${mode === 'poll' ? 'polling' : 'push (SSE + webhooks)'}: p95`, value: p95, display: shown(p95), note }),
      );
    }
    details[mode] = { samples, failures };
  }
} finally {
  await chromium.close();
  handlers.poll.close();
  handlers.push.close();
  await site.close();
  await sim.close();
}
emit({ name: 'relink-to-qr', figures, details });
