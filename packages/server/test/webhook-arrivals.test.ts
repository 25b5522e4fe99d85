import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import FakeTimers from '@sinonjs/fake-timers';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { createWahaSimulator, type WahaSimulator } from '@whatsapp-connector/waha-simulator';
import { ORG_METADATA_KEY, organizationWebhookSecrets, type Clock, type WahaConfig } from '../src/index.js';
import { API_KEY, ENDPOINT, harness, type Harness } from './helpers.js';
import { SseReader } from './sse.js';
import { event, hook, TOKEN } from './webhook-helpers.js';

/** Where WAHA is told to post: a route that does not exist (nothing listens on port 9). */
const DEAD_WEBHOOK = 'http://127.0.0.1:9/api/whatsapp/session/webhook?token=kept-out-of-logs';

let h: Harness;
let other: WahaSimulator | undefined;
const readers: SseReader[] = [];
afterEach(async () => {
  for (const reader of readers.splice(0)) await reader.cancel();
  await other?.close();
  other = undefined;
  await h.close();
});

function handlerClock() {
  const fake = FakeTimers.createClock(0);
  const clock: Clock = { now: () => fake.now, setTimeout: (f, ms) => fake.setTimeout(f, ms), clearTimeout: (t) => fake.clearTimeout(t as never) };
  return { fake, clock };
}

async function open(org: string): Promise<SseReader> {
  const response = await h.handler(new Request(`${ENDPOINT}/stream`, { headers: { 'x-org': org } }));
  assert.equal(response.status, 200);
  const reader = new SseReader(response.body);
  readers.push(reader);
  await reader.next();
  return reader;
}

