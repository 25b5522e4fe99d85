// `resolveWahaConfig` is the integrator's code (often a database read): one webhook
// delivery and one stream refresh each ask it once for the organization's WAHA.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import FakeTimers from '@sinonjs/fake-timers';
import { createWahaSimulator, type WahaSimulator } from '@whatsapp-connector/waha-simulator';
import { ORG_METADATA_KEY, organizationWebhookSecrets, type Clock, type WahaConfig } from '../src/index.js';
import { API_KEY, ENDPOINT, harness, type Harness } from './helpers.js';
import { SseReader } from './sse.js';
import { event, hook, TOKEN } from './webhook-helpers.js';

const ORG_SECRET = 'org-secret-of-the-server-only-5d0c93e1b7a2';

let h: Harness;
let other: WahaSimulator | undefined;
const readers: SseReader[] = [];
afterEach(async () => {
  for (const reader of readers.splice(0)) await reader.cancel();
  await other?.close();
  other = undefined;
  await h.close();
});

/** Organization 1 on the server's own WAHA, organization 2 on one it names; `asked` lists each resolveWahaConfig call. */
async function setup(): Promise<{ asked: string[]; fake: ReturnType<typeof FakeTimers.createClock>; urlB: string }> {
  const fake = FakeTimers.createClock(0);
  const clock: Clock = { now: () => fake.now, setTimeout: (f, ms) => fake.setTimeout(f, ms), clearTimeout: (t) => fake.clearTimeout(t as never) };
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

async function open(org: string): Promise<SseReader> {
  const response = await h.handler(new Request(`${ENDPOINT}/stream`, { headers: { 'x-org': org } }));
  assert.equal(response.status, 200);
  const reader = new SseReader(response.body);
  readers.push(reader);
  await reader.next();
  await reader.nextData();
  return reader;
}

/** Lets a refresh that was due run to its end (it reads WAHA over loopback). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('resolveWahaConfig calls', () => {
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
      await open(org);
      assert.deepEqual(asked, [org], 'opening');
    }
    asked.length = 0;
    fake.tick(5_000);
    await settle();
    assert.deepEqual(asked.sort(), ['1', '2'], 'one refresh of each stream');
  });
});
