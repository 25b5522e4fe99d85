import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, it } from 'node:test';
import FakeTimers from '@sinonjs/fake-timers';
import {
  createMetrics,
  createWahaClient,
  DEFAULT_WAHA_TIMEOUTS,
  isAlreadyStartedError,
  isSingleSessionError,
  isWahaError,
  MAX_WAHA_MESSAGE_LENGTH,
  WahaError,
  type Clock,
  type WahaClientOptions,
} from '../src/index.js';
import { closeServer, until } from './helpers.js';

// WAHA's own texts (devlikeapro/waha, src/core/manager.core.ts and src/core/abc/manager.abc.ts).
const SINGLE_SESSION =
  "WAHA Core support only 'default' session. If you want to run more then one WhatsApp account - please get WAHA PLUS version. Check this out: https://waha.devlike.pro/docs/how-to/plus-version/";
const ALREADY_STARTED = "Session 'default' is already started.";
const NOT_EXPECTED = { error: 'Session status is not as expected. Try again later or restart the session', session: 'default', status: 'STARTING', expected: ['SCAN_QR_CODE'] };
const KEY = 'sk-client-test-secret-key-42';

type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server | undefined;
afterEach(async () => {
  await closeServer(server);
  server = undefined;
});

/** A real local WAHA stand-in: every request goes to `route`; returns its URL and the requests seen. */
async function serve(route: Route): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      route(req, res, body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return { url: `http://127.0.0.1:${address.port}`, seen };
}

const send = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

function fakeClock() {
  const fake = FakeTimers.createClock(0);
  const clock: Clock = { now: () => fake.now, setTimeout: (f, ms) => fake.setTimeout(f, ms), clearTimeout: (t) => fake.clearTimeout(t as never) };
  return { fake, clock };
}

/** A client of `url` counting its errors, with no retries unless asked. */
function client(url: string, options: Partial<WahaClientOptions> = {}) {
  const errors: WahaError[] = [];
  const waha = createWahaClient({ url, apiKey: KEY, retry: { attempts: 1 }, onError: (error) => errors.push(error), ...options });
  return { waha, errors };
}

