// A WAHA (or a proxy in front of it, or a hostile WAHA an organization names) that answers
// with a redirect to another address. fetch follows redirects by default and, across
// origins, drops only `authorization`: the X-Api-Key header and a create's body (its
// webhook token and HMAC key) would be sent on to wherever the Location points.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { createWahaClient, isWahaError, type WahaError } from '../src/index.js';
import { toHttpError } from '../src/errors.js';
import { closeServer } from './helpers.js';

const KEY = 'sk-redirect-test-key-0b7e';
const WEBHOOK_TOKEN = 'webhook-token-never-elsewhere-51a3';

let servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await closeServer(server);
});

async function listen(handle: (req: IncomingMessage, body: string) => { status: number; headers?: Record<string, string>; body?: string }): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const answer = handle(req, body);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body ?? '');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('WAHA client: redirects', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it(`never follows a ${status}: the key and the webhook secrets stay with WAHA's address`, async () => {
      const elsewhere: { url: string; headers: IncomingMessage['headers']; body: string }[] = [];
      const other = await listen((req, body) => {
        elsewhere.push({ url: req.url ?? '', headers: req.headers, body });
        return { status: 200, body: JSON.stringify({ name: 'wac_1', status: 'WORKING' }) };
      });
      // Another port is another origin; "localhost" another host name too.
      const target = other.replace('127.0.0.1', 'localhost');
      const waha = await listen((req) => ({ status, headers: { location: `${target}${req.url}` } }));
      const errors: WahaError[] = [];
      const client = createWahaClient({ url: waha, apiKey: KEY, retry: { attempts: 1 }, onError: (error) => errors.push(error) });

      const read = await client.getSession('wac_1').then(
        () => undefined,
        (error: unknown) => error,
      );
      const created = await client
        .createSession('wac_1', { webhooks: [{ url: 'https://erp.example/webhook', events: ['session.status'], customHeaders: [{ name: 'X-Webhook-Token', value: WEBHOOK_TOKEN }] }] })
        .then(
          () => undefined,
          (error: unknown) => error,
        );

      assert.deepEqual(elsewhere, [], 'nothing reached the other address');
      for (const error of [read, created]) {
        assert.ok(isWahaError(error), `a WahaError, not ${String(error)}`);
        assert.equal(error.kind, 'http');
        assert.equal(error.status, status);
        assert.match(error.wahaMessage ?? '', /redirect/);
        assert.equal(toHttpError(error).status, 502);
      }
      assert.equal(errors.length, 2, 'each counted once');
    });
  }
});
