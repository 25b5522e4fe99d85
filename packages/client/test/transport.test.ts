import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { createTransport, type TransportOptions, type TransportResult } from '../src/transport.js';
import { FakeClock, settle } from '../test-kit/index.js';
import { sendJson, startServer, type TestServer } from './helpers/http-server.js';

let server: TestServer;
let clock: FakeClock;

before(async () => {
  server = await startServer();
});
after(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
});
afterEach(() => {
  assert.equal(clock.pending, 0, 'the timeout timer is always cleared');
});

function transport(options: Partial<TransportOptions> = {}) {
  return createTransport({ endpoint: server.url, credentials: 'same-origin', timeoutMs: 15_000, timers: clock, ...options });
}

function failed(result: TransportResult) {
  assert.ok(!result.ok, 'expected a failure');
  return result.error;
}

describe('transport: good answers', () => {
  it('GETs and parses a session answer', async () => {
    server.handle((_req, res) => sendJson(res, { status: 'SCAN_QR_CODE', sessionName: 'eagles_42', qr: '2@x', extra: 1 }));
    const result = await transport().get();
    assert.ok(result.ok);
    assert.equal(result.answer.status, 'SCAN_QR');
    assert.equal(result.answer.qr, '2@x');
    assert.equal(server.requests[0]?.method, 'GET');
    assert.equal(server.requests[0]?.headers.accept, 'application/json');
  });

  it('POSTs the action as JSON', async () => {
    server.handle((_req, res) => sendJson(res, { status: 'STARTING' }));
    const result = await transport().post({ action: 'request_code', phoneNumber: '5215512345678' });
    assert.ok(result.ok);
    const request = server.requests[0];
    assert.equal(request?.method, 'POST');
    assert.match(String(request?.headers['content-type']), /application\/json/);
    assert.deepEqual(JSON.parse(request?.body ?? ''), { action: 'request_code', phoneNumber: '5215512345678' });
  });

  it('sends static headers and headers from an async function (called per request)', async () => {
    let calls = 0;
    await transport({ headers: { 'X-Org': '42' } }).get();
    const t = transport({
      headers: async () => {
        calls += 1;
        return { Authorization: `Bearer t${calls}` };
      },
    });
    await t.get();
    await t.get();
    assert.equal(server.requests[0]?.headers['x-org'], '42');
    assert.equal(server.requests[1]?.headers.authorization, 'Bearer t1');
    assert.equal(server.requests[2]?.headers.authorization, 'Bearer t2');
  });

  it('caller headers replace the defaults whatever their case (one value each, not two)', async () => {
    await transport({ headers: { accept: 'application/vnd.session+json', 'content-type': 'application/json; charset=utf-8' } }).post({ action: 'logout' });
    const request = server.requests[0];
    assert.equal(request?.headers.accept, 'application/vnd.session+json');
    assert.equal(request?.headers['content-type'], 'application/json; charset=utf-8');
  });

  it('reads JSON even when it is labelled text/html', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(JSON.stringify({ status: 'WORKING' }));
    });
    const result = await transport().get();
    assert.ok(result.ok);
    assert.equal(result.answer.status, 'WORKING');
  });

  it('uses an injected fetch', async () => {
    let used = false;
    const result = await transport({
      fetch: async (input, init) => {
        used = true;
        return globalThis.fetch(input, init);
      },
    }).get();
    assert.ok(result.ok);
    assert.equal(used, true);
  });
});

