// Issue 11 item 2: the server's webhook secrets go only to the WAHA the server itself is
// configured with; a WAHA an organization names gets that organization's own secrets,
// which speak for that organization alone, from that WAHA alone.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { createWahaSimulator, type WahaSimulator } from '@whatsapp-connector/waha-simulator';
import { normalizeWahaUrl } from '../src/config.js';
import { MIN_ORGANIZATION_SECRET_LENGTH, ORG_METADATA_KEY, organizationWebhookSecrets, type Clock, type WahaConfig } from '../src/index.js';
import { toNodeHandler } from '../src/node.js';
import { API_KEY, closeServer, ENDPOINT, harness, json, type Harness, type Instance } from './helpers.js';
import { event as envelope, TOKEN } from './webhook-helpers.js';

const HMAC_KEY = 'hmac-key-of-the-server-7c1d';
/** `webhook.organizationSecret`: held by the server alone. */
const ORG_SECRET = 'org-secret-of-the-server-only-4b9e21d0a6f3';

let h: Harness;
let server: Server | undefined;
const others: WahaSimulator[] = [];
const hosts: Server[] = [];
afterEach(async () => {
  await closeServer(server);
  server = undefined;
  for (const host of hosts.splice(0)) await closeServer(host);
  for (const sim of others.splice(0)) await sim.close();
  await h.close();
});

/** A delivery as WAHA makes it: the hook's token header, the body signed with its HMAC key. */
function delivery(body: unknown, token: string | null, hmacKey: string | null): Request {
  const text = JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers['x-webhook-token'] = token;
  if (hmacKey !== null) headers['x-webhook-hmac'] = createHmac('sha512', hmacKey).update(text).digest('hex');
  return new Request(`${ENDPOINT}/webhook`, { method: 'POST', headers, body: text });
}

interface Setup {
  app: Instance;
  /** The WAHA organization 2 names (organization 1 lives on the server's own). */
  simB: WahaSimulator;
  urlB: string;
  /** Which WAHA each organization names now (organization 2: simB). */
  named: Map<string, string>;
  /** Every organization id `resolveWahaConfig` was asked about. */
  asked: string[];
  /** The webhook config WAHA holds for a session, as it echoes it. */
  hookOf(sim: WahaSimulator, session: string): { url: string; customHeaders?: { name: string; value: string }[]; hmac?: { key: string | null } };
}

