/**
 * End-to-end: the demo page in headless Chromium, the reference backend and the
 * embedded simulator, all real — the simulator on its realistic default profile (WAHA
 * Core 2026 on NOWEB: stop ~3 s, unpair ~1 s, the QR route's wait, webhooks retried).
 * Drives a whole life: QR → scan → number → a flap → Change number → the code expires →
 * a new code → scan → WAHA fails → no automatic restart → Link again restarts it and the
 * number comes back without a scan; never a 5xx.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { createWahaSimulator, type RequestLogEntry, type SimSessionView, type WahaSimulator } from '@whatsapp-connector/waha-simulator';
import { startDemo, type RunningDemo } from './server.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';

const CHROME = CHROMIUM_PATH;
const SESSION = 'wac_demo';
// The element never polls faster than 1 s; the test waits longer than that for "nothing happens".
const QR_INTERVAL_MS = 1000;
// Generous: CI machines run this next to other suites; a passing run takes a fraction of it.
const STEP_TIMEOUT_MS = 25_000;

/** What the page reported, captured from before its first script runs. */
interface PageRecorder {
  qrs: string[];
  csp: string[];
}

declare global {
  interface Window {
    __demoTest?: PageRecorder;
  }
}

let demo: RunningDemo | undefined;
let browser: Browser | undefined;
let userDataDir: string | undefined;
let wahaStandIn: WahaSimulator | undefined;
let wahaDemo: RunningDemo | undefined;
let page: Page;
let consoleErrors: string[] = [];

