// The simulator's own webhooks, over HTTP, delivered twice and newest first (as WAHA's
// fire-and-forget retries deliver them): the handler ends on the right state, reports
// each real transition once and never pushes a step back to the stream.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { toNodeHandler } from '../src/node.js';
import { closeServer, ENDPOINT, harness, json, type Harness } from './helpers.js';
import { SseReader } from './sse.js';
import { TOKEN } from './webhook-helpers.js';

let h: Harness;
let server: Server | undefined;
const readers: SseReader[] = [];
afterEach(async () => {
  for (const reader of readers.splice(0)) await reader.cancel();
  await closeServer(server);
  await h.close();
});

/** Waits (real time, bounded) until the simulator delivered `count` webhooks and has none in flight. */
async function delivered(count: number): Promise<void> {
  for (let waited = 0; waited < 5_000; waited += 10) {
    const stats = h.sim.webhookStats();
    if (stats.delivered >= count && stats.pending === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`webhooks not delivered: ${JSON.stringify(h.sim.webhookStats())}`);
}

describe('webhooks from the simulator, duplicated and reordered', () => {
  it('end on the right state, with one transition each and no step back on the stream', async () => {
    h = await harness({ sharedClock: true }); // WAHA and the server share one clock, as NTP gives them
    let node: ReturnType<typeof toNodeHandler> | undefined;
    server = createServer((req, res) => node!(req, res));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const app = h.instance({ webhook: { token: TOKEN, url: `${base}/api/whatsapp/session/webhook` }, stream: true });
    node = toNodeHandler(app.handler);
    h.sim.setWebhookDelivery({ duplicate: 1, reorderWindowMs: 10_000 });

    assert.equal((await json<SessionAnswerWire>(await app.get('1'))).status, 'STARTING');
    const response = await app.handler(new Request(`${ENDPOINT}/stream`, { headers: { 'x-org': '1' } }));
    const reader = new SseReader(response.body);
    readers.push(reader);
    await reader.next();
    assert.equal((await reader.nextData<SessionAnswerWire>()).status, 'STARTING');

    h.fake.tick(2000); // SCAN_QR_CODE
    h.sim.scan('eagles_1', { phone: '5215512345678', pushName: 'Ana' }); // WORKING
    h.fake.tick(10_000); // the held deliveries leave, newest first, each one twice
    await delivered(6);

    const pushed: string[] = [];
    while (await reader.hasPending()) pushed.push((await reader.nextData<SessionAnswerWire>()).status);
    assert.deepEqual(pushed, ['WORKING'], 'no step back after WORKING');
    assert.deepEqual(
      app.transitions.map((t) => `${t.from}→${t.to}`),
      ['null→STARTING', 'STARTING→WORKING'],
    );
    const record = h.store.entries().get('1');
    assert.equal(record?.status, 'WORKING');
    assert.equal(record?.connected, true);
    assert.ok(app.logs.some((entry) => entry.event === 'webhook.stale' || entry.event === 'webhook.duplicate'));
  });
});