describe('transport: every bad input becomes a typed error', () => {
  const cases: { name: string; reply: (res: import('node:http').ServerResponse) => void; code: string; message?: RegExp; httpStatus: number | undefined }[] = [
    { name: '500 with an error body', reply: (res) => sendJson(res, { error: { code: 'waha_down', message: 'WAHA is down' } }, 500), code: 'http', message: /WAHA is down/, httpStatus: 500 },
    { name: '502 HTML page', reply: (res) => { res.writeHead(502, { 'content-type': 'text/html' }); res.end('<html><body>Bad gateway</body></html>'); }, code: 'http', message: /502/, httpStatus: 502 },
    { name: '200 HTML page (login redirect)', reply: (res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<!doctype html><title>Login</title>'); }, code: 'invalid_response', message: /HTML/, httpStatus: 200 },
    { name: '200 HTML without content-type', reply: (res) => { res.writeHead(200); res.end('  <html></html>'); }, code: 'invalid_response', message: /HTML/, httpStatus: 200 },
    { name: '200 non-JSON text', reply: (res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"status": "WORK'); }, code: 'invalid_response', message: /JSON/, httpStatus: 200 },
    { name: '200 empty body', reply: (res) => { res.writeHead(200); res.end(); }, code: 'invalid_response', message: /empty/, httpStatus: 200 },
    { name: '204 no content', reply: (res) => { res.writeHead(204); res.end(); }, code: 'invalid_response', httpStatus: 204 },
    { name: '200 JSON without status', reply: (res) => sendJson(res, { sessionName: 'x' }), code: 'invalid_response', message: /status/, httpStatus: 200 },
    { name: '200 JSON array', reply: (res) => sendJson(res, [{ status: 'WORKING' }]), code: 'invalid_response', httpStatus: 200 },
    { name: '200 JSON null', reply: (res) => sendJson(res, null), code: 'invalid_response', httpStatus: 200 },
    { name: '200 JSON with numeric status', reply: (res) => sendJson(res, { status: 3 }), code: 'invalid_response', httpStatus: 200 },
    { name: '401', reply: (res) => sendJson(res, { error: { code: 'unauthorized', message: 'Log in' } }, 401), code: 'unauthorized', httpStatus: 401 },
    { name: '403 without body', reply: (res) => { res.writeHead(403); res.end(); }, code: 'unauthorized', message: /not authorized/i, httpStatus: 403 },
    { name: '404', reply: (res) => { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('Not Found'); }, code: 'not_found', httpStatus: 404 },
    { name: '400 with a message', reply: (res) => sendJson(res, { error: { code: 'bad_phone', message: 'Invalid phone number' } }, 400), code: 'http', message: /Invalid phone/, httpStatus: 400 },
    { name: 'connection reset before answering', reply: (res) => res.socket?.destroy(), code: 'network', httpStatus: undefined },
    { name: 'connection reset mid-body', reply: (res) => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' }); res.write('{"status":'); setImmediate(() => res.socket?.destroy()); }, code: 'network', httpStatus: undefined },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      server.handle((_req, res) => c.reply(res));
      for (const send of [() => transport().get(), () => transport().post({ action: 'reconnect' })]) {
        const error = failed(await send());
        assert.equal(error.code, c.code);
        if (c.message) assert.match(error.message, c.message);
        // The HTTP status of the response it failed on, or none when no response came.
        assert.equal(error.httpStatus, c.httpStatus);
        assert.equal(error.name, 'SessionError');
      }
    });
  }

  it('keeps the backend error code as serverCode', async () => {
    server.handle((_req, res) => sendJson(res, { error: { code: 'waha_down', message: 'x' } }, 503));
    assert.equal(failed(await transport().get()).serverCode, 'waha_down');
  });

  it('429 with Retry-After seconds', async () => {
    server.handle((_req, res) => sendJson(res, { error: { code: 'rate', message: 'slow down' } }, 429, { 'retry-after': '5' }));
    const error = failed(await transport().get());
    assert.equal(error.code, 'rate_limited');
    assert.equal(error.retryAfterMs, 5000);
  });

  it('503 with a Retry-After date, relative to the injected clock', async () => {
    server.handle((_req, res) => sendJson(res, {}, 503, { 'retry-after': new Date(clock.now() + 12_000).toUTCString() }));
    assert.equal(failed(await transport().get()).retryAfterMs, 12_000);
  });

  it('refused connection → network', async () => {
    const closed = await startServer();
    const url = closed.url;
    await closed.close();
    const error = failed(await createTransport({ endpoint: url, credentials: 'same-origin', timeoutMs: 15_000, timers: clock }).get());
    assert.equal(error.code, 'network');
    assert.match(error.message, /GET http:\/\/127\.0\.0\.1/);
  });

  it('a relative endpoint without a page (Node) → network, not a throw', async () => {
    const error = failed(await createTransport({ endpoint: '/api/whatsapp/session', credentials: 'same-origin', timeoutMs: 15_000, timers: clock }).get());
    assert.equal(error.code, 'network');
  });

  it('a throwing headers function → network, nothing sent', async () => {
    const error = failed(
      await transport({
        headers: async () => {
          throw new Error('token expired');
        },
      }).get(),
    );
    assert.equal(error.code, 'network');
    assert.match(error.message, /token expired/);
    assert.equal(server.requests.length, 0);
  });

  it('no answer within timeoutMs → timeout, exactly at the deadline', async () => {
    server.handle(() => {});
    const pending = transport({ timeoutMs: 15_000 }).get();
    let settled = false;
    void pending.then(() => (settled = true));
    await server.waitForRequests(1);
    await clock.advance(14_999);
    assert.equal(settled, false);
    await clock.advance(1);
    const error = failed(await pending);
    assert.equal(error.code, 'timeout');
    assert.match(error.message, /15000 ms/);
  });

  it('a body that stalls counts against the timeout too', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":');
    });
    const pending = transport({ timeoutMs: 1000 }).get();
    await server.waitForRequests(1);
    await settle(20);
    await clock.advance(1000);
    assert.equal(failed(await pending).code, 'timeout');
  });

  it('an abort signal cancels the request → aborted', async () => {
    server.handle(() => {});
    const controller = new AbortController();
    const pending = transport().get(controller.signal);
    await server.waitForRequests(1);
    controller.abort();
    assert.equal(failed(await pending).code, 'aborted');
  });

  it('an already aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    assert.equal(failed(await transport().get(controller.signal)).code, 'aborted');
    await settle();
    assert.equal(server.requests.length, 0);
  });
});