async function control(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  const response = await fetch(`${demo!.url}/__simulator${path}`, {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  assert.ok(response.ok, `${init.method ?? 'POST'} /__simulator${path} answered ${response.status}`);
  return response;
}

async function simSession(): Promise<SimSessionView> {
  return (await (await control(`/sessions/${SESSION}`, { method: 'GET' })).json()) as SimSessionView;
}

async function wahaRequests(): Promise<RequestLogEntry[]> {
  return (await (await control('/requests', { method: 'GET' })).json()) as RequestLogEntry[];
}

/** Waits until the element's shadow root has `selector` (containing `text`, when given); answers its text. */
async function inWidget(selector: string, text?: string): Promise<string> {
  const handle = await page.waitForFunction(
    (sel: string, expected: string | null) => {
      const found = document.querySelector('whatsapp-connector')?.shadowRoot?.querySelector(sel);
      const content = found?.textContent ?? '';
      // An object, so that an element without text (the QR's <svg>) still counts as found.
      return found && (expected === null || content.includes(expected)) ? { text: content.trim() } : false;
    },
    { timeout: STEP_TIMEOUT_MS },
    selector,
    text ?? null,
  );
  return ((await handle.jsonValue()) as { text: string }).text;
}

/** The `d` of the drawn QR's path (it changes with the payload). */
async function drawnQr(): Promise<string> {
  await inWidget('svg[part~="qr-code"]');
  return page.evaluate(
    () => document.querySelector('whatsapp-connector')?.shadowRoot?.querySelector('svg[part~="qr-code"] path')?.getAttribute('d') ?? '',
  );
}

async function clickInWidget(selector: string): Promise<void> {
  await inWidget(selector);
  await page.locator(`whatsapp-connector >>> ${selector}`).click();
}

async function waitForQrEvents(count: number): Promise<string[]> {
  await page.waitForFunction((n: number) => (window.__demoTest?.qrs.length ?? 0) >= n, { timeout: STEP_TIMEOUT_MS }, count);
  return page.evaluate(() => window.__demoTest?.qrs ?? []);
}

/** A fresh page that records console errors, CSP violations and every `wac-qr` payload from before its first script runs. */
async function openRecordedPage(): Promise<void> {
  consoleErrors = [];
  const errors = consoleErrors;
  page = await browser!.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${String(error)}`));
  // DevTools evaluation is not subject to the page's CSP.
  await page.evaluateOnNewDocument(() => {
    const recorder: PageRecorder = { qrs: [], csp: [] };
    window.__demoTest = recorder;
    document.addEventListener('securitypolicyviolation', (event) => {
      recorder.csp.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
    document.addEventListener('wac-qr', (event) => {
      const qr = (event as CustomEvent<{ qr: string | null }>).detail.qr;
      if (qr) recorder.qrs.push(qr);
    });
  });
}

before(async () => {
  if (!existsSync(CHROME)) throw new Error(`Chromium not found at ${CHROME}: apt-get install -y chromium, or set CHROME_PATH.`);
  demo = await startDemo({
    port: 0,
    // The realistic default profile, WAHA's latencies included. Its engine timings are
    // shortened where the test would otherwise wait minutes: each QR lives 8 s (WAHA:
    // 60 s, then 20 s), two before the code expires (WAHA: six); and a failure stays a
    // failure (as NOWEB's does after 20 restarts) so that "no restart without a click"
    // can be observed.
    simulatorTimings: { firstQrMs: 8_000, nextQrMs: 8_000, maxQrs: 2, failedRestartMs: Number.POSITIVE_INFINITY },
  });
  userDataDir = await mkdtemp(join(tmpdir(), 'wac-demo-chromium-'));
  browser = await puppeteer.launch({
    executablePath: CHROME,
    headless: true,
    userDataDir,
    args: [...CHROMIUM_ARGS],
  });
});

after(async () => {
  await browser?.close();
  await demo?.close();
  await wahaDemo?.close();
  await wahaStandIn?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

/** The WAHA requests that create, start, restart, log out or delete a session. */
function repairs(requests: RequestLogEntry[]): RequestLogEntry[] {
  return requests.filter(
    (entry) =>
      (entry.method === 'POST' && /^\/api\/sessions(\/[^/]+\/(start|restart|logout))?$/.test(entry.path)) ||
      entry.method === 'DELETE' ||
      entry.method === 'PUT',
  );
}

/** What was on screen when a step failed: the widget's text, the page's event log, console errors. */
async function screenState(): Promise<string> {
  const state = await page
    .evaluate(() => ({
      widget: document.querySelector('whatsapp-connector')?.shadowRoot?.textContent?.replace(/\s+/g, ' ').trim() ?? '(no widget)',
      log: [...document.querySelectorAll('#log li')].slice(0, 12).map((item) => item.textContent?.replace(/\s+/g, ' ')),
    }))
    .catch((error: unknown) => ({ error: String(error) }));
  return JSON.stringify({ ...state, consoleErrors }, null, 2);
}

test('on real WAHA latencies the demo links, rides a flap, changes number, renews an expired code, and repairs a failure with a restart; never a 5xx', async (t) => {
  try {
    await journey();
  } catch (error) {
    t.diagnostic(await screenState());
    throw error;
  }
});

async function journey(): Promise<void> {
  await openRecordedPage();
  const sessionStatuses: number[] = [];
  page.on('response', (answer) => {
    if (new URL(answer.url()).pathname.startsWith('/api/whatsapp/session')) sessionStatuses.push(answer.status());
  });
  const response = await page.goto(`${demo!.url}/?qrInterval=${QR_INTERVAL_MS}&lang=en`, { waitUntil: 'load' });
  assert.equal(response?.status(), 200);
  assert.match(response?.headers()['content-security-policy'] ?? '', /default-src 'self'/);

  // 1. The QR appears (the first GET created the session; WAHA went STARTING → SCAN_QR_CODE).
  const firstDrawing = await drawnQr();
  const [firstQr] = await waitForQrEvents(1);
  assert.equal(firstQr, (await simSession()).qr, 'the widget shows the QR WAHA holds');

  // The phone panel is there in simulator mode.
  assert.equal(await page.$eval('#phone', (panel) => (panel as HTMLElement).hidden), false);

  // 2. The phone scans it (control API) → the formatted number and the name.
  await control(`/sessions/${SESSION}/scan`, { body: { phone: '5215512345678', pushName: 'Ana' } });
  await inWidget('[part~="phone"]', '+52 1 55 1234 5678');
  assert.equal(await inWidget('[part~="name"]'), 'Ana');

  // 3. The connection flaps (WORKING ⇄ STOPPED): the widget stays calm, keeps the number,
  // and nothing restarts the session.
  await control('/requests', { method: 'DELETE' });
  await control(`/sessions/${SESSION}/flap`, { body: { times: 2, intervalMs: 1_000 } });
  await new Promise((resolve) => setTimeout(resolve, 4_500));
  await inWidget('[part~="phone"]', '+52 1 55 1234 5678');
  assert.deepEqual(repairs(await wahaRequests()), [], 'a flap is not repaired');

  // 4. Change number → a new session and a new QR (another payload), through WAHA's
  // seconds-long logout and delete.
  await clickInWidget('[part~="change-number"]');
  const confirm = await page.$('whatsapp-connector >>> [part~="confirm-change-number"]');
  if (confirm) await confirm.click();
  const qrs = await waitForQrEvents(2);
  const secondQr = qrs[qrs.length - 1];
  assert.notEqual(secondQr, firstQr, 'Change number shows another QR');
  assert.equal(secondQr, (await simSession()).qr);
  assert.notEqual(await drawnQr(), firstDrawing, 'the drawing changed with the payload');

  // 5. Nobody scans: the code expires (WAHA gives up: FAILED) → "the code expired", and
  // one click shows a new one — a restart of the session, not a delete.
  await control('/requests', { method: 'DELETE' });
  await inWidget('[part~="reconnect"]', 'Show a new code');
  await clickInWidget('[part~="reconnect"]');
  await inWidget('svg[part~="qr-code"]');
  const newCode = (await wahaRequests()).map((entry) => `${entry.method} ${entry.path}`);
  assert.ok(newCode.includes(`POST /api/sessions/${SESSION}/restart`), newCode.join('\n'));
  assert.ok(!newCode.some((call) => call.startsWith('DELETE ')), newCode.join('\n'));

  // 6. Scan the new code from the page's phone panel, with another number.
  await page.$eval('#scan-phone', (input) => ((input as HTMLInputElement).value = '5511912345678'));
  await page.$eval('#scan-name', (input) => ((input as HTMLInputElement).value = 'Bruno'));
  await page.waitForSelector('button[data-control="scan"]:not([disabled])', { timeout: STEP_TIMEOUT_MS });
  await page.click('button[data-control="scan"]');
  await inWidget('[part~="phone"]', '+55 11 91234 5678');
  await inWidget('[part~="name"]', 'Bruno');

  // 7. The session breaks in WAHA → the restart button, and no automatic restart.
  await control('/requests', { method: 'DELETE' });
  await control(`/sessions/${SESSION}/fail`, { body: { reason: 'e2e' } });
  assert.equal(await inWidget('[part~="reconnect"]', 'Link WhatsApp'), 'Link WhatsApp');
  await inWidget('[part~="change-number"]');
  const failedAt = Date.now();
  // Real time on purpose: a real browser, a real backend, and a claim about what does NOT happen.
  await new Promise((resolve) => setTimeout(resolve, 2.5 * QR_INTERVAL_MS));
  assert.deepEqual(repairs(await wahaRequests()), [], `no session was created, started, restarted or deleted without a click in ${Date.now() - failedAt} ms`);
  assert.equal((await simSession()).status, 'FAILED');
  await inWidget('[part~="reconnect"]', 'Link WhatsApp');

  // 8. The click is what restarts it (so the assertion above can fail) — a restart, the
  // least destructive repair: the phone's link survives, the same number comes back
  // without a scan, and nothing is deleted.
  await clickInWidget('[part~="reconnect"]');
  await inWidget('[part~="phone"]', '+55 11 91234 5678');
  const afterClick = (await wahaRequests()).map((entry) => `${entry.method} ${entry.path}`);
  assert.ok(afterClick.includes(`POST /api/sessions/${SESSION}/restart`), afterClick.join('\n'));
  assert.ok(!afterClick.some((call) => call.startsWith('DELETE ') || call === 'POST /api/sessions'), afterClick.join('\n'));

  // 9. Nothing went wrong on the page, and the session endpoint never answered 5xx.
  assert.ok(sessionStatuses.length > 0);
  assert.deepEqual(sessionStatuses.filter((status) => status >= 500), [], 'no 5xx');
  assert.deepEqual(await page.evaluate(() => window.__demoTest?.csp ?? []), [], 'no CSP violation');
  assert.deepEqual(consoleErrors, [], 'no console error');
}

test('with WAHA_API_URL the page runs against that WAHA and hides the phone panel', async (t) => {
  // A stand-alone simulator plays the "real" WAHA: the demo only knows its URL and key.
  wahaStandIn = createWahaSimulator({ profile: 'fast', apiKey: 'stand-in-key', timings: { startingMs: 100 } });
  const wahaUrl = await wahaStandIn.listen();
  wahaDemo = await startDemo({ port: 0, wahaUrl, wahaApiKey: 'stand-in-key' });
  assert.equal(wahaDemo.simulator, null);
  try {
    await openRecordedPage();
    await page.goto(`${wahaDemo.url}/?qrInterval=${QR_INTERVAL_MS}&lang=en`, { waitUntil: 'load' });
    await inWidget('svg[part~="qr-code"]');
    const [qr] = await waitForQrEvents(1);
    assert.equal(qr, wahaStandIn.getSession(SESSION)?.qr);
    await page.waitForFunction((text: string) => document.getElementById('mode')?.textContent === text, { timeout: STEP_TIMEOUT_MS }, `Real WAHA at ${wahaUrl}`);
    assert.equal(await page.$eval('#phone', (panel) => (panel as HTMLElement).hidden), true, 'no phone panel');

    // No simulator routes on the demo, and the key stays on the server.
    assert.equal((await fetch(`${wahaDemo.url}/__simulator/sessions`)).status, 404);
    const config = await (await fetch(`${wahaDemo.url}/demo/config`)).text();
    assert.ok(!config.includes('stand-in-key'));
    assert.ok(!(await (await fetch(`${wahaDemo.url}/api/whatsapp/session`)).text()).includes('stand-in-key'));

    assert.deepEqual(await page.evaluate(() => window.__demoTest?.csp ?? []), [], 'no CSP violation');
    assert.deepEqual(consoleErrors, [], 'no console error');
  } catch (error) {
    t.diagnostic(await screenState());
    throw error;
  }
});
