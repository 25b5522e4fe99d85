import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import FakeTimers from '@sinonjs/fake-timers';
import { createSessionClient } from '@whatsapp-connector/client';
import { createMetricsRecorder } from '@whatsapp-connector/client/metrics';
import { createWahaSimulator, type WahaSimulator } from '@whatsapp-connector/waha-simulator';
import { GET, POST, dynamic } from './app/api/whatsapp/session/route.js';
import { SESSION_COOKIE } from './lib/auth.js';

const URL_BASE = 'http://localhost:3000/api/whatsapp/session';

/** A request as Next.js hands it to the route: the app's own session cookie, no org anywhere. */
function request(method: 'GET' | 'POST', token: string | null, body?: unknown): Request {
  const headers = new Headers();
  if (token) headers.set('cookie', `theme=dark; ${SESSION_COOKIE}=${token}`);
  if (body !== undefined) headers.set('content-type', 'application/json');
  return new Request(URL_BASE, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

async function json(response: Response): Promise<Record<string, unknown>> {
  assert.match(response.headers.get('content-type') ?? '', /application\/json/);
  return (await response.json()) as Record<string, unknown>;
}

describe('examples/nextjs-route: app/api/whatsapp/session/route.ts against the WAHA simulator', () => {
  const clock = FakeTimers.createClock(Date.UTC(2026, 0, 1));
  let simulator: WahaSimulator;
  const savedEnv = { url: process.env.WAHA_API_URL, key: process.env.WAHA_API_KEY };

  before(async () => {
    simulator = createWahaSimulator({
      clock: { now: () => clock.now, setTimeout: (fn, ms) => clock.setTimeout(fn, ms), clearTimeout: (id) => clock.clearTimeout(id as never) },
    });
    process.env.WAHA_API_URL = await simulator.listen(0, '127.0.0.1');
    process.env.WAHA_API_KEY = simulator.apiKey ?? '';
  });

  afterEach(() => simulator.clearRequestLog());

  after(async () => {
    await simulator.close();
    if (savedEnv.url === undefined) delete process.env.WAHA_API_URL;
    else process.env.WAHA_API_URL = savedEnv.url;
    if (savedEnv.key === undefined) delete process.env.WAHA_API_KEY;
    else process.env.WAHA_API_KEY = savedEnv.key;
  });

  it('is a dynamic route exporting GET and POST handlers', () => {
    assert.equal(typeof GET, 'function');
    assert.equal(typeof POST, 'function');
    assert.equal(dynamic, 'force-dynamic');
  });

  it('answers 401 without the host app’s session, and never calls WAHA', async () => {
    for (const token of [null, 'token-unknown']) {
      const response = await GET(request('GET', token));
      assert.equal(response.status, 401);
      assert.equal(((await json(response)).error as { code?: unknown }).code, 'unauthorized');
    }
    assert.equal(simulator.requestLog().length, 0);
  });

  it("GET creates the organization's session, then shows the QR, then the linked phone", async () => {
    const first = await json(await GET(request('GET', 'token-ana')));
    assert.equal(first.sessionName, 'eagles_42');
    assert.equal(first.status, 'STARTING');
    assert.ok(simulator.getSession('eagles_42'));

    clock.tick(simulator.timings.startingMs);
    const waiting = await json(await GET(request('GET', 'token-ana')));
    assert.equal(waiting.status, 'SCAN_QR');
    assert.equal(typeof waiting.qr, 'string');

    simulator.scan('eagles_42', { phone: '5215512345678', pushName: 'Ventas' });
    const linked = await json(await GET(request('GET', 'token-ana')));
    assert.equal(linked.status, 'WORKING');
    assert.equal(linked.connected, true);
    assert.deepEqual((linked.me as { id: string }).id, '5215512345678@c.us');
  });

  it('scopes by the caller: another organization gets its own session', async () => {
    const other = await json(await GET(request('GET', 'token-luis')));
    assert.equal(other.sessionName, 'eagles_7');
    assert.ok(simulator.getSession('eagles_7'));
    assert.equal(simulator.getSession('eagles_42')?.status, 'WORKING');
  });

  it('POST logout goes to WAHA and answers the session after it', async () => {
    assert.equal(simulator.getSession('eagles_42')?.status, 'WORKING');
    const response = await POST(request('POST', 'token-ana', { action: 'logout' }));
    assert.equal(response.status, 200);
    const answer = await json(response);
    assert.notEqual(answer.status, 'WORKING');
    assert.equal(answer.connected, false);
    assert.ok(simulator.requestLog().some((entry) => entry.method === 'POST' && entry.path.includes('eagles_42')));
  });

  it('POST with an unknown action is a 400 with a JSON error body', async () => {
    const response = await POST(request('POST', 'token-ana', { action: 'restart_everything' }));
    assert.equal(response.status, 400);
    const body = await json(response);
    assert.equal(typeof (body.error as { code?: unknown }).code, 'string');
  });

  it('the headless client drives the route: reconnect through POST, state through GET', async () => {
    simulator.fail('eagles_42', 'test failure');
    // The browser's fetch, short-circuited to the route handlers (no Next.js server needed).
    const routeFetch: typeof fetch = async (input, init) => {
      const incoming = new Request(input, init);
      incoming.headers.set('cookie', `${SESSION_COOKIE}=token-ana`);
      return incoming.method === 'POST' ? POST(incoming) : GET(incoming);
    };
    const metrics = createMetricsRecorder();
    const client = createSessionClient({ endpoint: URL_BASE, fetch: routeFetch, stream: false, inspect: metrics.record });
    try {
      const failed = await client.refresh();
      assert.equal(failed.phase, 'failed');
      const result = await client.reconnect();
      assert.equal(result.ok, true);
      assert.ok(['STARTING', 'SCAN_QR'].includes(client.getSnapshot().status ?? ''), String(client.getSnapshot().status));
      assert.equal(metrics.read().actions.reconnect, 1);
    } finally {
      client.dispose();
    }
  });
});
