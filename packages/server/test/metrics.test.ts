import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import FakeTimers from '@sinonjs/fake-timers';
import {
  createMetrics,
  createMetricsHandler,
  escapeLabel,
  PROMETHEUS_CONTENT_TYPE,
  toPrometheus,
  WahaError,
  watchSessions,
  type Clock,
  type WahaClient,
} from '../src/index.js';
import { createWahaSimulator, type WahaSimulator } from '@whatsapp-connector/waha-simulator';
import { API_KEY, harness, json, type Harness } from './helpers.js';

/** Parses the text format strictly enough to catch format mistakes. */
function parse(text: string): { types: Map<string, string>; samples: Map<string, number> } {
  assert.ok(text.endsWith('\n'), 'ends with a newline');
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.trimEnd().split('\n')) {
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+$/.test(line)) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (NaN|[+-]Inf|-?[0-9.e+-]+)$/.exec(line);
    assert.ok(sample, `not a valid exposition line: ${line}`);
    const family = sample[1]!.replace(/_(bucket|sum|count)$/, '');
    assert.ok(types.has(sample[1]!) || types.has(family), `sample before its TYPE: ${line}`);
    samples.set(sample[1]! + (sample[2] ?? ''), Number(sample[3]));
  }
  return { types, samples };
}

describe('Prometheus text format', () => {
  it('renders every family with HELP/TYPE and valid samples', () => {
    const metrics = createMetrics();
    metrics.setSessionsByStatus({ WORKING: 2, SCAN_QR: 1, 'WEIRD"\\\n': 1 });
    metrics.connectAttempt('a', 0);
    metrics.observeStatus('a', 'WORKING', 20_000);
    metrics.connectAttempt('b', 0);
    metrics.observeStatus('b', 'FAILED', 1000);
    metrics.connectAttempt('c', 0);
    metrics.observeStatus('c', 'WORKING', 90_000);
    metrics.flap('a');
    metrics.failure('b');
    metrics.recovery('b');
    metrics.wahaError(new WahaError({ kind: 'timeout', method: 'GET', path: '/x' }));
    metrics.wahaError(new WahaError({ kind: 'http', method: 'GET', path: '/x', status: 503 }));
    metrics.wahaError(new WahaError({ kind: 'http', method: 'GET', path: '/x', status: 401 }));

    const { types, samples } = parse(toPrometheus(metrics.snapshot()));
    assert.equal(types.get('wac_sessions'), 'gauge');
    assert.equal(types.get('wac_time_to_connect_seconds'), 'histogram');
    assert.equal(types.get('wac_flaps_total'), 'counter');
    assert.equal(samples.get('wac_sessions{status="WORKING"}'), 2);
    assert.equal(samples.get('wac_sessions{status="FAILED"}'), 0);
    assert.equal(samples.get('wac_sessions{status="WEIRD\\"\\\\\\n"}'), 1);
    assert.equal(samples.get('wac_connect_attempts_total'), 3);
    assert.equal(samples.get('wac_connect_successes_total'), 2);
    assert.equal(samples.get('wac_connect_failures_total'), 1);
    assert.equal(samples.get('wac_connect_success_ratio'), 2 / 3);
    assert.equal(samples.get('wac_time_to_connect_seconds_bucket{le="15"}'), 0);
    assert.equal(samples.get('wac_time_to_connect_seconds_bucket{le="30"}'), 1);
    assert.equal(samples.get('wac_time_to_connect_seconds_bucket{le="120"}'), 2);
    assert.equal(samples.get('wac_time_to_connect_seconds_bucket{le="+Inf"}'), 2);
    assert.equal(samples.get('wac_time_to_connect_seconds_sum'), 110);
    assert.equal(samples.get('wac_time_to_connect_seconds_count'), 2);
    assert.equal(samples.get('wac_flaps_total'), 1);
    assert.equal(samples.get('wac_waha_errors_total{kind="timeout"}'), 1);
    assert.equal(samples.get('wac_waha_errors_total{kind="http_5xx"}'), 1);
    assert.equal(samples.get('wac_waha_errors_total{kind="http_4xx"}'), 1);
  });

  it('reports NaN for the success ratio before any attempt concluded, and honours the prefix', () => {
    const { samples } = parse(toPrometheus(createMetrics().snapshot(), { prefix: 'erp_whatsapp' }));
    assert.ok(Number.isNaN(samples.get('erp_whatsapp_connect_success_ratio')));
  });

  it("adds the watcher's own counters, the lease included", async () => {
    const fake = FakeTimers.createClock(0);
    const clock: Clock = { now: () => fake.now, setTimeout: (f, ms) => fake.setTimeout(f, ms), clearTimeout: (t) => fake.clearTimeout(t as never) };
    const hanging = { listSessions: () => new Promise(() => {}) } as unknown as WahaClient;
    const watcher = watchSessions({ waha: hanging, clock, listTimeoutMs: 100, lease: { acquire: async () => true, release: async () => {} } });
    await fake.tickAsync(100);
    const { types, samples } = parse(toPrometheus(createMetrics().snapshot(), { watcher }));
    watcher.stop();
    assert.equal(types.get('wac_watcher_check_timeouts_total'), 'counter');
    assert.equal(samples.get('wac_watcher_check_timeouts_total'), 1);
    assert.equal(samples.get('wac_watcher_check_errors_total'), 1);
    assert.equal(samples.get('wac_watcher_lease_held'), 1);
    assert.equal(samples.get('wac_watcher_wahas'), 1);
  });

  it('escapes label values', () => {
    assert.equal(escapeLabel('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
  });
});

describe('createMetricsHandler', () => {
  it('serves the text format on GET', async () => {
    const response = await createMetricsHandler(createMetrics())(new Request('http://x/metrics'));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), PROMETHEUS_CONTENT_TYPE);
    parse(await response.text());
  });

  it('refuses other methods with 405 and unauthorized scrapers with 401', async () => {
    const handler = createMetricsHandler(createMetrics(), { authorize: (r) => r.headers.get('authorization') === 'Bearer ok' });
    assert.equal((await handler(new Request('http://x/metrics', { method: 'POST' }))).status, 405);
    assert.equal((await handler(new Request('http://x/metrics'))).status, 401);
    assert.equal((await handler(new Request('http://x/metrics', { headers: { authorization: 'Bearer ok' } }))).status, 200);
  });
});

