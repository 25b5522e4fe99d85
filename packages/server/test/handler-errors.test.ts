import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { afterEach, describe, it } from 'node:test';
import { createMemoryStore } from '../src/index.js';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { API_KEY, ENDPOINT, harness, json, type Harness } from './helpers.js';

interface ErrorShape {
  error: { code: string; message: string };
}

let h: Harness;
afterEach(async () => {
  await h.close();
});

async function expectError(response: Response, status: number, code: string): Promise<ErrorShape> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  const body = JSON.parse(text) as ErrorShape;
  assert.deepEqual(Object.keys(body), ['error']);
  assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message']);
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  return body;
}

describe('bad input', () => {
  const cases: Array<{ name: string; request: () => Request; status: number; code: string; allow?: string }> = [
    { name: 'GET without an organization', request: () => new Request(ENDPOINT), status: 401, code: 'unauthorized' },
    {
      name: 'POST without an organization (body never read)',
      request: () => new Request(ENDPOINT, { method: 'POST', body: 'not json', headers: { 'content-type': 'text/plain' } }),
      status: 401,
      code: 'unauthorized',
    },
    { name: 'PUT', request: () => new Request(ENDPOINT, { method: 'PUT', headers: { 'x-org': '1' } }), status: 405, code: 'method_not_allowed', allow: 'GET, POST' },
    { name: 'DELETE', request: () => new Request(ENDPOINT, { method: 'DELETE', headers: { 'x-org': '1' } }), status: 405, code: 'method_not_allowed', allow: 'GET, POST' },
    {
      name: 'POST text/plain',
      request: () => new Request(ENDPOINT, { method: 'POST', headers: { 'x-org': '1', 'content-type': 'text/plain' }, body: '{"action":"reconnect"}' }),
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      name: 'POST without a content type',
      request: () => new Request(ENDPOINT, { method: 'POST', headers: { 'x-org': '1' }, body: new Blob(['{"action":"reconnect"}']) }),
      status: 415,
      code: 'unsupported_media_type',
    },
    { name: 'POST non-JSON', request: () => post('{"action":'), status: 400, code: 'invalid_json' },
    { name: 'POST an empty body', request: () => post(''), status: 400, code: 'invalid_json' },
    { name: 'POST a JSON array', request: () => post('[]'), status: 400, code: 'invalid_action' },
    { name: 'POST a JSON string', request: () => post('"reconnect"'), status: 400, code: 'invalid_action' },
    { name: 'POST without action', request: () => post('{}'), status: 400, code: 'invalid_action' },
    { name: 'POST an unknown action', request: () => post('{"action":"restart"}'), status: 400, code: 'invalid_action' },
    { name: 'POST an action of another type', request: () => post('{"action":1}'), status: 400, code: 'invalid_action' },
    { name: 'POST 5 KB (declared length)', request: () => post(JSON.stringify({ action: 'reconnect', pad: 'x'.repeat(5000) })), status: 413, code: 'payload_too_large' },
    {
      name: 'POST 5 KB streamed without a length',
      request: () =>
        new Request(ENDPOINT, {
          method: 'POST',
          headers: { 'x-org': '1', 'content-type': 'application/json' },
          body: new ReadableStream({
            start(controller) {
              for (let i = 0; i < 5; i++) controller.enqueue(new TextEncoder().encode(' '.repeat(1024)));
              controller.close();
            },
          }),
          duplex: 'half',
        } as RequestInit),
      status: 413,
      code: 'payload_too_large',
    },
    { name: 'GET of the stream when streaming is off', request: () => new Request(`${ENDPOINT}/stream`, { headers: { 'x-org': '1' } }), status: 404, code: 'not_found' },
    { name: 'POST to the webhook when webhooks are off', request: () => post('{}', '/webhook'), status: 404, code: 'not_found' },
  ];

  function post(body: string, path = ''): Request {
    return new Request(ENDPOINT + path, { method: 'POST', headers: { 'x-org': '1', 'content-type': 'application/json; charset=utf-8' }, body });
  }

  for (const testCase of cases) {
    it(`${testCase.name} → ${testCase.status} ${testCase.code}, WAHA untouched`, async () => {
      h = await harness();
      const response = await h.handler(testCase.request());
      if (testCase.allow) assert.equal(response.headers.get('allow'), testCase.allow);
      await expectError(response, testCase.status, testCase.code);
      assert.deepEqual(h.calls(), []);
    });
  }

  it('accepts a body of exactly 4096 bytes and refuses 4097', async () => {
    h = await harness();
    const padded = (size: number) => {
      const base = JSON.stringify({ action: 'reconnect', pad: '' });
      return JSON.stringify({ action: 'reconnect', pad: 'x'.repeat(size - base.length) });
    };
    assert.equal(new TextEncoder().encode(padded(4096)).byteLength, 4096);
    assert.equal((await h.handler(post(padded(4096)))).status, 200);
    await expectError(await h.handler(post(padded(4097))), 413, 'payload_too_large');
  });

  it('serves the parts alone: session, stream and webhook', async () => {
    h = await harness();
    const other = 'http://app.test/anything/else';
    assert.equal((await h.handler.session(new Request(other, { headers: { 'x-org': '1' } }))).status, 200);
    await expectError(await h.handler.stream(new Request(other, { headers: { 'x-org': '1' } })), 404, 'not_found');
    await expectError(await h.handler.webhook(new Request(other, { method: 'POST' })), 404, 'not_found');
  });

  it('accepts application/json with a charset', async () => {
    h = await harness();
    const response = await h.handler(post('{"action":"reconnect"}'));
    assert.equal(response.status, 200);
  });

  it('a throwing getOrganizationId → 500 internal_error, logged without details', async () => {
    h = await harness({
      handler: {
        getOrganizationId: () => {
          throw new Error(`db password ${API_KEY}`);
        },
      },
    });
    await expectError(await h.get('1'), 500, 'internal_error');
    assert.ok(!JSON.stringify(h.logs).includes(API_KEY));
  });
});

