import assert from 'node:assert/strict';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { afterEach, describe, it } from 'node:test';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { createSessionHandler, systemClock, type SessionHandler } from '../src/index.js';
import { getNodeRequest, toNodeHandler } from '../src/node.js';
import { API_KEY, closeServer, harness, json, type Harness } from './helpers.js';
import { SseReader } from './sse.js';

const TOKEN = 'hook-token-node';
let h: Harness;
let server: Server | undefined;
let handler: SessionHandler | undefined;
afterEach(async () => {
  handler?.close();
  handler = undefined;
  await closeServer(server);
  server = undefined;
  await h.close();
});

type AuthedRequest = IncomingMessage & { user?: { orgId: string }; body?: unknown };

/** A Node server with an Express-like auth middleware (req.user) and optionally a JSON body parser (req.body). */
async function serve(make: (base: string) => SessionHandler, options: { parseBody?: boolean } = {}): Promise<string> {
  let node: ReturnType<typeof toNodeHandler> | undefined;
  server = createServer((req: AuthedRequest, res) => {
    const org = req.headers['x-org'];
    if (typeof org === 'string') req.user = { orgId: org };
    if (!options.parseBody || req.method !== 'POST') return node!(req, res);
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      req.body = JSON.parse(text);
      node!(req, res);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  const base = `http://127.0.0.1:${address.port}`;
  handler = make(base);
  node = toNodeHandler(handler);
  return base;
}

function makeHandler(base: string, extra: Partial<Parameters<typeof createSessionHandler>[0]> = {}): SessionHandler {
  return createSessionHandler({
    getOrganizationId: (request) => (getNodeRequest(request) as AuthedRequest | undefined)?.user?.orgId ?? null,
    waha: { url: h.wahaUrl, apiKey: API_KEY, retry: { attempts: 1 } },
    sessionPrefix: 'eagles',
    ...extra,
  });
}

describe('toNodeHandler', () => {
  it('serves GET and POST through node:http with the Node request available to auth', async () => {
    h = await harness();
    const base = await serve((b) => makeHandler(b));
    const get = await fetch(`${base}/api/whatsapp/session`, { headers: { 'x-org': '3' } });
    assert.equal(get.status, 200);
    assert.match(get.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal((await json<SessionAnswerWire>(get)).sessionName, 'eagles_3');
    const post = await fetch(`${base}/api/whatsapp/session`, {
      method: 'POST',
      headers: { 'x-org': '3', 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'reconnect' }),
    });
    assert.equal(post.status, 200);
    const anonymous = await fetch(`${base}/api/whatsapp/session`);
    assert.equal(anonymous.status, 401);
    const put = await fetch(`${base}/api/whatsapp/session`, { method: 'PUT', headers: { 'x-org': '3' } });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'GET, POST');
  });

  it('works behind a body parser that already consumed the stream (Express json())', async () => {
    h = await harness();
    const base = await serve((b) => makeHandler(b), { parseBody: true });
    const post = await fetch(`${base}/api/whatsapp/session`, {
      method: 'POST',
      headers: { 'x-org': '3', 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'change_number' }),
    });
    assert.equal(post.status, 200, await post.clone().text());
    assert.equal((await json<SessionAnswerWire>(post)).status, 'STARTING');
  });

  it('rejects an oversized streamed body with 413', async () => {
    h = await harness();
    const base = await serve((b) => makeHandler(b));
    const post = await fetch(`${base}/api/whatsapp/session`, {
      method: 'POST',
      headers: { 'x-org': '3', 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'reconnect', pad: 'x'.repeat(10_000) }),
    });
    assert.equal(post.status, 413);
  });

  it('keeps a keep-alive connection usable after answering 413 without reading the body', async () => {
    h = await harness();
    const base = await serve((b) => makeHandler(b));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (body: string | null) =>
      new Promise<number>((resolve, reject) => {
        const url = new URL(`${base}/api/whatsapp/session`);
        const req = httpRequest(
          { host: url.hostname, port: url.port, path: url.pathname, agent, method: body === null ? 'GET' : 'POST', headers: { 'x-org': '3', 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        if (body !== null) req.setHeader('content-length', Buffer.byteLength(body));
        req.end(body ?? undefined);
      });
    try {
      assert.equal(await send(JSON.stringify({ action: 'reconnect', pad: 'x'.repeat(200_000) })), 413);
      const next = await Promise.race([send(null), new Promise<number>((resolve) => setTimeout(() => resolve(-1), 5000))]);
      assert.equal(next, 200);
    } finally {
      agent.destroy();
    }
  });

  it('end to end: WAHA webhooks reach the SSE stream over HTTP, and a disconnect cleans up', async () => {
    h = await harness();
    const base = await serve((b) =>
      // WAHA stamps its events with the simulator's time: the server reads the same time (real timers), as NTP gives them.
      makeHandler(b, { stream: true, webhook: { token: TOKEN, hmacKey: 'hmac-e2e', url: `${b}/api/whatsapp/session/webhook` }, clock: { ...systemClock, now: () => h.fake.now } }),
    );
    const controller = new AbortController();
    const stream = await fetch(`${base}/api/whatsapp/session/stream`, { headers: { 'x-org': '9' }, signal: controller.signal });
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reader = new SseReader(stream.body);
    await reader.next();
    const initial = await reader.nextData<SessionAnswerWire>();
    assert.equal(initial.status, 'STARTING');
    assert.equal(initial.stream, undefined, 'the browser keeps the stream URL it opened');
    // The session was created with our webhook registered (and the org in its metadata).
    const config = h.sim.getSession('eagles_9')?.config;
    assert.equal(config?.metadata?.['whatsapp-connector.orgId'], '9');
    assert.equal(config?.webhooks?.[0]?.url, `${base}/api/whatsapp/session/webhook`);
    assert.equal(config?.webhooks?.[0]?.hmac?.key, 'hmac-e2e');

    h.fake.tick(2000); // STARTING → SCAN_QR_CODE: WAHA posts session.status to our webhook
    const scanning = await reader.nextData<SessionAnswerWire>();
    assert.equal(scanning.status, 'SCAN_QR');
    assert.ok(scanning.qr);
    h.sim.scan('eagles_9', { phone: '5215512345678', pushName: 'Ana' });
    const working = await reader.nextData<SessionAnswerWire>();
    assert.equal(working.status, 'WORKING');
    assert.equal(working.me?.phone, '5215512345678');
    await h.sim.webhooksSettled();
    assert.equal(h.sim.webhookStats().failed, 0);
    assert.ok(h.sim.webhookStats().delivered >= 2);

    assert.equal(handler!.openStreams(), 1);
    controller.abort();
    for (let i = 0; i < 200 && handler!.openStreams() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(handler!.openStreams(), 0);
  });
});
