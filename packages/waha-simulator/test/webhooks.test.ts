import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import type { SessionStatusEvent, WahaSimulator } from '../src/index.js';
import type { TestClock } from './helpers/fake-clock.js';
import { wahaOpenApi } from './helpers/openapi.js';
import { STARTING_MS, startSimulator } from './helpers/setup.js';
import { wahaCall } from './helpers/waha-call.js';
import { startWebhookReceiver } from './helpers/webhook-receiver.js';
import type { ReceivedHook, WebhookReceiver } from './helpers/webhook-receiver.js';

let sim: WahaSimulator;
let clock: TestClock;
const receivers: WebhookReceiver[] = [];

async function receiver(status = 200): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver(status);
  receivers.push(started);
  return started;
}

afterEach(async () => {
  await sim.close();
  for (const started of receivers.splice(0)) await started.close();
});

/** Deliveries run in parallel, so arrival order is not emission order: the history length is. */
const inEmissionOrder = (hooks: ReceivedHook[]) =>
  hooks.map((hook) => hook.body as SessionStatusEvent).sort((a, b) => (a.payload.statuses?.length ?? 0) - (b.payload.statuses?.length ?? 0));

/**
 * Validates an envelope against WAHA's `WAHAWebhookSessionStatus`. WAHA's code sends
 * `me: null` when the engine knows no account, which its schema (`me: MeInfo`) does not
 * allow: that one field is checked here by hand.
 */
function assertWahaEnvelope(body: unknown): void {
  const { me, ...rest } = body as { me?: unknown };
  assert.ok(me === null || (typeof me === 'object' && me !== undefined), 'me is an object or null, never absent');
  wahaOpenApi().assertComponent('WAHAWebhookSessionStatus', me === null ? rest : body);
}

const NO_DELIVERIES = { sent: 0, delivered: 0, failed: 0, retried: 0, gaveUp: 0, dropped: 0, pending: 0 };

/** A port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('session.status webhooks', () => {
  it('posts one event per status change with WAHA’s envelope, valid against the OpenAPI', async () => {
    const hooks = await receiver();
    ({ sim, clock } = await startSimulator({ webhookUrl: `${hooks.url}/waha` }));
    const createdAt = clock.now();
    sim.createSession('default');
    clock.tick(STARTING_MS);
    sim.scan('default', { phone: '5215512345678', pushName: 'Ana' });
    const received = await hooks.waitFor(3);
    assert.equal(received.length, 3);
    for (const hook of received) {
      assert.equal(hook.path, '/waha');
      assert.equal(hook.headers['content-type'], 'application/json');
      assertWahaEnvelope(hook.body);
    }
    const [starting, qr, working] = inEmissionOrder(received);
    assert.equal(starting?.event, 'session.status');
    assert.equal(starting?.session, 'default');
    assert.equal(starting?.engine, 'NOWEB');
    assert.equal(starting?.timestamp, createdAt);
    assert.match(starting?.id ?? '', /^evt_[0-9a-z]{26}$/);
    assert.equal(starting?.environment.engine, 'NOWEB');
    assert.deepEqual(starting?.payload, {
      name: 'default',
      status: 'STARTING',
      statuses: [
        { status: 'STOPPED', timestamp: createdAt },
        { status: 'STARTING', timestamp: createdAt },
      ],
    });
    assert.equal(starting?.me, null);
    assert.equal(qr?.payload.status, 'SCAN_QR_CODE');
    assert.equal(qr?.timestamp, createdAt + STARTING_MS);
    assert.equal(working?.payload.status, 'WORKING');
    assert.deepEqual(working?.me, { id: '5215512345678@c.us', pushName: 'Ana' });
    assert.notEqual(starting?.id, qr?.id);
    await sim.webhooksSettled();
    assert.deepEqual(sim.webhookStats(), { ...NO_DELIVERIES, sent: 3, delivered: 3 });
  });

  it('re-sends SCAN_QR_CODE on each QR rotation, and FAILED at the end', async () => {
    const hooks = await receiver();
    ({ sim, clock } = await startSimulator({ webhookUrl: hooks.url, timings: { maxQrs: 2 } }));
    sim.createSession('default');
    clock.tick(STARTING_MS);
    clock.tick(60_000);
    clock.tick(20_000);
    const statuses = inEmissionOrder(await hooks.waitFor(4)).map((event) => event.payload.status);
    assert.deepEqual(statuses, ['STARTING', 'SCAN_QR_CODE', 'SCAN_QR_CODE', 'FAILED']);
  });

  it('honours per-session config.webhooks (events filter, hmac, custom headers, metadata)', async () => {
    const wanted = await receiver();
    const unwanted = await receiver();
    ({ sim, clock } = await startSimulator());
    const answer = await wahaCall(sim, 'POST', '/api/sessions', {
      body: {
        name: 'shop',
        config: {
          metadata: { 'user.id': '42' },
          webhooks: [
            {
              url: `${wanted.url}/hook`,
              events: ['message', 'session.status'],
              hmac: { key: 'super-secret' },
              customHeaders: [{ name: 'X-Request-ID', value: '123' }],
            },
            { url: unwanted.url, events: ['message'] },
          ],
        },
      },
    });
    assert.equal(answer.status, 201);
    const [hook] = await wanted.waitFor(1);
    assert.ok(hook);
    assert.equal(hook.headers['x-request-id'], '123');
    assert.equal(hook.headers['x-webhook-hmac-algorithm'], 'sha512');
    assert.equal(hook.headers['x-webhook-hmac'], createHmac('sha512', 'super-secret').update(hook.raw).digest('hex'));
    assert.deepEqual((hook.body as SessionStatusEvent).metadata, { 'user.id': '42' });
    assertWahaEnvelope(hook.body);
    await sim.webhooksSettled();
    assert.equal(unwanted.received.length, 0);
  });

  it('goes to the global URL and to the session’s webhooks alike', async () => {
    const global = await receiver();
    const own = await receiver();
    ({ sim, clock } = await startSimulator({ webhookUrl: global.url }));
    sim.createSession('default', { config: { webhooks: [{ url: own.url, events: ['*'] }] } });
    await Promise.all([global.waitFor(1), own.waitFor(1)]);
    assert.equal((global.received[0]?.body as SessionStatusEvent).id, (own.received[0]?.body as SessionStatusEvent).id);
  });

  it('counts failed deliveries and never throws', async () => {
    const refusing = await receiver(500);
    const port = await closedPort();
    ({ sim, clock } = await startSimulator({ webhookUrl: refusing.url }));
    sim.createSession('a', { config: { webhooks: [{ url: `http://127.0.0.1:${port}/`, events: ['session.status'] }] } });
    sim.createSession('b', { config: { webhooks: [{ url: 'not a url', events: ['session.status'] }] } });
    await refusing.waitFor(2);
    await sim.webhooksSettled();
    assert.deepEqual(sim.webhookStats(), { ...NO_DELIVERIES, sent: 4, failed: 4, gaveUp: 4 });
  });

  it('sends nothing when no webhook is configured', async () => {
    ({ sim, clock } = await startSimulator());
    sim.createSession('default');
    clock.tick(STARTING_MS);
    assert.deepEqual(sim.webhookStats(), NO_DELIVERIES);
  });
});