describe('metrics fed by the handler', () => {
  let h: Harness;
  let other: WahaSimulator | undefined;
  let stop: (() => void) | undefined;
  afterEach(async () => {
    stop?.();
    stop = undefined;
    await other?.close();
    other = undefined;
    await h.close();
  });

  it('counts a connect attempt, its success and time to connect, and WAHA errors', async () => {
    const metrics = createMetrics();
    let fakeRef: Harness['fake'] | undefined;
    const clock: Clock = {
      now: () => fakeRef!.now,
      setTimeout: (f, ms) => fakeRef!.setTimeout(f, ms),
      clearTimeout: (t) => fakeRef!.clearTimeout(t as never),
    };
    h = await harness({ handler: { metrics, clock } });
    fakeRef = h.fake;
    await h.get('1');
    h.fake.tick(2000);
    await h.get('1');
    h.fake.tick(40_000);
    h.sim.scan('eagles_1', { phone: '5215512345678' });
    await h.get('1');
    const snapshot = metrics.snapshot();
    assert.equal(snapshot.connectAttempts, 1);
    assert.equal(snapshot.connectSuccesses, 1);
    assert.equal(snapshot.timeToConnect.sumSeconds, 42);
    h.sim.setErrorRate(1);
    await h.get('1');
    assert.equal(metrics.snapshot().wahaErrors.http_5xx, 1);
  });

  it("keeps two organizations' single-session WAHAs apart: one's `default` never concludes the other's connect attempt", async () => {
    const metrics = createMetrics();
    // WAHA Core before 2026.6.1: each WAHA runs only `default`. Organization A on the
    // server's own, B on one it names; every clock is the harness's fake one.
    const single = { quirks: { singleSession: 'core-2025' as const } };
    let urlB = '';
    const resolveWahaConfig = (orgId: string) => (orgId === 'B' ? { url: urlB, apiKey: API_KEY } : null);
    h = await harness({ sim: single, sharedClock: true, handler: { metrics, resolveWahaConfig } });
    const clock: Clock = { now: () => h.fake.now, setTimeout: (f, ms) => h.fake.setTimeout(f, ms), clearTimeout: (t) => h.fake.clearTimeout(t as never) };
    other = createWahaSimulator({ profile: 'fast', apiKey: API_KEY, clock, ...single });
    urlB = await other.listen(0, '127.0.0.1');
    const watcher = watchSessions({ waha: { url: h.wahaUrl, apiKey: API_KEY }, store: h.store, resolveWahaConfig, metrics, clock, immediate: false, intervalMs: 3_600_000 });
    stop = () => watcher.stop();
    const status = async (org: string) => (await json<{ status: string; sessionName: string }>(await h.get(org)));

    for (const org of ['A', 'B']) assert.equal((await status(org)).sessionName, 'default');
    h.fake.tick(2_000);
    h.sim.scan('default', { phone: '5215500000001' });
    other.scan('default', { phone: '5215500000002' });
    for (const org of ['A', 'B']) assert.equal((await status(org)).status, 'WORKING');
    assert.equal(metrics.snapshot().connectAttempts, 0, 'starting the default WAHA booted is no attempt');

    // A links another phone: its `default` is created anew, an attempt starts.
    const changed = await h.post('A', { action: 'change_number' });
    assert.equal(changed.status, 200, await changed.clone().text());
    assert.equal(metrics.snapshot().connectAttempts, 1);
    h.fake.tick(5_000);
    // B's `default` is WORKING, seen by a GET and by the watcher: nothing of A's concludes.
    assert.equal((await status('B')).status, 'WORKING');
    await watcher.check();
    assert.equal(metrics.snapshot().connectSuccesses, 0, "B's default concluded A's attempt");

    // A's phone scans: the watcher, which names sessions as the handler does, concludes it.
    h.fake.tick(2_000);
    h.sim.scan('default', { phone: '5215500000003' });
    await watcher.check();
    const snapshot = metrics.snapshot();
    assert.equal(snapshot.connectSuccesses, 1);
    assert.equal(snapshot.timeToConnect.sumSeconds, 7, 'from the change to the scan');
  });
});
