import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import { WEBHOOK_PENDING_LIMIT, isSimulatorError } from '../src/index.js';
import type { SessionStatusEvent, SimulatorOptions, WahaSimulator, WahaStatus } from '../src/index.js';
import type { TestClock } from './helpers/fake-clock.js';
import { call } from './helpers/http.js';
import { flush } from './helpers/pending.js';
import { STARTING_MS, startSimulator } from './helpers/setup.js';
import { startWebhookReceiver } from './helpers/webhook-receiver.js';
import type { ReceivedHook, WebhookReceiver } from './helpers/webhook-receiver.js';

// WAHA posts each event on its own and does not wait (src/core/integrations/webhooks/
// WebhookConductor.ts: `setImmediate(() => sender.send(data))`), and its sender retries any
// failure with axios-retry, 15 times, every 2 s by default (WebhookSender.ts:
// DEFAULT_RETRY_ATTEMPTS = 15, DEFAULT_RETRY_DELAY_SECONDS = 2, constant delay).

let sim: WahaSimulator;
let clock: TestClock;
const receivers: WebhookReceiver[] = [];

afterEach(async () => {
  await sim.close();
  for (const started of receivers.splice(0)) await started.close();
  assert.equal(clock.pendingTimers(), 0);
});

async function receiver(answer: number | ((index: number) => number) = 200): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver(answer);
  receivers.push(started);
  return started;
}

async function start(options: SimulatorOptions = {}): Promise<void> {
  ({ sim, clock } = await startSimulator({ profile: 'core-2026', timings: { startingMs: Number.POSITIVE_INFINITY }, ...options }));
}

const eventOf = (hook: ReceivedHook | undefined) => hook?.body as SessionStatusEvent;
const statuses = (hooks: ReceivedHook[]): WahaStatus[] => hooks.map((hook) => eventOf(hook).payload.status);

/** Waits for the POST under way to get its answer (so its retry, if any, is scheduled). */
async function answered(): Promise<void> {
  await sim.webhooksSettled();
  await flush();
}

describe('webhook retries (the webhookRetries quirk)', () => {
  it('a failing receiver gets the same event every 2 s, 15 times after the first, then WAHA gives up', async () => {
    const hooks = await receiver(500);
    await start({ webhookUrl: hooks.url });
    sim.createSession('s');
    await hooks.waitFor(1);
    for (let retry = 1; retry <= 15; retry += 1) {
      await answered();
      await clock.tickAsync(1999);
      await flush();
      assert.equal(hooks.received.length, retry, `no retry before 2 s (retry ${retry})`);
      await clock.tickAsync(1);
      await hooks.waitFor(retry + 1);
    }
    await answered();
    await clock.tickAsync(60_000);
    await flush();
    assert.equal(hooks.received.length, 16);
    const bodies = new Set(hooks.received.map((hook) => hook.raw));
    const ids = new Set(hooks.received.map((hook) => hook.headers['x-webhook-request-id']));
    assert.equal(bodies.size, 1, 'every retry sends the same body (same event id and timestamp)');
    assert.equal(ids.size, 1, 'and the same request id');
    assert.deepEqual(sim.webhookStats(), { sent: 16, delivered: 0, failed: 16, retried: 15, gaveUp: 1, dropped: 0, pending: 0 });
  });

  it('stops at the first success; a hook’s own `retries` (attempts, delaySeconds, policy) is honoured', async () => {
    const flaky = await receiver((index) => (index < 2 ? 503 : 200));
    await start();
    sim.createSession('s', { config: { webhooks: [{ url: flaky.url, events: ['session.status'], retries: { attempts: 3, delaySeconds: 1, policy: 'linear' } }] } });
    await flaky.waitFor(1);
    await answered();
    await clock.tickAsync(1000);
    await flaky.waitFor(2);
    await answered();
    await clock.tickAsync(1999);
    await flush();
    assert.equal(flaky.received.length, 2, 'linear: the second retry waits 2 × 1 s');
    await clock.tickAsync(1);
    await flaky.waitFor(3);
    await answered();
    await clock.tickAsync(10_000);
    assert.equal(flaky.received.length, 3);
    assert.deepEqual(sim.webhookStats(), { sent: 3, delivered: 1, failed: 2, retried: 2, gaveUp: 0, dropped: 0, pending: 0 });
  });

  it('the fast and core-2024 profiles never retry', async () => {
    for (const profile of ['fast', 'core-2024'] as const) {
      const hooks = await receiver(500);
      await start({ profile, webhookUrl: hooks.url });
      if (profile === 'core-2024') sim.startSession('default');
      else sim.createSession('s');
      await hooks.waitFor(1);
      await answered();
      await clock.tickAsync(10_000);
      assert.equal(sim.webhookStats().retried, 0, profile);
      await sim.close();
    }
  });
});

