// Element lifecycle: 1,000 mount/unmount cycles of <whatsapp-connector> in headless
// Chromium against a scripted backend on 127.0.0.1 (alternately a connected session
// and a QR, so both views and the QR encoder are exercised). Each cycle waits for
// the view to render, then removes the element. Reports the JS heap before and
// after (CDP, after a forced GC) and the timers still scheduled at the end,
// counted by wrapping setTimeout / setInterval before the bundle loads.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bundleElement, launchChromium, pageHtml, sendHtml, sendScript, serveLoopback } from './lib/browser.js';
import { emit, measured, progress, type Figure } from './lib/figure.js';

const GROUP = 'element: 1,000 mount/unmount cycles (headless Chromium)';
const CYCLES = Number(process.env.WAC_BENCH_CYCLES ?? 1000);
const WARMUP_CYCLES = 20;
const BATCH = 100;

// Runs before anything else on the page: every timer the page schedules is tracked.
const TIMER_PROBE = `<script>
(function () {
  var live = new Set();
  var counts = { timeouts: 0, intervals: 0 };
  var st = window.setTimeout, ct = window.clearTimeout, si = window.setInterval, ci = window.clearInterval;
  // The benchmark's own waits use the unwrapped timers, so they are never counted.
  window.__bench = {
    live: live,
    counts: counts,
    sleep: function (ms) { return new Promise(function (r) { st.call(window, r, ms); }); },
    after: function (ms, fn) { var id = st.call(window, fn, ms); return function () { ct.call(window, id); }; }
  };
  window.setTimeout = function (fn, ms) {
    var args = Array.prototype.slice.call(arguments, 2);
    var id = st.call(window, function () { live.delete(id); if (typeof fn === 'function') fn.apply(this, args); }, ms);
    live.add(id); counts.timeouts++;
    return id;
  };
  window.clearTimeout = function (id) { live.delete(id); ct.call(window, id); };
  window.setInterval = function () { var id = si.apply(window, arguments); live.add(id); counts.intervals++; return id; };
  window.clearInterval = function (id) { live.delete(id); ci.call(window, id); };
})();
</script>`;

const ANSWERS: Record<string, unknown> = {
  working: { status: 'WORKING', sessionName: 'wac_1', connected: true, me: { id: '5215512345678@c.us', pushName: 'Ana' } },
  qr: { status: 'SCAN_QR', sessionName: 'wac_1', connected: false, qr: '2@bench-qr-payload,XyZ123==,AbC456==,1' },
};
let gets = 0;

const bundle = await bundleElement();
const site = await serveLoopback((req: IncomingMessage, res: ServerResponse) => {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/element.js') sendScript(res, bundle);
  else if (path === '/') sendHtml(res, pageHtml('', TIMER_PROBE));
  else {
    const match = /^\/scripted\/(working|qr)\/api\/whatsapp\/session$/.exec(path ?? '');
    if (!match) return false;
    if (req.method === 'GET') gets++;
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(ANSWERS[match[1] ?? 'working']));
  }
  return true;
});

interface PageProbe {
  live: Set<number>;
  counts: { timeouts: number; intervals: number };
  sleep(ms: number): Promise<void>;
  after(ms: number, fn: () => void): () => void;
}