async function rejection(promise: Promise<unknown>): Promise<WahaError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isWahaError(error), `a WahaError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

/** One turn of the real event loop: pending promise callbacks and socket events run. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Polls once per turn of the real event loop (not the fake clock), 10 s at most. */
const EACH_TURN = { timeoutMs: 10_000, intervalMs: 0 };

describe('WAHA client: the QR', () => {
  it('answers null on 404 (session stopped between two calls) and on the not-expected 422, without counting an error', async () => {
    let status = 404;
    const { url } = await serve((_req, res) =>
      send(res, status, status === 404 ? { statusCode: 404, message: "We didn't find a session with name 'wac_1'.\nPlease start it first", error: 'Not Found' } : NOT_EXPECTED),
    );
    const { waha, errors } = client(url);
    assert.equal(await waha.getQrRaw('wac_1'), null);
    status = 422;
    assert.equal(await waha.getQrRaw('wac_1'), null);
    assert.deepEqual(errors, []);
  });

  it('rejects the single-session 422: it is a refusal of the name, not a QR race', async () => {
    const { url } = await serve((_req, res) => send(res, 422, { statusCode: 422, message: SINGLE_SESSION, error: 'Unprocessable Entity' }));
    const { waha, errors } = client(url);
    const error = await rejection(waha.getQrRaw('wac_1'));
    assert.ok(isSingleSessionError(error));
    assert.equal(errors.length, 1);
  });

  it('waits for WAHA’s 5 s QR wait: the QR deadline is longer than WAHA’s wait', async () => {
    assert.ok(DEFAULT_WAHA_TIMEOUTS.qr > 5_000 + 2_000, 'room for WAHA’s 5 s wait plus latency');
    const { fake, clock } = fakeClock();
    let answer: (() => void) | undefined;
    const { url } = await serve((_req, res) => (answer = () => send(res, 422, NOT_EXPECTED)));
    const { waha, errors } = client(url, { clock, timeoutMs: 2_000 });
    const qr = waha.getQrRaw('wac_1');
    await until('the QR request at the server', () => answer !== undefined, EACH_TURN);
    fake.tick(5_000); // longer than the read deadline: the QR call has its own
    answer!();
    assert.equal(await qr, null);
    assert.deepEqual(errors, []);
  });
});

describe('WAHA client: restart', () => {
  it('posts /restart once, even after a 5xx (a repeat would restart a session just started)', async () => {
    let status = 500;
    const { url, seen } = await serve((_req, res) => send(res, status, status === 201 ? { name: 'wac_1', status: 'STARTING' } : { statusCode: 500, message: 'boom' }));
    const { waha, errors } = client(url, { retry: { attempts: 3, baseDelayMs: 1 } });
    await rejection(waha.restartSession('wac_1'));
    assert.deepEqual(seen, ['POST /api/sessions/wac_1/restart']);
    assert.equal(errors.length, 1);
    status = 201;
    assert.deepEqual(await waha.restartSession('wac_1'), { name: 'wac_1', status: 'STARTING' });
  });
});

describe('WAHA client: refusals and WAHA’s message', () => {
  it('recognizes WAHA’s exact "already started" and single-session refusals, and nothing else', async () => {
    let body: unknown;
    const { url } = await serve((_req, res) => send(res, 422, body));
    const { waha } = client(url);
    body = { statusCode: 422, message: ALREADY_STARTED, error: 'Unprocessable Entity' };
    const started = await rejection(waha.startSession('default'));
    assert.ok(isAlreadyStartedError(started));
    assert.ok(!isSingleSessionError(started));
    body = { statusCode: 422, message: SINGLE_SESSION, error: 'Unprocessable Entity' };
    const single = await rejection(waha.createSession('wac_1'));
    assert.ok(isSingleSessionError(single));
    assert.ok(!isAlreadyStartedError(single));
    body = { statusCode: 422, message: "Session 'wac_1' already exists. Use PUT to update it.", error: 'Unprocessable Entity' };
    const exists = await rejection(waha.createSession('wac_1'));
    assert.ok(!isSingleSessionError(exists) && !isAlreadyStartedError(exists));
    for (const other of [null, undefined, new Error(ALREADY_STARTED), { name: 'WahaError', kind: 'http', status: 422 }, new WahaError({ kind: 'http', method: 'POST', path: '/x', status: 500, wahaMessage: ALREADY_STARTED })]) {
      assert.equal(isAlreadyStartedError(other), false);
      assert.equal(isSingleSessionError(other), false);
    }
  });

  it('keeps WAHA’s message from NestJS bodies, {error} bodies, validation lists and text', async () => {
    let status = 422;
    let body: unknown;
    const { url } = await serve((_req, res) => {
      if (typeof body === 'string') {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(body);
      } else send(res, status, body);
    });
    const { waha } = client(url);
    const messageOf = async (next: unknown, nextStatus = 422) => {
      body = next;
      status = nextStatus;
      return (await rejection(waha.startSession('wac_1'))).wahaMessage;
    };
    assert.equal(await messageOf({ statusCode: 422, message: ALREADY_STARTED, error: 'Unprocessable Entity' }), ALREADY_STARTED);
    assert.equal(await messageOf(NOT_EXPECTED), NOT_EXPECTED.error);
    assert.equal(await messageOf({ statusCode: 400, message: ['name must match ^[a-zA-Z0-9_-]*$', 'name too long'], error: 'Bad Request' }, 400), 'name must match ^[a-zA-Z0-9_-]*$; name too long');
    assert.equal(await messageOf({ error: { code: 404, key: 'FILE_NOT_FOUND', message: 'File not found' } }, 404), 'File not found');
    assert.equal(await messageOf({ statusCode: 500, exception: { message: 'Evaluation failed', stack: 'at x' }, request: { body: {} } }, 500), 'Evaluation failed');
    assert.equal(await messageOf('<html>502 Bad Gateway</html>', 502), '<html>502 Bad Gateway</html>');
    assert.equal(await messageOf({ statusCode: 422 }), undefined);
    assert.equal(await messageOf(''), undefined);
  });

  it('sanitizes WAHA’s message: no key, no URL credentials, no webhook secret, no control characters, capped', async () => {
    let message = '';
    let authorization: string | undefined;
    const { url } = await serve((req, res) => {
      authorization = req.headers.authorization;
      send(res, 422, { statusCode: 422, message, error: 'Unprocessable Entity' });
    });
    const withCredentials = url.replace('http://', 'http://operator:p%40ss-w0rd@');
    const { waha } = client(withCredentials);
    message = `bad key ${KEY} for operator:p@ss-w0rd and hook-secret-123\u0000\u001b[31m\u202eevil\r\nnext`;
    const error = await rejection(waha.createSession('wac_1', { webhooks: [{ url: 'http://h', events: [], hmac: { key: 'hook-secret-123' } }] }));
    const text = error.wahaMessage ?? '';
    for (const secret of [KEY, 'p@ss-w0rd', 'p%40ss-w0rd', 'hook-secret-123']) assert.ok(!text.includes(secret), `${secret} in ${text}`);
    assert.equal(text, 'bad key [redacted] for [redacted]:[redacted] and [redacted] [31m evil next');
    assert.ok(!error.message.includes(KEY) && !error.message.includes('p@ss'));
    assert.equal(authorization, `Basic ${Buffer.from('operator:p@ss-w0rd').toString('base64')}`, 'URL credentials go as basic auth');

    message = 'x'.repeat(10_000);
    const long = await rejection(waha.startSession('wac_1'));
    assert.equal(long.wahaMessage?.length, MAX_WAHA_MESSAGE_LENGTH);
    assert.ok(long.wahaMessage?.endsWith('…'));
  });
});

describe('WAHA client: deadlines per kind of call', () => {
  /** A WAHA that never answers; resolves each call's request as it arrives. */
  async function silent() {
    const { url, seen } = await serve(() => {});
    return { url, seen };
  }

  it('gives lifecycle calls 30 s and does not repeat them after a timeout; reads 10 s, repeated', async () => {
    const { fake, clock } = fakeClock();
    const { url, seen } = await silent();
    const { waha, errors } = client(url, { clock, random: () => 0, retry: { attempts: 3, baseDelayMs: 100 } });
    const stop = rejection(waha.stopSession('wac_1'));
    await until('the stop request at the server', () => seen.length === 1, EACH_TURN);
    fake.tick(DEFAULT_WAHA_TIMEOUTS.lifecycle - 1);
    await turn();
    assert.equal(errors.length, 0, 'still waiting one ms before the deadline');
    fake.tick(1);
    assert.equal((await stop).kind, 'timeout');
    assert.equal(seen.length, 1, 'not repeated: WAHA is most likely still stopping');
    assert.equal(errors.length, 1);

    const read = rejection(waha.getSession('wac_1'));
    for (const [attempt, backoff] of [[2, 50], [3, 100]] as const) {
      await until(`request ${attempt} at the server (read attempt ${attempt - 1})`, () => seen.length === attempt, EACH_TURN);
      fake.tick(DEFAULT_WAHA_TIMEOUTS.read);
      await until('the backoff timer alone', () => fake.countTimers() === 1, EACH_TURN); // the backoff wait, jitter 0
      fake.tick(backoff);
    }
    await until('the third read attempt at the server', () => seen.length === 4, EACH_TURN);
    assert.equal(errors.length, 1, 'a failure is counted once, after its retries');
    fake.tick(DEFAULT_WAHA_TIMEOUTS.read);
    assert.equal((await read).kind, 'timeout');
    assert.equal(errors.length, 2);
  });

  it('takes per-kind deadlines from the options (timeoutMs = reads; timeouts wins)', async () => {
    const { fake, clock } = fakeClock();
    const { url, seen } = await silent();
    const { waha } = client(url, { clock, timeoutMs: 50, timeouts: { lifecycle: 70, action: 60 } });
    const results = [waha.getSession('a'), waha.startSession('a'), waha.deleteSession('a')].map((call) =>
      call.then(
        () => 'resolved',
        (error: WahaError) => `${error.kind} at ${fake.now}`,
      ),
    );
    await until('the three requests at the server', () => seen.length === 3, EACH_TURN);
    for (const step of [50, 10, 10]) {
      fake.tick(step);
      await turn();
    }
    assert.deepEqual(await Promise.all(results), ['timeout at 50', 'timeout at 60', 'timeout at 70']);
  });
});

describe('WAHA client: one deadline for headers and body, one size limit', () => {
  it('times out a WAHA that sends headers at once and trickles its body, and closes the connection', async () => {
    const { fake, clock } = fakeClock();
    let closed = false;
    let sent = 0;
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      const drip = setInterval(() => {
        res.write(' ');
        sent++;
      }, 5);
      res.on('close', () => {
        clearInterval(drip);
        closed = true;
      });
    });
    const metrics = createMetrics();
    const { waha } = client(url, { clock, onError: (error) => metrics.wahaError(error), timeoutMs: 1_000 });
    const listing = rejection(waha.listSessions());
    await until('three trickled bytes', () => sent >= 3, EACH_TURN); // headers arrived long ago: the old timeout would have ended here
    fake.tick(999);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(closed, false, 'still within the deadline');
    fake.tick(1);
    const error = await listing;
    assert.equal(error.kind, 'timeout');
    await until('the connection closed', () => closed, EACH_TURN);
    assert.equal(metrics.snapshot().wahaErrors.timeout, 1);
  });

  it('refuses a 150 MB body after the limit, as invalid_response, and cancels the connection', async () => {
    let written = 0;
    let closed = false;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.on('close', () => (closed = true));
      const pump = (): void => {
        while (!closed && written < 150 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const metrics = createMetrics();
    const { waha } = client(url, { onError: (error) => metrics.wahaError(error) });
    const error = await rejection(waha.getSession('wac_1'));
    assert.equal(error.kind, 'invalid_response');
    assert.equal(error.tooLarge, true);
    assert.match(error.message, /over the size limit/);
    await until('the connection closed', () => closed, EACH_TURN);
    assert.ok(written < 16 * 1024 * 1024, `stopped early, after ${written} bytes`);
    assert.equal(metrics.snapshot().wahaErrors.invalid_response, 1);
  });

  it('refuses a declared content-length over the limit before reading, and honours maxBodyBytes / maxListBodyBytes', async () => {
    let size = 2_000;
    const { url } = await serve((req, res) => {
      const item = JSON.stringify({ name: 'wac_1', status: 'WORKING', padding: 'x'.repeat(size) });
      send(res, 200, req.url?.startsWith('/api/sessions?') ? [item].map((text) => JSON.parse(text) as unknown) : JSON.parse(item));
    });
    const { waha, errors } = client(url, { maxBodyBytes: 1_000, maxListBodyBytes: 3_000 });
    assert.equal((await rejection(waha.getSession('wac_1'))).tooLarge, true);
    assert.equal((await waha.listSessions()).length, 1, 'the listing has its own, larger limit');
    size = 5_000;
    assert.equal((await rejection(waha.listSessions())).tooLarge, true);
    assert.equal(errors.length, 2);
  });
});

describe('WAHA client: every failure reaches onError exactly once', () => {
  it('counts unexpected 2xx bodies (invalid_response), which the metric never saw before', async () => {
    let body: unknown = {};
    const { url } = await serve((_req, res) => send(res, 200, body));
    const metrics = createMetrics();
    const { waha } = client(url, { onError: (error) => metrics.wahaError(error), retry: { attempts: 3, baseDelayMs: 1 } });
    for (const call of [() => waha.getSession('a'), () => waha.startSession('a'), () => waha.getQrRaw('a'), () => waha.requestCode('a', '1'), () => waha.getMe('a')]) {
      assert.equal((await rejection(call())).kind, 'invalid_response');
    }
    body = { not: 'a list' };
    assert.equal((await rejection(waha.listSessions())).kind, 'invalid_response');
    assert.equal(metrics.snapshot().wahaErrors.invalid_response, 6);
  });

  it('does not count what a method turns into a value (404 → null), and survives a throwing onError', async () => {
    let status = 404;
    const { url } = await serve((_req, res) => send(res, status, { statusCode: status, message: 'Session not found' }));
    const counted: WahaError[] = [];
    const waha = createWahaClient({
      url,
      retry: { attempts: 1 },
      onError: (error) => {
        counted.push(error);
        throw new Error('a broken counter');
      },
    });
    assert.equal(await waha.getSession('a'), null);
    await waha.deleteSession('a');
    assert.equal(counted.length, 0);
    status = 503;
    assert.equal((await rejection(waha.getSession('a'))).status, 503);
    assert.equal(counted.length, 1);
  });

  it('counts an unreachable WAHA as network, once after its retries', async () => {
    const { url } = await serve(() => {});
    await closeServer(server);
    server = undefined;
    // Real timers that keep the loop alive (the system clock's are unref'd).
    const clock: Clock = { now: Date.now, setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (t) => clearTimeout(t as never) };
    const { waha, errors } = client(url, { clock, retry: { attempts: 2, baseDelayMs: 1 } });
    assert.equal((await rejection(waha.listSessions())).kind, 'network');
    assert.equal(errors.length, 1);
  });
});
