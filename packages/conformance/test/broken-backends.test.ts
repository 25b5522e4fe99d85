// The kit against backends that break the contract on purpose: the right checks
// fail, with details that say what is wrong, and the others still pass.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import {
  breaking,
  errorAnswer,
  goodBackend,
  json,
  SCAN_SESSION,
  startBackend,
  WORKING_SESSION,
  type FakeHandler,
  type RunningBackend,
} from './fixtures/backend.js';
import { expectOutcome, run } from './helpers.js';
import type { ConformanceOptions } from '../src/index.js';

const HTML_PAGE = '<!DOCTYPE html><html><body><h1>400 Bad Request</h1></body></html>';

describe('backends that break the contract', () => {
  const backends: RunningBackend[] = [];
  after(async () => {
    await Promise.all(backends.map((backend) => backend.close()));
  });
  async function check(handler: FakeHandler, options: Partial<ConformanceOptions> = {}) {
    const backend = await startBackend(handler);
    backends.push(backend);
    return run(backend.url, options);
  }

  it('an HTML error page fails the error checks and says it is not JSON', async () => {
    const good = goodBackend();
    const report = await check(
      breaking(good, (request) =>
        request.method === 'POST' ? { status: 400, headers: { 'content-type': 'text/html' }, body: HTML_PAGE } : undefined,
      ),
    );
    expectOutcome(report, 'post.invalid-action-400', 'fail', /not JSON.*<!DOCTYPE html>/);
    expectOutcome(report, 'post.invalid-json-400', 'fail', /Content-Type is "text\/html"/);
    expectOutcome(report, 'error.shape', 'fail', /unknown action: .*not JSON/);
    expectOutcome(report, 'get.shape', 'pass');
    expectOutcome(report, 'method.405', 'pass');
  });

  it('an HTML page on GET fails the GET checks', async () => {
    const report = await check(() => ({ status: 200, headers: { 'content-type': 'text/html' }, body: HTML_PAGE }), {
      include: ['get'],
    });
    expectOutcome(report, 'get.json', 'fail', /Content-Type is "text\/html"/);
    expectOutcome(report, 'get.shape', 'fail', /not JSON/);
    expectOutcome(report, 'get.status-known', 'fail', /no session answer/);
  });

  it('wrong status names fail get.status-known', async () => {
    const invented = await check(breaking(goodBackend(), (r) => (r.method === 'GET' ? json(200, { status: 'CONNECTED', sessionName: 'eagles_42', connected: true }) : undefined)), { include: ['get'] });
    expectOutcome(invented, 'get.status-known', 'fail', /"CONNECTED" is not one of STARTING, SCAN_QR/);
    expectOutcome(invented, 'get.shape', 'pass');

    const lower = await check(breaking(goodBackend(), (r) => (r.method === 'GET' ? json(200, { status: 'working', sessionName: 'eagles_42', connected: true }) : undefined)), { include: ['get.status-known'] });
    expectOutcome(lower, 'get.status-known', 'fail', /must be spelled exactly "WORKING"/);
  });

  it('missing fields fail get.shape, naming each', async () => {
    const report = await check(breaking(goodBackend(), (r) => (r.method === 'GET' ? json(200, { status: 'SCAN_QR', qr: 'abc' }) : undefined)), { include: ['get'] });
    expectOutcome(report, 'get.shape', 'fail', /lacks "sessionName".*lacks "connected"/);
    expectOutcome(report, 'get.qr-when-scan', 'pass');
  });

  it('wrongly typed fields fail get.shape', async () => {
    const report = await check(
      breaking(goodBackend(), (r) =>
        r.method === 'GET' ? json(200, { status: 'WORKING', sessionName: 42, connected: 'yes', me: { pushName: 'Ana' } }) : undefined,
      ),
      { include: ['get'] },
    );
    expectOutcome(report, 'get.shape', 'fail', /\/sessionName must be string.*\/connected must be boolean/);
    expectOutcome(report, 'get.me-when-working', 'fail', /no me\.id.*connected "yes"/);
  });

  it('SCAN_QR without a QR, or with an unsafe image, fails get.qr-when-scan', async () => {
    const noQr = await check(breaking(goodBackend(), (r) => (r.method === 'GET' ? json(200, { status: 'SCAN_QR_CODE', sessionName: 'eagles_42', connected: false }) : undefined)), { include: ['get'] });
    expectOutcome(noQr, 'get.qr-when-scan', 'fail', /SCAN_QR_CODE without a non-empty "qr" or "qrImage"/);
    expectOutcome(noQr, 'get.shape', 'pass');

    const unsafe = await check(
      breaking(goodBackend(), (r) =>
        r.method === 'GET' ? json(200, { status: 'SCAN_QR', sessionName: 'eagles_42', connected: false, qrImage: 'javascript:alert(1)' }) : undefined,
      ),
      { include: ['get'] },
    );
    expectOutcome(unsafe, 'get.qr-when-scan', 'fail', /not a base64 PNG\/SVG data URL/);
    expectOutcome(unsafe, 'get.shape', 'fail', /\/qrImage must match pattern/);
  });

  it('a wrong error shape fails error.shape and the error checks', async () => {
    const report = await check(
      breaking(goodBackend(), (r) => (r.method !== 'GET' ? json(400, { error: 'Bad request', message: 'nope' }) : undefined)),
    );
    expectOutcome(report, 'error.shape', 'fail', /not \{"error":\{"code","message"\}\}: \/error must be object/);
    expectOutcome(report, 'post.invalid-action-400', 'fail', /\/error must be object/);
    expectOutcome(report, 'method.405', 'fail', /PUT: expected HTTP 405, got HTTP 400/);
  });

  it('HTML inside error.message fails error.shape', async () => {
    const report = await check(
      breaking(goodBackend(), (r) => (r.method === 'POST' ? errorAnswer(400, 'invalid_action', '<b>Unknown</b> action') : undefined)),
      { include: ['error.shape'] },
    );
    expectOutcome(report, 'error.shape', 'fail', /error\.message contains HTML/);
  });

  it('200 on an invalid action fails post.invalid-action-400', async () => {
    const good = goodBackend({ session: WORKING_SESSION });
    const report = await check(
      breaking(good, (r) => (r.method === 'POST' && r.body?.includes('self_destruct') ? good({ ...r, method: 'GET' }) : undefined)),
    );
    expectOutcome(report, 'post.invalid-action-400', 'fail', /expected HTTP 400, got HTTP 200 application\/json/);
    expectOutcome(report, 'error.shape', 'fail', /unknown action: answered HTTP 200/);
    expectOutcome(report, 'post.invalid-json-400', 'pass');
  });

  it('a wrong error code fails with the expected code named', async () => {
    const report = await check(
      breaking(goodBackend(), (r) => (r.method === 'POST' && r.body?.includes('self_destruct') ? errorAnswer(400, 'bad_request', 'Bad.') : undefined)),
      { include: ['post.invalid-action-400'] },
    );
    expectOutcome(report, 'post.invalid-action-400', 'fail', /error\.code is "bad_request", expected "invalid_action"/);
  });

  it('accepting text/plain fails post.wrong-content-type; no body limit fails post.payload-too-large', async () => {
    const report = await check(
      breaking(goodBackend(), (r) =>
        r.method === 'POST' && (!r.headers['content-type']?.startsWith('application/json') || r.body === undefined)
          ? errorAnswer(400, 'invalid_action', 'Unknown action.')
          : undefined,
      ),
      { include: ['post'] },
    );
    expectOutcome(report, 'post.wrong-content-type', 'fail', /expected HTTP 415, got HTTP 400/);
    expectOutcome(report, 'post.payload-too-large', 'fail', /expected HTTP 413, got HTTP 400/);
    expectOutcome(report, 'post.invalid-action-400', 'pass');
  });

  it('405 without Allow fails method.405', async () => {
    const report = await check(
      breaking(goodBackend(), (r) => (r.method === 'PUT' || r.method === 'PATCH' ? errorAnswer(405, 'method_not_allowed', 'No.') : undefined)),
      { include: ['method'] },
    );
    expectOutcome(report, 'method.405', 'fail', /PUT: Allow is null, expected it to list GET and POST/);
  });

  it('no authentication fails auth.401', async () => {
    const report = await check(goodBackend(), { include: ['auth'], headers: { authorization: 'Bearer whatever' }, destructive: true });
    expectOutcome(report, 'auth.401', 'fail', /expected HTTP 401 or 403, got HTTP 200/);
    expectOutcome(report, 'auth.401-post', 'fail', /got HTTP 200/);
  });

  it('logout that leaves the phone linked fails post.logout', async () => {
    const good = goodBackend({ session: WORKING_SESSION });
    const report = await check(
      breaking(good, (r) => (r.body?.includes('"logout"') ? good({ ...r, method: 'GET' }) : undefined)),
      { include: ['post.logout'], destructive: true },
    );
    expectOutcome(report, 'post.logout', 'fail', /connected is true, expected false; status is still WORKING; "me" is still present/);
  });

  it('reconnect that restarts a healthy session fails post.reconnect-leaves-healthy', async () => {
    const good = goodBackend({ session: WORKING_SESSION });
    const report = await check(
      breaking(good, (r) =>
        r.body?.includes('"reconnect"') ? (good({ ...r, body: '{"action":"change_number"}' }) as ReturnType<FakeHandler>) : undefined,
      ),
      { include: ['post.reconnect-leaves-healthy'], destructive: true },
    );
    expectOutcome(report, 'post.reconnect-leaves-healthy', 'fail', /WORKING became STARTING after reconnect/);
  });

  it('change_number that never shows a QR fails post.change-number', async () => {
    const good = goodBackend({ session: WORKING_SESSION, startingPolls: 1_000_000 });
    const report = await check(good, { include: ['post.change-number'], destructive: true, settleMs: 200 });
    expectOutcome(report, 'post.change-number', 'fail', /no QR within 200 ms after change_number/);
  });

  it('a backend without request_code skips the extension; a broken one fails it', async () => {
    const without = await check(
      breaking(goodBackend(), (r) => (r.body?.includes('request_code') ? errorAnswer(400, 'invalid_action', 'Unknown action.') : undefined)),
      { include: ['post.request-code', 'post.request-code-invalid-phone'], destructive: true },
    );
    expectOutcome(without, 'post.request-code', 'skip', /not offered/);
    expectOutcome(without, 'post.request-code-invalid-phone', 'pass');

    const noCode = await check(
      breaking(goodBackend(), (r) => (r.body?.includes('"request_code"') && r.body.includes('5215512345678') ? json(200, { ...SCAN_SESSION, sessionName: 'eagles_42' }) : undefined)),
      { include: ['post.request-code'], destructive: true },
    );
    expectOutcome(noCode, 'post.request-code', 'fail', /no "pairingCode"/);
  });

  it('an advertised stream that is not SSE fails stream.advertised', async () => {
    const report = await check(
      breaking(goodBackend({ stream: true }), (r) => (r.path.endsWith('/stream') ? errorAnswer(404, 'not_found', 'No stream.') : undefined)),
      { include: ['stream'] },
    );
    expectOutcome(report, 'stream.advertised', 'fail', /expected HTTP 200 text\/event-stream, got HTTP 404 application\/json/);
  });

  it('a stream whose events are not session answers fails stream.advertised', async () => {
    const report = await check(
      breaking(goodBackend({ stream: true }), (r) =>
        r.path.endsWith('/stream') ? { status: 200, headers: { 'content-type': 'text/event-stream' }, sse: ['data: {"state":"ok"}\n\n'] } : undefined,
      ),
      { include: ['stream'] },
    );
    expectOutcome(report, 'stream.advertised', 'fail', /first event: the body lacks "status"/);
  });

  it('a 413 that leaves the body unread (stalling the connection) fails post.payload-too-large', async () => {
    const good = goodBackend();
    const stalling = createServer((request, response) => {
      if (Number(request.headers['content-length'] ?? 0) > 16 * 1024) {
        // Wrapped as a web stream and never read (as a Fetch adapter does): Node no longer discards the rest.
        Readable.toWeb(request);
        setImmediate(() => {
          response.writeHead(413, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: { code: 'payload_too_large', message: 'Too large.' } }));
        });
        return;
      }
      request.resume();
      request.on('end', () => {
        const answer = good({ method: request.method ?? 'GET', path: request.url ?? '/', headers: request.headers, body: '' });
        response.writeHead(answer.status, answer.headers ?? {});
        response.end(answer.body ?? '');
      });
    });
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = stalling.address() as AddressInfo;
      const report = await run(`http://127.0.0.1:${port}/api/whatsapp/session`, { include: ['post.payload-too-large'], timeoutMs: 300 });
      expectOutcome(report, 'post.payload-too-large', 'fail', /after the 413, request \d got no answer .*drain it or close the connection/);
    } finally {
      stalling.closeAllConnections();
      await new Promise((resolve) => stalling.close(resolve));
    }
  });

  it('a backend that never answers fails with a timeout, not a hang', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const report = await run(`http://127.0.0.1:${port}/api/whatsapp/session`, { include: ['get.json'], timeoutMs: 100 });
      expectOutcome(report, 'get.json', 'fail', /no answer within 100 ms/);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