const chromium = await launchChromium();
const figures: Figure[] = [];
let details: Record<string, unknown> = {};
try {
  const context = await chromium.browser.createBrowserContext();
  const page = await context.newPage();
  await page.goto(`${site.origin}/`);
  await page.waitForFunction(() => customElements.get('whatsapp-connector') !== undefined, { timeout: 30_000 });
  const cdp = await page.createCDPSession();
  await cdp.send('Performance.enable');

  /** Mounts and unmounts `count` elements, starting at cycle `first`; resolves the failures. */
  const cycles = (first: number, count: number) =>
    page.evaluate(
      async (first: number, count: number) => {
        const bench = (window as unknown as { __bench: PageProbe }).__bench;
        let failures = 0;
        for (let i = first; i < first + count; i++) {
          const showQr = i % 2 === 1;
          const el = document.createElement('whatsapp-connector');
          el.setAttribute('endpoint', `/scripted/${showQr ? 'qr' : 'working'}/api/whatsapp/session`);
          document.body.append(el);
          const selector = showQr ? '[part~="qr-code"]' : '[part~="phone"]';
          // Lit renders the first time on a microtask: the shadow root exists once the element is connected.
          await Promise.resolve();
          const root = el.shadowRoot;
          const shown =
            root !== null &&
            (root.querySelector(selector) !== null ||
              (await new Promise<boolean>((resolve) => {
                const observer = new MutationObserver(() => {
                  if (root.querySelector(selector) === null) return;
                  observer.disconnect();
                  cancel();
                  resolve(true);
                });
                observer.observe(root, { subtree: true, childList: true });
                // Cancelled on success: a pending fallback would keep the removed element alive.
                const cancel = bench.after(5000, () => {
                  observer.disconnect();
                  resolve(root.querySelector(selector) !== null);
                });
              })));
          if (!shown) failures++;
          el.remove();
        }
        return failures;
      },
      first,
      count,
    );

  const measure = async () => {
    await page.evaluate(() => (window as unknown as { __bench: PageProbe }).__bench.sleep(200));
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? null;
    const timers = await page.evaluate(() => {
      const bench = (window as unknown as { __bench: PageProbe }).__bench;
      return { live: bench.live.size, ...bench.counts };
    });
    return { heap: usedSize, nodes: metric('Nodes'), listeners: metric('JSEventListeners'), timers };
  };

  progress(`${WARMUP_CYCLES} warm-up cycles (JIT, QR encoder loaded)`);
  let failures = await cycles(0, WARMUP_CYCLES);
  const before = await measure();
  const getsBefore = gets;
  progress(`${CYCLES} measured cycles`);
  const started = Date.now();
  let half: Awaited<ReturnType<typeof measure>> | null = null;
  for (let done = 0; done < CYCLES; done += BATCH) {
    failures += await cycles(WARMUP_CYCLES + done, Math.min(BATCH, CYCLES - done));
    // A leak grows with every cycle; warm-up effects (code, caches) do not: compare the two halves.
    if (half === null && done + BATCH >= CYCLES / 2) half = await measure();
  }
  const elapsedMs = Date.now() - started;
  const after = await measure();
  const cycleGets = gets - getsBefore;
  await context.close();

  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
  const growth = after.heap - before.heap;
  figures.push(
    measured({ id: 'element.heapBefore', group: GROUP, label: 'JS heap before (after GC)', value: before.heap, unit: 'bytes', display: mb(before.heap), target: null }),
    measured({
      id: 'element.heapAfter',
      group: GROUP,
      label: `JS heap after ${CYCLES} cycles (after GC)`,
      value: after.heap,
      unit: 'bytes',
      display: `${mb(after.heap)} (${growth >= 0 ? '+' : ''}${(growth / 1024).toFixed(1)} KB, ${(growth / CYCLES).toFixed(0)} B/cycle)`,
      target: null,
    }),
    measured({
      id: 'element.heapSecondHalf',
      group: GROUP,
      label: 'JS heap growth over the second half of the cycles',
      value: half === null ? null : after.heap - half.heap,
      unit: 'bytes',
      display: half === null ? 'not measured' : `${((after.heap - half.heap) / 1024).toFixed(1)} KB (${((after.heap - half.heap) / (CYCLES / 2)).toFixed(0)} B/cycle)`,
      target: null,
    }),
    measured(
      {
        id: 'element.liveTimers',
        group: GROUP,
        label: 'timers still scheduled after the last unmount',
        value: after.timers.live,
        unit: 'timers',
        display: `${after.timers.live} (of ${after.timers.timeouts} timeouts, ${after.timers.intervals} intervals set)`,
        target: '0',
      },
      (value) => value === 0,
    ),
    measured({
      id: 'element.domNodes',
      group: GROUP,
      label: 'DOM nodes / JS event listeners, before → after',
      value: after.nodes,
      unit: 'nodes',
      display: `${before.nodes} → ${after.nodes} nodes, ${before.listeners} → ${after.listeners} listeners`,
      target: null,
    }),
    measured(
      {
        id: 'element.getsPerMount',
        group: GROUP,
        label: 'GETs sent per mount',
        value: Math.round((cycleGets / CYCLES) * 100) / 100,
        unit: 'GET',
        display: `${(cycleGets / CYCLES).toFixed(2)} (${cycleGets} for ${CYCLES} mounts; ${(elapsedMs / CYCLES).toFixed(1)} ms per cycle)`,
        target: null,
        ...(failures > 0 ? { note: `${failures} cycles did not render their view within 5 s` } : {}),
      },
    ),
  );
  details = { cycles: CYCLES, warmupCycles: WARMUP_CYCLES, failures, elapsedMs, gets: cycleGets, before, half, after };
} finally {
  await chromium.close();
  await site.close();
}
emit({ name: 'element-cycles', figures, details });
