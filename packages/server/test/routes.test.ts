import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, it } from 'node:test';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { createSessionHandler, type SessionHandlerOptions } from '../src/index.js';
import { toNodeHandler } from '../src/node.js';
import { API_KEY, harness, json, type Harness } from './helpers.js';

let h: Harness;
let server: Server | undefined;
afterEach(async () => {
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
  }
  await h.close();
});

/** A harness whose resolver counts its calls. */
async function counted(handler: Partial<SessionHandlerOptions> = {}): Promise<{ resolved: () => number }> {
  let calls = 0;
  h = await harness({
    handler: {
      stream: true,
      webhook: { token: 'hook-token-routes' },
      getOrganizationId: (request) => {
        calls++;
        return request.headers.get('x-org');
      },
      ...handler,
    },
  });
  return { resolved: () => calls };
}

const at = (url: string, init: RequestInit = {}) => new Request(url, { ...init, headers: { 'x-org': '1', ...init.headers } });

async function expectNotFound(response: Response): Promise<void> {
  assert.equal(response.status, 404, await response.clone().text());
  assert.deepEqual((await json(response)).error, { code: 'not_found', message: 'Not found.' });
}

describe('routes', () => {
  it('never advertises a stream URL taken from the request: a //host path through a Fetch-native server', async () => {
    // Bun.serve({ fetch }) and Deno.serve hand such a path over as it came; before, the
    // answer advertised "//evil.example/api/whatsapp/session/stream" (another host's stream).
    const { resolved } = await counted();
    const attack = 'http://app.test//evil.example/api/whatsapp/session';
    assert.equal(new URL(attack).pathname, '//evil.example/api/whatsapp/session');
    await expectNotFound(await h.handler(at(attack)));
    await expectNotFound(await h.handler(at(`${attack}/stream`)));
    assert.equal(resolved(), 0, 'an unknown path is refused before authentication');
    assert.deepEqual(h.calls(), [], 'and before WAHA');

    // The session part mounted alone serves any path, and still advertises the configured one.
    const alone = await json<SessionAnswerWire>(await h.handler.session(at(attack)));
    assert.equal(alone.stream, '/api/whatsapp/session/stream');
  });

  it('answers 404 for every path but <base>, <base>/stream and <base>/webhook', async () => {
    const { resolved } = await counted();
    for (const path of [
      '/api/whatsapp/session/no/such',
      '/api/whatsapp/session/streams',
      '/api/whatsapp/session/stream/x',
      '/api/whatsapp/session/webhook/x',
      '/api/whatsapp/sessionx',
      '/api/whatsapp/session%2Fstream',
      '/api/whatsapp',
      '/',
      '/API/whatsapp/session',
    ]) {
      await expectNotFound(await h.handler(at(`http://app.test${path}`)));
    }
    assert.equal(resolved(), 0);
    assert.deepEqual(h.calls(), []);
    const notFound = h.logs.filter((record) => record.event === 'request.not_found');
    assert.deepEqual(
      notFound.map((record) => record.level),
      ['warn', ...Array(8).fill('debug')],
      'warned once, for the integrator who mounted the handler elsewhere',
    );
    assert.equal(notFound[0]!.path, '/api/whatsapp/session/no/such');

    assert.equal((await h.handler(at('http://app.test/api/whatsapp/session/'))).status, 200, 'a trailing slash is the same path');
    assert.equal((await h.handler(at('http://app.test/api/whatsapp/session?x=1'))).status, 200, 'a query is not a path');
  });

  it('serves a configured base path, the root included', async () => {
    await counted({ basePath: '/wa/' });
    const answer = await json<SessionAnswerWire>(await h.handler(at('http://app.test/wa')));
    assert.equal(answer.sessionName, 'eagles_1');
    assert.equal(answer.stream, '/wa/stream');
    await expectNotFound(await h.handler(at('http://app.test/api/whatsapp/session')));
    await h.close();

    await counted({ basePath: '/' });
    assert.equal((await json<SessionAnswerWire>(await h.handler(at('http://app.test/')))).stream, '/stream');
    await expectNotFound(await h.handler(at('http://app.test/other')));
  });

  it('gives each organization its own path with a function, and 404 off it (after authentication, before WAHA)', async () => {
    await counted({ basePath: (orgId) => `/orgs/${encodeURIComponent(orgId)}/whatsapp/session` });
    const answer = await json<SessionAnswerWire>(await h.handler(at('http://app.test/orgs/1/whatsapp/session')));
    assert.equal(answer.sessionName, 'eagles_1');
    assert.equal(answer.stream, '/orgs/1/whatsapp/session/stream');
    h.sim.clearRequestLog();
    await expectNotFound(await h.handler(at('http://app.test/orgs/2/whatsapp/session')));
    await expectNotFound(await h.handler(at('http://app.test/orgs/2/whatsapp/session/stream')));
    await expectNotFound(await h.handler(at('http://app.test/orgs/1/whatsapp/session/no/such')));
    await expectNotFound(await h.handler(at('http://app.test//evil.example/orgs/1/whatsapp/session')));
    assert.deepEqual(h.calls(), []);
    const anonymous = await h.handler(new Request('http://app.test/orgs/1/whatsapp/session'));
    assert.equal(anonymous.status, 401);
    // The webhook is WAHA's: its token decides, whatever organization the path names.
    const hook = await h.handler(new Request('http://app.test/orgs/9/whatsapp/session/webhook', { method: 'POST' }));
    assert.equal(hook.status, 401);
  });

  it('answers 500 when a base path function returns no path, and refuses a configured one at creation', async () => {
    await counted({ basePath: () => 'https://evil.example/wa' });
    const response = await h.handler(at('http://app.test/api/whatsapp/session'));
    assert.equal(response.status, 500);
    assert.deepEqual(h.calls(), []);
    for (const basePath of ['https://app.test/wa', '//evil.example/wa', '/\\evil.example/wa', '/\t/evil.example/wa', '/\n/evil.example/wa', 'api/whatsapp/session', '']) {
      assert.throws(
        () => createSessionHandler({ getOrganizationId: () => '1', basePath }),
        (error: unknown) => error instanceof TypeError && /basePath/.test(error.message),
        basePath,
      );
    }
  });

  it('never advertises a stream on another origin through a per-organization base path: a backslash or a tab in the id', async () => {
    // Browsers read "/\\host" and "/<tab>/host" as "//host" (the URL parser turns \\ into / and drops tabs).
    await counted({ basePath: (orgId) => `/${orgId}/whatsapp/session` });
    for (const orgId of ['\\evil.example', '\t/evil.example', '\\\\evil.example']) {
      const response = await h.handler.session(at('http://app.test/x/whatsapp/session', { headers: { 'x-org': orgId } }));
      const text = await response.text();
      const stream = response.status === 200 ? (JSON.parse(text) as SessionAnswerWire).stream : undefined;
      if (typeof stream === 'string') assert.equal(new URL(stream, 'http://app.test').origin, 'http://app.test', `advertised ${stream}`);
      assert.equal(response.status, 500, text);
    }
  });

  it('serves an Express-style mount, whose req.url has lost the mount path', async () => {
    h = await harness();
    const handler = createSessionHandler({
      getOrganizationId: (request) => request.headers.get('x-org'),
      waha: { url: h.wahaUrl, apiKey: API_KEY, retry: { attempts: 1 } },
      sessionPrefix: 'eagles',
      stream: true,
    });
    const node = toNodeHandler(handler);
    const mount = '/api/whatsapp/session';
    // What app.use(mount, node) does to the request before calling node.
    server = createServer((req, res) => {
      if (!req.url?.startsWith(mount)) return res.writeHead(404).end();
      Object.assign(req, { originalUrl: req.url, baseUrl: mount, url: req.url.slice(mount.length) || '/' });
      node(req, res);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address && typeof address === 'object');
    const response = await fetch(`http://127.0.0.1:${address.port}${mount}`, { headers: { 'x-org': '1' } });
    assert.equal(response.status, 200);
    assert.equal((await json<SessionAnswerWire>(response)).stream, '/api/whatsapp/session/stream');
    handler.close();
  });
});