/** Organization 1 on the server's WAHA, organization 2 on a WAHA it names; both sessions created, both WORKING. */
async function setup(options: { urlQuery?: string; organizationSecret?: string | null; fetch?: typeof fetch } = {}): Promise<Setup> {
  h = await harness(options.fetch ? { waha: { fetch: options.fetch } } : {});
  const clock: Clock = { now: () => h.fake.now, setTimeout: (fn, ms) => h.fake.setTimeout(fn, ms), clearTimeout: (t) => h.fake.clearTimeout(t as never) };
  const simB = createWahaSimulator({ profile: 'fast', apiKey: 'key-of-b', clock });
  others.push(simB);
  const urlB = await simB.listen(0, '127.0.0.1');
  const named = new Map<string, string>([['2', urlB], ['3', urlB]]);
  const asked: string[] = [];
  let node: ReturnType<typeof toNodeHandler> | undefined;
  server = createServer((req, res) => node!(req, res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const app = h.instance({
    webhook: {
      token: TOKEN,
      hmacKey: HMAC_KEY,
      ...(options.organizationSecret === null ? {} : { organizationSecret: options.organizationSecret ?? ORG_SECRET }),
      url: `${base}/api/whatsapp/session/webhook${options.urlQuery ?? ''}`,
    },
    resolveWahaConfig: (orgId): Partial<WahaConfig> | null => {
      asked.push(orgId);
      const url = named.get(orgId);
      return url ? { url, apiKey: 'key-of-b' } : null;
    },
  });
  node = toNodeHandler(app.handler);
  for (const org of ['1', '2']) assert.equal((await app.get(org)).status, 200);
  h.fake.tick(2000); // SCAN_QR_CODE on both
  h.sim.scan('eagles_1', { phone: '5215500000001' });
  simB.scan('eagles_2', { phone: '5215500000002' });
  await h.sim.webhooksSettled();
  await simB.webhooksSettled();
  const hookOf: Setup['hookOf'] = (sim, session) => {
    const hook = sim.getSession(session)?.config?.webhooks?.[0];
    assert.ok(hook, `${session} registered a webhook`);
    return hook as ReturnType<Setup['hookOf']>;
  };
  return { app, simB, urlB, named, asked, hookOf };
}

/** A WAHA event newer than the simulators' own deliveries (they stamp the fake clock's time). */
const event = (session: string, status: string, extra: Record<string, unknown> = {}) => envelope(session, status, { timestamp: h.fake.now + 1, ...extra });

const tokenOf = (hook: ReturnType<Setup['hookOf']>): string => hook.customHeaders?.find((header) => header.name === 'X-Webhook-Token')?.value ?? '';

describe('webhook secrets and the WAHA that holds them', () => {
  it("the server's token and HMAC key go only to its own WAHA; a WAHA an organization names gets secrets of its own, and its webhooks still arrive", async () => {
    const { app, simB, hookOf } = await setup();
    const own = hookOf(h.sim, 'eagles_1');
    assert.equal(tokenOf(own), TOKEN);
    assert.equal(own.hmac?.key, HMAC_KEY);

    const named = hookOf(simB, 'eagles_2');
    const config = JSON.stringify(simB.getSession('eagles_2')?.config);
    assert.ok(!config.includes(TOKEN) && !config.includes(HMAC_KEY), `no server secret on the named WAHA: ${config}`);
    assert.match(tokenOf(named), /^wac-org\./);
    assert.ok(named.hmac?.key && named.hmac.key !== HMAC_KEY);
    assert.equal(named.url, own.url, 'the same receiver');

    // Both WAHAs' real deliveries (SCAN_QR_CODE, WORKING) were verified and applied.
    for (const [org, sim] of [['1', h.sim], ['2', simB]] as const) {
      assert.ok(sim.webhookStats().delivered >= 2, `org ${org}'s WAHA delivered: ${JSON.stringify(sim.webhookStats())}`);
      assert.equal(sim.webhookStats().failed, 0, `none refused by the receiver (org ${org})`);
    }
    assert.ok(app.logs.some((entry) => entry.event === 'webhook.status' && entry.orgId === '2' && entry.status === 'WORKING'));
    assert.equal(h.store.entries().get('2')?.connected, true);
  });

  it('a WAHA an organization names speaks for that organization only, whatever its events claim', async () => {
    const { app, simB, hookOf } = await setup();
    const hook = hookOf(simB, 'eagles_2');
    const send = (body: unknown) => app.handler(delivery(body, tokenOf(hook), hook.hmac!.key));
    const before = app.transitions.length;

    // It forges a FAILED for organization 1's session, naming organization 1 in the metadata.
    const forged = await send(event('eagles_1', 'FAILED', { metadata: { [ORG_METADATA_KEY]: '1' } }));
    assert.equal(forged.status, 202);
    assert.deepEqual(await json(forged), { ok: true, ignored: true });
    const mismatch = app.logs.find((entry) => entry.event === 'webhook.organization_mismatch');
    assert.equal(mismatch?.orgId, '2');
    assert.equal(mismatch?.claimedOrgId, '1');

    // Without metadata it speaks for organization 2, whose session has another name.
    const elsewhere = await send(event('eagles_1', 'FAILED', { me: null }));
    assert.deepEqual(await json(elsewhere), { ok: true, ignored: true });

    assert.equal(app.transitions.length, before, 'no transition');
    assert.equal(h.store.entries().get('1')?.connected, true, "organization 1's phone still linked");
    assert.equal(h.store.entries().get('1')?.status, 'WORKING');

    // Its own organization's events are applied (confirmed with WAHA B, which says STOPPED now).
    simB.stopSession('eagles_2');
    const own = await send(event('eagles_2', 'STOPPED'));
    assert.deepEqual(await json(own), { ok: true, ignored: false });
    assert.equal(h.store.entries().get('2')?.status, 'STOPPED');
  });

  it("the server's own secrets speak only for organizations on the server's WAHA (what a WAHA holding them used to forge)", async () => {
    const { app } = await setup();
    const before = app.transitions.length;
    const response = await app.handler(delivery(event('eagles_2', 'FAILED', { metadata: { [ORG_METADATA_KEY]: '2' } }), TOKEN, HMAC_KEY));
    assert.equal(response.status, 202);
    assert.deepEqual(await json(response), { ok: true, ignored: true });
    assert.equal(app.logs.find((entry) => entry.event === 'webhook.organization_mismatch')?.orgId, '2');
    assert.equal(app.transitions.length, before);
    assert.equal(h.store.entries().get('2')?.connected, true);

    // Organization 1, on the server's WAHA, still hears from it.
    h.sim.stopSession('eagles_1');
    assert.deepEqual(await json(await app.handler(delivery(event('eagles_1', 'STOPPED'), TOKEN, HMAC_KEY))), { ok: true, ignored: false });
  });

  it("a webhook.url carrying ?token= (for WAHA 2024, which sends no custom headers) never takes the server's token to a WAHA an organization names", async () => {
    const { app, simB, hookOf } = await setup({ urlQuery: `?token=${TOKEN}&v=1` });
    const named = hookOf(simB, 'eagles_2');
    const config = JSON.stringify(simB.getSession('eagles_2')?.config);
    assert.ok(!config.includes(TOKEN), `no server token on the named WAHA: ${config}`);
    // The organization's own credential stands in the URL instead (WAHA 2024 sends it that way), other parameters kept.
    const query = new URL(named.url).searchParams;
    assert.equal(query.get('token'), tokenOf(named));
    assert.equal(query.get('v'), '1');
    // The server's own WAHA keeps the URL as configured.
    assert.equal(new URL(hookOf(h.sim, 'eagles_1').url).searchParams.get('token'), TOKEN);
    // Its deliveries still arrive and speak for organization 2.
    assert.equal(simB.webhookStats().failed, 0);
    assert.ok(app.logs.some((entry) => entry.event === 'webhook.status' && entry.orgId === '2' && entry.status === 'WORKING'));

    // What the named WAHA could forge with a server token it was handed: a FAILED for organization 1.
    const before = app.transitions.length;
    const body = JSON.stringify(event('eagles_1', 'FAILED', { metadata: { [ORG_METADATA_KEY]: '1' } }));
    const signature = createHmac('sha512', named.hmac!.key!).update(body).digest('hex');
    const forged = new Request(`${ENDPOINT}/webhook?token=${query.get('token')}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-hmac': signature }, body });
    assert.deepEqual(await json(await app.handler(forged)), { ok: true, ignored: true });
    assert.equal(app.transitions.length, before);
    assert.equal(h.store.entries().get('1')?.connected, true);
  });

  it('refuses a tampered credential, one for the server’s own WAHA, one from a WAHA the organization left, and a wrong signature', async () => {
    const { app, simB, urlB, named, asked, hookOf } = await setup();
    const hook = hookOf(simB, 'eagles_2');
    const credential = tokenOf(hook);
    const body = event('eagles_2', 'FAILED');
    const status = async (token: string, key: string | null) => (await app.handler(delivery(body, token, key))).status;

    // Another organization's id spliced into organization 2's credential: refused before
    // the integrator's resolveWahaConfig hears of it.
    const [, , tag, mac] = credential.split('.');
    asked.length = 0;
    assert.equal(await status(`wac-org.${Buffer.from('victim').toString('base64url')}.${tag}.${mac}`, hook.hmac!.key), 401);
    assert.equal(await status('wac-org.garbage', hook.hmac!.key), 401);
    assert.deepEqual(asked, []);

    // The right organization, the wrong signature key (the server's, or none).
    assert.equal(await status(credential, HMAC_KEY), 401);
    assert.equal(await status(credential, null), 401);

    // Secrets derived as if organization 1 (on the server's WAHA) had named that WAHA: never issued.
    const forOwn = organizationWebhookSecrets({ organizationSecret: ORG_SECRET, hmacKey: HMAC_KEY }, '1', new URL(h.wahaUrl).origin)!;
    assert.equal(await status(forOwn.token, forOwn.hmacKey!), 401);

    // Organization 2 moves to another WAHA: the one it left can no longer speak for it.
    simB.fail('eagles_2');
    assert.equal(await status(credential, hook.hmac!.key), 200);
    named.set('2', urlB.replace('127.0.0.1', 'localhost'));
    assert.equal(await status(credential, hook.hmac!.key), 401);
    assert.equal(h.store.entries().get('2')?.connected, false, 'the FAILED of its own WAHA was applied while it named it');
  });

  it("an organization's WAHA configured by hand (WAHA's global webhook) with organizationWebhookSecrets", async () => {
    h = await harness();
    const clock: Clock = { now: () => h.fake.now, setTimeout: (fn, ms) => h.fake.setTimeout(fn, ms), clearTimeout: (t) => h.fake.clearTimeout(t as never) };
    let node: ReturnType<typeof toNodeHandler> | undefined;
    server = createServer((req, res) => node!(req, res));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // WAHA B is mounted in a server of its own, so that its URL is known before it is made.
    let simB: WahaSimulator | undefined;
    const hostB = createServer((req, res) => simB!.handle(req, res));
    await new Promise<void>((resolve) => hostB.listen(0, '127.0.0.1', resolve));
    const urlB = `http://127.0.0.1:${(hostB.address() as AddressInfo).port}`;
    const { token } = organizationWebhookSecrets({ organizationSecret: ORG_SECRET }, '2', `${urlB}/`)!; // any spelling of the URL
    // WHATSAPP_HOOK_URL=<webhook url>?token=<token>
    simB = createWahaSimulator({ profile: 'fast', apiKey: 'key-of-b', clock, webhookUrl: `${base}/api/whatsapp/session/webhook?token=${token}` });
    others.push(simB);
    hosts.push(hostB);
    const app = h.instance({ webhook: { token: TOKEN, organizationSecret: ORG_SECRET }, resolveWahaConfig: (orgId) => (orgId === '2' ? { url: urlB, apiKey: 'key-of-b' } : null) });
    node = toNodeHandler(app.handler);
    assert.equal((await app.get('2')).status, 200);
    assert.equal(simB.getSession('eagles_2')?.config?.webhooks, undefined, 'nothing registered without webhook.url');
    h.fake.tick(2000);
    simB.scan('eagles_2', { phone: '5215500000002' });
    await simB.webhooksSettled();
    assert.equal(simB.webhookStats().failed, 0);
    assert.ok(app.logs.some((entry) => entry.event === 'webhook.status' && entry.orgId === '2' && entry.status === 'WORKING'));
    // The same token does not speak for organization 1, nor from the server's own WAHA.
    const forged = await app.handler(new Request(`${ENDPOINT}/webhook?token=${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event('eagles_1', 'FAILED', { metadata: { [ORG_METADATA_KEY]: '1' } })) }));
    assert.deepEqual(await json(forged), { ok: true, ignored: true });
  });
});

describe('an organization that moves to another WAHA', () => {
  it("hears the new WAHA's events even when its clock is behind the old one's (event order is per WAHA)", async () => {
    h = await harness({ sharedClock: true });
    const clockAt = (offset: number): Clock => ({ now: () => h.fake.now + offset, setTimeout: (fn, ms) => h.fake.setTimeout(fn, ms), clearTimeout: (t) => h.fake.clearTimeout(t as never) });
    const simB = createWahaSimulator({ profile: 'fast', apiKey: 'key-of-b', clock: clockAt(0) });
    const simC = createWahaSimulator({ profile: 'fast', apiKey: 'key-of-c', clock: clockAt(-120_000) }); // 2 minutes behind
    others.push(simB, simC);
    const urlB = await simB.listen(0, '127.0.0.1');
    const urlC = await simC.listen(0, '127.0.0.1');
    let named = urlB;
    const app = h.instance({
      webhook: { token: TOKEN, organizationSecret: ORG_SECRET },
      resolveWahaConfig: (orgId) => (orgId === '2' ? { url: named, apiKey: named === urlB ? 'key-of-b' : 'key-of-c' } : null),
    });
    const post = (url: string, body: Record<string, unknown>) =>
      app.handler(delivery(body, organizationWebhookSecrets({ organizationSecret: ORG_SECRET }, '2', url)!.token, null));

    assert.equal((await app.get('2')).status, 200);
    h.fake.tick(2000);
    simB.scan('eagles_2', { phone: '5215500000002' });
    assert.deepEqual(await json(await post(urlB, envelope('eagles_2', 'WORKING', { timestamp: h.fake.now }))), { ok: true, ignored: false });
    assert.equal(h.store.entries().get('2')?.eventAt, h.fake.now);

    // The organization now names WAHA C, where its session runs (linked there by hand); C's events carry C's time.
    named = urlC;
    simC.createSession('eagles_2');
    h.fake.tick(2000);
    simC.scan('eagles_2', { phone: '5215500000002' });
    simC.stopSession('eagles_2');
    const fromC = envelope('eagles_2', 'STOPPED', { timestamp: h.fake.now - 120_000 });
    assert.deepEqual(await json(await post(urlC, fromC)), { ok: true, ignored: false });
    assert.equal(h.store.entries().get('2')?.status, 'STOPPED');
    assert.equal(h.store.entries().get('2')?.eventAt, fromC.timestamp, "C's order from now on");
  });
});

/**
 * The credential and HMAC key an organization's WAHA was given before
 * `webhook.organizationSecret` (9b5fb44, 3323acf, 3c291cc): derived from `webhook.token`
 * (else `hmacKey`), which the server's own WAHA holds and echoes.
 */
function formerSecrets(root: string, hmacKey: string, orgId: string, wahaUrl: string): { token: string; hmacKey: string } {
  const mac = (key: string, input: string) => createHmac('sha256', key).update(input).digest();
  const tag = mac(root, `whatsapp-connector webhook organization\u0000${orgId}`).subarray(0, 12).toString('base64url');
  const bound = mac(root, `whatsapp-connector webhook token\u0000${orgId}\u0000${wahaUrl}`).toString('base64url');
  return {
    token: `wac-org.${Buffer.from(orgId).toString('base64url')}.${tag}.${bound}`,
    hmacKey: mac(hmacKey, `whatsapp-connector webhook hmac\u0000${orgId}\u0000${wahaUrl}`).toString('base64url'),
  };
}

describe('webhook.organizationSecret: credentials only the server can derive (audit "Left" 1)', () => {
  it("what the server's own WAHA holds and echoes (webhook.token, hmacKey) derives no credential the receiver accepts for an organization on its own WAHA", async () => {
    const { app, simB, urlB, hookOf } = await setup();
    // What anyone with the server WAHA's API key reads back: the webhook config of its sessions.
    const echoed = (await (await fetch(`${h.wahaUrl}/api/sessions/eagles_1`, { headers: { 'x-api-key': API_KEY } })).json()) as {
      config: { webhooks: { customHeaders: { name: string; value: string }[]; hmac: { key: string } }[] };
    };
    const token = echoed.config.webhooks[0]!.customHeaders.find((header) => header.name === 'X-Webhook-Token')!.value;
    const hmacKey = echoed.config.webhooks[0]!.hmac.key;
    assert.equal(token, TOKEN, "the server's WAHA echoes the token");
    assert.equal(hmacKey, HMAC_KEY, "the server's WAHA echoes the HMAC key");

    // Organization 2's WAHA says STOPPED: an event saying so would be applied (confirmed with a read).
    simB.stopSession('eagles_2');
    const body = event('eagles_2', 'STOPPED', { metadata: { [ORG_METADATA_KEY]: '2' } });
    const url = normalizeWahaUrl(urlB);
    for (const root of [token, hmacKey]) {
      const forged = formerSecrets(root, hmacKey, '2', url);
      const response = await app.handler(delivery(body, forged.token, forged.hmacKey));
      assert.equal(response.status, 401, `a credential derived from ${root === token ? 'webhook.token' : 'webhook.hmacKey'} is refused`);
    }
    // The server's own secrets, presented as themselves, speak only for its own WAHA's organizations.
    assert.deepEqual(await json(await app.handler(delivery(body, token, hmacKey))), { ok: true, ignored: true });
    assert.equal(h.store.entries().get('2')?.status, 'WORKING', 'nothing forged was applied');
    assert.equal(h.store.entries().get('2')?.connected, true);

    // What organization 2's WAHA holds does speak for it.
    const hook = hookOf(simB, 'eagles_2');
    assert.deepEqual(await json(await app.handler(delivery(body, tokenOf(hook), hook.hmac!.key))), { ok: true, ignored: false });
    assert.equal(h.store.entries().get('2')?.status, 'STOPPED');
  });

  it('without it, no webhook reaches a WAHA an organization names, no organization credential is accepted, and the handler says so once', async () => {
    const { app, simB, urlB, hookOf } = await setup({ organizationSecret: null });
    assert.equal((await app.get('3')).status, 200); // a second organization on that WAHA
    await app.post('2', { action: 'change_number' }); // and a recreate
    for (const name of ['eagles_2', 'eagles_3']) {
      const config = simB.getSession(name)?.config;
      assert.equal(config?.webhooks, undefined, `${name} was created without a webhook: ${JSON.stringify(config)}`);
      assert.deepEqual(config?.metadata, { [ORG_METADATA_KEY]: name.slice('eagles_'.length) });
    }
    assert.equal(simB.webhookStats().delivered + simB.webhookStats().failed, 0, 'WAHA B called no webhook');
    // The server's own WAHA keeps its own.
    assert.equal(tokenOf(hookOf(h.sim, 'eagles_1')), TOKEN);

    const warnings = app.logs.filter((entry) => entry.event === 'webhook.organization_secret_missing');
    assert.equal(warnings.length, 1, 'warned once');
    assert.equal(warnings[0]!.level, 'warn');
    assert.match(String(warnings[0]!.message), /webhook\.organizationSecret/);
    assert.match(String(warnings[0]!.message), /at least 32 characters/);

    // A credential from anything (an old root, a guessed secret) is refused.
    const guessed = organizationWebhookSecrets({ organizationSecret: 'g'.repeat(MIN_ORGANIZATION_SECRET_LENGTH) }, '2', urlB)!;
    const former = formerSecrets(TOKEN, HMAC_KEY, '2', normalizeWahaUrl(urlB));
    for (const token of [guessed.token, former.token]) {
      assert.equal((await app.handler(delivery(event('eagles_2', 'FAILED'), token, HMAC_KEY))).status, 401);
    }
  });

  it("with it, an organization's WAHA holds the credential derived for it, and events signed with it speak for that organization only", async () => {
    const { app, simB, urlB, hookOf } = await setup();
    assert.equal((await app.get('3')).status, 200); // organization 3 on the same WAHA
    const expected = organizationWebhookSecrets({ organizationSecret: ORG_SECRET, hmacKey: HMAC_KEY }, '2', urlB)!;
    const hook = hookOf(simB, 'eagles_2');
    assert.equal(tokenOf(hook), expected.token);
    assert.equal(hook.hmac?.key, expected.hmacKey);
    const hook3 = hookOf(simB, 'eagles_3');
    assert.equal(tokenOf(hook3), organizationWebhookSecrets({ organizationSecret: ORG_SECRET, hmacKey: HMAC_KEY }, '3', urlB)!.token);
    assert.notEqual(tokenOf(hook3), expected.token);

    const send = (body: unknown) => app.handler(delivery(body, expected.token, expected.hmacKey!));
    const before = app.transitions.length;
    // For organization 3 (same WAHA): by metadata, ignored and logged; without it, not its session.
    simB.stopSession('eagles_3');
    assert.deepEqual(await json(await send(event('eagles_3', 'STOPPED', { metadata: { [ORG_METADATA_KEY]: '3' } }))), { ok: true, ignored: true });
    assert.equal(app.logs.filter((entry) => entry.event === 'webhook.organization_mismatch').at(-1)?.claimedOrgId, '3');
    assert.deepEqual(await json(await send(event('eagles_3', 'STOPPED'))), { ok: true, ignored: true });
    assert.equal(app.transitions.length, before);
    assert.notEqual(h.store.entries().get('3')?.status, 'STOPPED');
    // For organization 2: applied.
    simB.stopSession('eagles_2');
    assert.deepEqual(await json(await send(event('eagles_2', 'STOPPED'))), { ok: true, ignored: false });
    assert.equal(h.store.entries().get('2')?.status, 'STOPPED');
    // Signed with another key (the server's own), refused.
    assert.equal((await app.handler(delivery(event('eagles_2', 'STOPPED'), expected.token, HMAC_KEY))).status, 401);
  });

  it('refuses a short organizationSecret when the handler is created, without repeating it', async () => {
    h = await harness();
    for (const secret of ['', 'short', 's'.repeat(MIN_ORGANIZATION_SECRET_LENGTH - 1), 42 as unknown as string]) {
      assert.throws(
        () => h.instance({ webhook: { token: TOKEN, organizationSecret: secret } }),
        (error: unknown) =>
          error instanceof TypeError &&
          /^webhook\.organizationSecret must be a string of at least 32 characters/.test(error.message) &&
          (typeof secret !== 'string' || secret === '' || !error.message.includes(secret)),
      );
      assert.throws(() => organizationWebhookSecrets({ organizationSecret: secret }, '2', 'http://waha.test'), TypeError);
    }
    assert.equal(MIN_ORGANIZATION_SECRET_LENGTH, 32);
    const app = h.instance({ webhook: { token: TOKEN, organizationSecret: 's'.repeat(MIN_ORGANIZATION_SECRET_LENGTH) } });
    assert.equal((await app.get('1')).status, 200);
  });

  it('never sends the secret to any WAHA, nor puts it in an answer or a log', async () => {
    const requests: string[] = [];
    const recording: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      requests.push(`${request.method} ${request.url}\n${[...request.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}\n${await request.clone().text()}`);
      return fetch(request);
    };
    const { app, simB, urlB } = await setup({ fetch: recording });
    const answers: string[] = [];
    const keep = async (response: Response) => {
      answers.push(`${response.status} ${[...response.headers].join(' ')} ${await response.clone().text()}`);
      return response;
    };
    for (const org of ['1', '2', '3']) await keep(await app.get(org));
    await keep(await app.post('2', { action: 'change_number' })); // logout, delete, create again
    await keep(await app.post('3', { action: 'reconnect' }));
    simB.fail('eagles_3');
    await keep(await app.post('3', { action: 'restart' }));
    const expected = organizationWebhookSecrets({ organizationSecret: ORG_SECRET, hmacKey: HMAC_KEY }, '2', urlB)!;
    await keep(await app.handler(delivery(event('eagles_2', 'STARTING'), expected.token, expected.hmacKey!)));
    await keep(await app.handler(delivery(event('eagles_2', 'FAILED'), `${expected.token}x`, expected.hmacKey!)));
    await keep(await app.handler(delivery(event('eagles_2', 'FAILED'), formerSecrets(TOKEN, HMAC_KEY, '2', normalizeWahaUrl(urlB)).token, HMAC_KEY)));
    await keep(await app.handler(delivery(event('eagles_1', 'WORKING'), TOKEN, HMAC_KEY)));
    h.fake.tick(5_000);
    await simB.webhooksSettled();

    // The scan sees what matters: the organization's derived credential went to its WAHA in a create.
    assert.ok(requests.some((text) => text.startsWith(`POST ${urlB}`) && text.includes(expected.token)), 'the create carried the derived credential');
    assert.ok(requests.length >= 8 && answers.length === 10 && app.logs.length > 0);
    const logs = app.logs.map((entry) => JSON.stringify(entry));
    const simulatorLogs = [...h.sim.requestLog(), ...simB.requestLog()].map((entry) => JSON.stringify(entry));
    const stored = [...h.sim.listSessions(), ...simB.listSessions()].map((view) => JSON.stringify(view));
    for (const [where, texts] of Object.entries({ requests, answers, logs, simulatorLogs, stored })) {
      for (const text of texts) assert.ok(!text.includes(ORG_SECRET), `the secret is in ${where}: ${text.slice(0, 200)}`);
    }
  });
});