describe('WAHA’s envelope and headers', () => {
  it('2026: id, timestamp, me null when unknown, request id, timestamp header, user agent, HMAC, custom headers', async () => {
    const hooks = await receiver();
    await start();
    const t0 = clock.now();
    sim.createSession('s', {
      config: { webhooks: [{ url: hooks.url, events: ['*'], hmac: { key: 'k' }, customHeaders: [{ name: 'X-Token', value: 't' }] }] },
    });
    const [hook] = await hooks.waitFor(1);
    const event = eventOf(hook);
    assert.match(event.id ?? '', /^evt_[0-9a-z]{26}$/);
    assert.equal(event.timestamp, t0);
    assert.equal(event.me, null);
    assert.ok(hook && 'me' in (hook.body as object), 'me is present, as null');
    assert.match(String(hook?.headers['x-webhook-request-id']), /^[0-9A-Z]{26}$/);
    assert.equal(hook?.headers['x-webhook-timestamp'], String(t0));
    assert.equal(hook?.headers['user-agent'], 'WAHA/2026.7.1');
    assert.equal(hook?.headers['x-token'], 't');
    assert.equal(hook?.headers['x-webhook-hmac'], createHmac('sha512', 'k').update(hook?.raw ?? '').digest('hex'));
    assert.equal(hook?.headers['x-webhook-hmac-algorithm'], 'sha512');
  });

  it('2024.10 (legacyWebhooks): no id, no timestamp, no statuses, no HMAC, no custom headers', async () => {
    const hooks = await receiver();
    await start({ profile: 'core-2024' });
    await call(sim, 'PUT', '/api/sessions/default', {
      body: { config: { webhooks: [{ url: hooks.url, events: ['session.status'], hmac: { key: 'k' }, customHeaders: [{ name: 'X-Token', value: 't' }] }] } },
    });
    sim.startSession('default');
    const [hook] = await hooks.waitFor(1);
    assert.deepEqual(Object.keys(hook?.body as object).sort(), ['engine', 'environment', 'event', 'me', 'payload', 'session']);
    assert.deepEqual(eventOf(hook).payload, { name: 'default', status: 'STARTING' });
    assert.equal(eventOf(hook).environment.version, '2024.10.8');
    for (const header of ['x-webhook-hmac', 'x-webhook-request-id', 'x-webhook-timestamp', 'x-token']) assert.equal(hook?.headers[header], undefined, header);
  });
});

describe('late, doubled and reordered deliveries (setWebhookDelivery)', () => {
  it('delayMs: every delivery leaves that long after its event', async () => {
    const hooks = await receiver();
    await start({ webhookUrl: hooks.url });
    sim.setWebhookDelivery({ delayMs: 5000 });
    sim.createSession('s');
    await clock.tickAsync(4999);
    await flush();
    assert.equal(hooks.received.length, 0);
    await clock.tickAsync(1);
    await hooks.waitFor(1);
  });

  it('duplicate: the same event (same id) arrives twice', async () => {
    const hooks = await receiver();
    await start({ webhookUrl: hooks.url });
    sim.setWebhookDelivery({ duplicate: 1 });
    sim.createSession('s');
    const [first, second] = await hooks.waitFor(2);
    assert.equal(eventOf(first).id, eventOf(second).id);
  });

  it('reorderWindowMs: STARTING, SCAN_QR_CODE, WORKING arrive newest first', async () => {
    const hooks = await receiver();
    await start({ webhookUrl: hooks.url, timings: { startingMs: 100 } });
    sim.setWebhookDelivery({ reorderWindowMs: 1000 });
    sim.createSession('s');
    await clock.tickAsync(100);
    sim.scan('s');
    assert.equal(hooks.received.length, 0);
    await clock.tickAsync(900);
    assert.deepEqual(statuses(await hooks.waitFor(3)), ['WORKING', 'SCAN_QR_CODE', 'STARTING']);
  });

  it('the control route sets and shows the same options; bad values are refused', async () => {
    await start();
    const control = (method: string, body?: unknown) => call(sim, method, '/__simulator/webhooks/delivery', { key: null, ...(body === undefined ? {} : { body }) });
    assert.deepEqual((await control('POST', { delayMs: 10, duplicate: 0.5 })).json, { delayMs: 10, duplicate: 0.5, reorderWindowMs: 0 });
    assert.deepEqual((await control('GET')).json, sim.webhookDelivery());
    assert.equal((await control('POST', { duplicate: 2 })).status, 422);
    assert.equal((await control('POST', { delayMs: 'soon' })).status, 400);
    assert.throws(() => sim.setWebhookDelivery({ reorderWindowMs: -1 }), (error: unknown) => isSimulatorError(error) && error.code === 'INVALID_ARGUMENT');
  });

  it(`is bounded: beyond ${WEBHOOK_PENDING_LIMIT} pending deliveries, events are dropped and counted`, async () => {
    const hooks = await receiver();
    await start({ profile: 'fast', webhookUrl: hooks.url, timings: { startingMs: Number.POSITIVE_INFINITY } });
    sim.setWebhookDelivery({ delayMs: 60_000 });
    for (let i = 0; i <= WEBHOOK_PENDING_LIMIT; i += 1) sim.createSession(`s${i}`);
    const stats = sim.webhookStats();
    assert.equal(stats.pending, WEBHOOK_PENDING_LIMIT);
    assert.equal(stats.dropped, 1);
  });
});