/** Lets a refresh that was due run to its end (it reads WAHA over loopback). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

/** Whether the reader gets a block within `ms` of real time (a refresh reads WAHA over loopback). */
async function arrives(reader: SseReader, ms = 2_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await reader.hasPending()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

const noneReceived = () => h.logs.filter((record) => record.event === 'webhook.none_received');

describe('stream refresh with the webhook receiver on', () => {
  it('keeps refreshing until a verified webhook arrives from the WAHA, and says once that none has', async () => {
    // Issue 13: the webhook route answered 404, the refresh was off "because webhooks are
    // on", and the QR appeared after 63 s.
    const { fake, clock } = handlerClock();
    h = await harness({ handler: { clock, stream: true, webhook: { token: TOKEN, url: DEAD_WEBHOOK } } });
    const reader = await open('1');
    assert.equal((await reader.nextData<SessionAnswerWire>()).status, 'STARTING');

    h.fake.tick(2_000); // WAHA shows the QR; its webhook goes nowhere
    fake.tick(5_000);
    assert.ok(await arrives(reader), 'the refresh brought the QR');
    assert.equal((await reader.nextData<SessionAnswerWire>()).status, 'SCAN_QR');
    await settle(); // the refresh ends after publishing

    // That change is one WAHA announced by webhook: 30 s later, none has come.
    for (let at = 10_000; at <= 30_000; at += 5_000) {
      fake.tick(5_000);
      await settle();
    }
    fake.tick(4_999);
    assert.equal(noneReceived().length, 0, 'not before 30 s');
    fake.tick(1); // 35 000 ms: 30 s after the refresh that saw the QR
    assert.equal(noneReceived().length, 1);
    const [warning] = noneReceived();
    assert.equal(warning!.level, 'warn');
    assert.equal(warning!.orgId, '1');
    assert.equal(warning!.webhookUrl, 'http://127.0.0.1:9/api/whatsapp/session/webhook', 'the URL WAHA is told to call, without its query');
    assert.match(warning!.message, /\/api\/whatsapp\/session\/webhook/);
    assert.ok(!JSON.stringify(h.logs).includes('kept-out-of-logs'));

    // More changes, more time: still one warning.
    h.sim.scan('eagles_1', { phone: '5215512345678' });
    for (let i = 0; i < 12; i++) {
      fake.tick(5_000);
      await settle();
    }
    assert.equal(noneReceived().length, 1);

    // A verified webhook: from now on WAHA's events do the job, for every organization on it.
    const delivered = await h.handler(hook(event('eagles_1', 'WORKING', { metadata: { [ORG_METADATA_KEY]: '1' } })));
    assert.equal(delivered.status, 200);
    const second = await open('2');
    await second.nextData();
    h.sim.clearRequestLog();
    for (let i = 0; i < 3; i++) {
      fake.tick(5_000);
      await settle();
    }
    assert.deepEqual(h.calls(), [], 'no refresh reads once webhooks arrive');
  });

  it('is per WAHA: an organization on another WAHA keeps refreshing', async () => {
    const { fake, clock } = handlerClock();
    other = createWahaSimulator({ apiKey: API_KEY });
    const otherUrl = await other.listen(0, '127.0.0.1');
    h = await harness({
      handler: {
        clock,
        stream: true,
        webhook: { token: TOKEN },
        resolveWahaConfig: (orgId) => (orgId === 'byo' ? { url: otherUrl, apiKey: API_KEY } : null),
      },
    });
    await (await open('1')).nextData();
    await (await open('byo')).nextData();
    assert.equal((await h.handler(hook(event('eagles_1', 'STARTING', { metadata: { [ORG_METADATA_KEY]: '1' } })))).status, 200);
    h.sim.clearRequestLog();
    other.clearRequestLog();
    fake.tick(5_000);
    await settle();
    assert.deepEqual(h.calls(), []);
    assert.deepEqual(
      other.requestLog().map((entry) => `${entry.method} ${entry.path}`),
      ['GET /api/sessions/eagles_byo'],
    );
  });

  it("an organization's own WAHA without webhook.organizationSecret: no webhook registered, its stream keeps refreshing, no webhook.none_received for it", async () => {
    const { fake, clock } = handlerClock();
    other = createWahaSimulator({ apiKey: API_KEY, profile: 'fast' });
    const otherUrl = await other.listen(0, '127.0.0.1');
    h = await harness({
      handler: {
        clock,
        stream: true,
        webhook: { token: TOKEN, url: DEAD_WEBHOOK },
        resolveWahaConfig: (orgId) => (orgId === 'byo' ? { url: otherUrl, apiKey: API_KEY } : null),
      },
    });
    const reader = await open('byo');
    await reader.nextData();
    assert.equal(other.getSession('eagles_byo')?.config?.webhooks, undefined);
    assert.equal(h.logs.filter((record) => record.event === 'webhook.organization_secret_missing').length, 1);
    other.clearRequestLog();
    other.fail('eagles_byo'); // a change the refresh sees (WAHA would announce it by webhook, had it one)
    for (let i = 0; i < 10; i++) {
      fake.tick(5_000);
      await settle();
    }
    assert.ok(other.requestLog().filter((entry) => entry.path === '/api/sessions/eagles_byo').length >= 8, 'its stream kept reading WAHA');
    assert.equal(noneReceived().length, 0, 'no webhook was expected from it: no warning that none arrived');
  });

  it('warns at creation when webhook.url is set without a token or an HMAC key', async () => {
    h = await harness({ handler: { stream: true, webhook: { url: DEAD_WEBHOOK } } });
    assert.deepEqual(
      h.logs.filter((record) => record.event === 'webhook.misconfigured').map((record) => record.level),
      ['warn'],
    );
  });
});

// `resolveWahaConfig` is the integrator's code (often a database read): one webhook
// delivery and one stream opening or refresh each ask it once for the organization's WAHA.
describe('resolveWahaConfig calls', () => {
  const ORG_SECRET = 'org-secret-of-the-server-only-5d0c93e1b7a2';

  /** Organization 1 on the server's own WAHA, organization 2 on one it names; `asked` lists each resolveWahaConfig call. */
  async function setup(): Promise<{ asked: string[]; fake: ReturnType<typeof FakeTimers.createClock>; urlB: string }> {
    const { fake, clock } = handlerClock();
    other = createWahaSimulator({ profile: 'fast', apiKey: API_KEY });
    const urlB = await other.listen(0, '127.0.0.1');
    const asked: string[] = [];
    h = await harness({
      handler: {
        clock,
        stream: { refreshMs: 5_000 },
        webhook: { token: TOKEN, organizationSecret: ORG_SECRET },
        resolveWahaConfig: (orgId): Partial<WahaConfig> | null => {
          asked.push(orgId);
          return orgId === '2' ? { url: urlB, apiKey: API_KEY } : null;
        },
      },
    });
    for (const org of ['1', '2']) assert.equal((await h.get(org)).status, 200);
    return { asked, fake, urlB };
  }

  it('one per webhook delivery, with the server’s own token or an organization’s credential', async () => {
    const { asked, urlB } = await setup();
    asked.length = 0;
    const own = await h.handler(hook(event('eagles_1', 'STARTING', { metadata: { [ORG_METADATA_KEY]: '1' } })));
    assert.equal(own.status, 200);
    assert.deepEqual(asked, ['1']);

    asked.length = 0;
    const { token } = organizationWebhookSecrets({ organizationSecret: ORG_SECRET }, '2', urlB)!;
    const theirs = await h.handler(hook(event('eagles_2', 'STARTING'), { token }));
    assert.equal(theirs.status, 200);
    assert.deepEqual(asked, ['2']);
  });

  it('one per stream opening and one per refresh', async () => {
    const { asked, fake } = await setup();
    for (const org of ['1', '2']) {
      asked.length = 0;
      await (await open(org)).nextData();
      assert.deepEqual(asked, [org], 'opening');
    }
    asked.length = 0;
    fake.tick(5_000);
    await settle();
    assert.deepEqual(asked.sort(), ['1', '2'], 'one refresh of each stream');
  });
});