/** A loopback port with nobody listening. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address && typeof address === 'object');
  return `http://127.0.0.1:${address.port}`;
}

describe('WAHA failures', () => {
  function assertNothingLeaks(text: string, { wahaMessage = false } = {}): void {
    assert.ok(!text.includes(API_KEY), 'the API key leaked');
    assert.ok(!text.includes(h.wahaUrl), 'the WAHA URL leaked');
    if (!wahaMessage) assert.ok(!text.includes('Internal server error'), 'a WAHA body leaked');
    assert.ok(!/x-api-key/i.test(text), 'a WAHA header leaked');
  }

  it('WAHA down → 502 waha_unreachable', async () => {
    const url = await closedPortUrl();
    h = await harness({ waha: { url } });
    const body = await expectError(await h.get('1'), 502, 'waha_unreachable');
    assertNothingLeaks(JSON.stringify(body));
    assert.ok(!JSON.stringify(h.logs).includes(url));
    assert.ok(h.logs.some((record) => record.event === 'request.failed' && record.errorKind === 'network' && record.orgId === '1'));
  });

  it('WAHA 5xx → 502 waha_error; WAHA\'s message reaches the logs, never the answer', async () => {
    h = await harness();
    h.sim.setErrorRate(1);
    const body = await expectError(await h.get('1'), 502, 'waha_error');
    assertNothingLeaks(JSON.stringify(body));
    assertNothingLeaks(JSON.stringify(h.logs), { wahaMessage: true });
    const failure = h.logs.find((record) => record.event === 'request.failed');
    assert.equal(failure?.wahaStatus, 500);
    assert.equal(failure?.errorKind, 'http');
    assert.equal(failure?.wahaMessage, 'Internal server error');
  });

  it('WAHA too slow → 504 waha_timeout', async () => {
    h = await harness({ waha: { timeoutMs: 50 } });
    h.sim.setLatency(60_000); // on the simulator's fake clock: never answers unless ticked
    const body = await expectError(await h.get('1'), 504, 'waha_timeout');
    assertNothingLeaks(JSON.stringify(body) + JSON.stringify(h.logs));
  });

  it('a wrong API key → 502 waha_unauthorized, the key never echoed', async () => {
    h = await harness({ waha: { apiKey: 'wrong-key-123' } });
    const body = await expectError(await h.get('1'), 502, 'waha_unauthorized');
    const everything = JSON.stringify(body) + JSON.stringify(h.logs);
    assertNothingLeaks(everything);
    assert.ok(!everything.includes('wrong-key-123'));
  });

  it('no WAHA URL anywhere → 500 waha_not_configured', async () => {
    const saved = process.env.WAHA_API_URL;
    delete process.env.WAHA_API_URL;
    try {
      h = await harness({ waha: { url: undefined } });
      await expectError(await h.get('1'), 500, 'waha_not_configured');
    } finally {
      if (saved !== undefined) process.env.WAHA_API_URL = saved;
    }
  });

  it('falls back to WAHA_API_URL / WAHA_API_KEY from the environment', async () => {
    h = await harness({ waha: { url: undefined, apiKey: undefined } });
    const saved = { url: process.env.WAHA_API_URL, key: process.env.WAHA_API_KEY };
    process.env.WAHA_API_URL = h.wahaUrl;
    process.env.WAHA_API_KEY = API_KEY;
    try {
      assert.equal((await h.get('1')).status, 200);
    } finally {
      for (const [name, value] of [['WAHA_API_URL', saved.url], ['WAHA_API_KEY', saved.key]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('uses per-organization WAHA settings before the defaults', async () => {
    const down = await closedPortUrl();
    h = await harness({
      waha: { url: down },
      handler: { resolveWahaConfig: (orgId) => (orgId === 'vip' ? { url: h.wahaUrl, apiKey: API_KEY } : null) },
    });
    assert.equal((await h.get('vip')).status, 200);
    await expectError(await h.get('other'), 502, 'waha_unreachable');
  });

  it('never sends the server\'s WAHA key to a WAHA an organization names without a key', async () => {
    const keys: Array<string | undefined> = [];
    const theirs = createServer((request, response) => {
      keys.push(request.headers['x-api-key'] as string | undefined);
      response.writeHead(503, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => theirs.listen(0, '127.0.0.1', resolve));
    const address = theirs.address();
    assert.ok(address && typeof address === 'object');
    const theirUrl = `http://127.0.0.1:${address.port}`;
    try {
      h = await harness({
        waha: { retry: { attempts: 1 } },
        handler: {
          resolveWahaConfig: (orgId) =>
            orgId === 'byo' ? { url: theirUrl } : orgId === 'byo-key'
                ? { url: theirUrl, apiKey: 'their-key' }
                : orgId === 'same'
                  ? { url: ` ${h.wahaUrl.toUpperCase().replace('HTTP://', 'http://')}/ ` }
                  : null,
        },
      });
      await h.get('byo');
      assert.ok(keys.length > 0, 'their WAHA was called');
      assert.deepEqual([...new Set(keys)], [undefined], 'no key at all, and never ours');
      keys.length = 0;
      await h.get('byo-key');
      assert.deepEqual([...new Set(keys)], ['their-key']);
      assert.equal((await h.get('same')).status, 200, 'the server\'s own WAHA, written otherwise, keeps the server\'s key');
    } finally {
      await new Promise<void>((resolve) => theirs.close(() => resolve()));
    }
  });

  it("a WAHA that invents a 100 000-character status: cut before it reaches the answer, the store and the logs", async () => {
    const status = `NEW_${'Z'.repeat(100_000)}`;
    h = await harness({
      waha: {
        fetch: async (input, init) => {
          const url = input instanceof Request ? input.url : String(input);
          if (url.endsWith('/api/sessions/eagles_1')) return new Response(JSON.stringify({ name: 'eagles_1', status }), { status: 200, headers: { 'content-type': 'application/json' } });
          return fetch(input, init);
        },
      },
    });
    const answer = await json<{ status: string }>(await h.get('1'));
    assert.ok(status.startsWith(answer.status) && answer.status.length <= 40, `answered ${answer.status.length} characters`);
    assert.ok((h.store.entries().get('1')?.status ?? '').length <= 40, 'stored cut');
    assert.ok(JSON.stringify(h.logs).length < 10_000, `logs of ${JSON.stringify(h.logs).length} characters`);
  });

  it('a WAHA that answers a QR no QR code can hold, or a 100 000-character account: none of it reaches the answer or the streams', async () => {
    const huge = 'Q'.repeat(100_000);
    let status = 'SCAN_QR_CODE';
    h = await harness({
      waha: {
        fetch: async (input, init) => {
          const url = input instanceof Request ? input.url : String(input);
          const reply = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
          if (url.endsWith('/api/sessions/eagles_1')) return reply({ name: 'eagles_1', status, me: status === 'WORKING' ? { id: `${huge}@c.us`, pushName: huge } : null });
          if (url.includes('/auth/qr')) return reply({ value: huge });
          return fetch(input, init);
        },
      },
    });
    const scanning = await json<SessionAnswerWire>(await h.get('1'));
    assert.equal(scanning.status, 'SCAN_QR');
    assert.equal(scanning.qr, undefined, 'no QR');
    status = 'WORKING';
    const working = await h.get('1');
    const text = await working.text();
    assert.equal((JSON.parse(text) as SessionAnswerWire).status, 'WORKING');
    assert.ok(text.length < 2_000, `answered ${text.length} characters`);
  });

  it('a failing store → 503 store_error, WAHA untouched', async () => {
    h = await harness({
      handler: {
        store: {
          get: async () => {
            throw new Error('connection refused');
          },
          set: async () => {},
        },
      },
    });
    await expectError(await h.get('1'), 503, 'store_error');
    await expectError(await h.post('1', { action: 'reconnect' }), 503, 'store_error');
    assert.deepEqual(h.calls(), []);
  });

  it('a store that hangs → 503 store_error within storeTimeoutMs, for GET and POST; nothing lost when it returns', async () => {
    let hanging = true;
    const store = createMemoryStore();
    const hang = <T>(work: () => Promise<T>): Promise<T> => (hanging ? new Promise<T>(() => {}) : work());
    h = await harness({
      handler: {
        storeTimeoutMs: 40,
        store: { get: (org) => hang(() => store.get(org)), set: (org, record) => hang(() => store.set(org, record)) },
      },
    });
    const started = Date.now();
    await expectError(await h.get('1'), 503, 'store_error');
    await expectError(await h.post('1', { action: 'change_number' }), 503, 'store_error');
    assert.ok(Date.now() - started < 2_000, 'answered within the bound');
    assert.ok(h.logs.some((record) => record.event === 'store.error' && record.timedOut === true));
    assert.deepEqual(h.calls(), []);
    hanging = false;
    assert.equal((await h.get('1')).status, 200);
    assert.equal(store.entries().get('1')?.sessionName, 'eagles_1');
  });
});

describe('retries', () => {
  it('retries an idempotent GET on 5xx and succeeds', async () => {
    const rolls = [0, 0, 0.9, 0.9];
    h = await harness({ sim: { errorRate: 0.5, random: () => rolls.shift() ?? 0.9 }, waha: { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 } } });
    assert.equal((await h.get('1')).status, 200);
    assert.deepEqual(
      h.sim.requestLog().map((entry) => `${entry.method} ${entry.status}`),
      ['GET 500', 'GET 500', 'GET 404', 'POST 201'],
    );
  });

  it('gives up after the capped number of attempts', async () => {
    h = await harness({ sim: { errorRate: 1 }, waha: { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 } } });
    await expectError(await h.get('1'), 502, 'waha_error');
    assert.equal(h.calls().length, 3);
  });

  it('never retries POST create', async () => {
    const rolls = [0.9, 0];
    h = await harness({ sim: { errorRate: 0.5, random: () => rolls.shift() ?? 0 }, waha: { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 } } });
    await expectError(await h.get('1'), 502, 'waha_error');
    assert.deepEqual(h.calls(), ['GET /api/sessions/eagles_1', 'POST /api/sessions']);
  });

  it('never retries POST logout or request-code', async () => {
    h = await harness({ waha: { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 } } });
    await h.get('1');
    h.fake.tick(2000);
    h.sim.setErrorRate(1);
    h.sim.clearRequestLog();
    await expectError(await h.post('1', { action: 'logout' }), 502, 'waha_error');
    assert.deepEqual(h.calls(), ['POST /api/sessions/eagles_1/logout']);
  });
});

describe('never leaks', () => {
  it('no response or log record of a whole session lifecycle contains the API key', async () => {
    h = await harness();
    const texts: string[] = [];
    texts.push(await (await h.get('1')).text());
    h.fake.tick(2000);
    texts.push(await (await h.get('1')).text());
    texts.push(await (await h.post('1', { action: 'request_code', phoneNumber: '5215512345678' })).text());
    h.sim.scan('eagles_1', { phone: '5215512345678' });
    texts.push(await (await h.get('1')).text());
    texts.push(await (await h.post('1', { action: 'change_number' })).text());
    texts.push(await (await h.post('1', { action: 'logout' })).text());
    const all = texts.join('\n') + JSON.stringify(h.logs);
    assert.ok(!all.includes(API_KEY));
    assert.ok(!all.includes(h.wahaUrl));
    assert.ok(h.logs.length > 0);
    for (const record of h.logs) {
      assert.equal(typeof record.level, 'string');
      assert.equal(typeof record.event, 'string');
      assert.equal(typeof record.message, 'string');
      assert.ok(!Number.isNaN(Date.parse(record.time)));
    }
  });
});
