import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import FakeTimers from '@sinonjs/fake-timers';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { base64url, fromBase64url, hmacSha256 } from '../src/hmac.js';
import { createSessionHandler, type Clock, type SessionHandlerOptions } from '../src/index.js';
import { harness, json, type Harness } from './helpers.js';
import { SseReader } from './sse.js';

const SECRET = 'stream-ticket-secret-0123456789abcdef';
/** The application's own credential: it must never reach a URL. */
const BEARER = { acme: 'bearer-token-of-acme-9f8e7d6c', globex: 'bearer-token-of-globex-1a2b3c' } as const;

let h: Harness;
const readers: SseReader[] = [];
afterEach(async () => {
  for (const reader of readers.splice(0)) await reader.cancel();
  await h?.close();
  h = undefined!; // the next test may run without a harness
});

/** A Bearer-token application: the organization comes from the Authorization header only. */
async function bearerApp(extra: Partial<SessionHandlerOptions> = {}) {
  const fake = FakeTimers.createClock(0);
  const clock: Clock = { now: () => fake.now, setTimeout: (f, ms) => fake.setTimeout(f, ms), clearTimeout: (t) => fake.clearTimeout(t as never) };
  h = await harness({
    handler: {
      clock,
      stream: { ticket: { secret: SECRET } },
      getOrganizationId: (request) => {
        const token = request.headers.get('authorization')?.replace(/^Bearer /, '');
        return Object.entries(BEARER).find(([, value]) => value === token)?.[0] ?? null;
      },
      ...extra,
    },
  });
  return { fake };
}

const session = (org: keyof typeof BEARER, url = 'http://app.test/api/whatsapp/session') =>
  h.handler(new Request(url, { headers: { authorization: `Bearer ${BEARER[org]}` } }));

/** What EventSource does: a GET of the advertised URL, resolved against the endpoint, with no headers. */
const eventSource = (stream: string) => h.handler(new Request(new URL(stream, 'http://app.test/api/whatsapp/session')));

async function advertised(org: keyof typeof BEARER, url?: string): Promise<string> {
  const answer = await json<SessionAnswerWire>(await session(org, url));
  assert.ok(answer.stream, 'a stream URL');
  return answer.stream;
}

async function refusal(response: Response): Promise<string> {
  assert.equal(response.status, 401, await response.clone().text());
  return ((await json(response)).error as { code: string }).code;
}

function withTicket(stream: string, edit: (ticket: string) => string): string {
  const url = new URL(stream, 'http://app.test');
  url.searchParams.set('ticket', edit(url.searchParams.get('ticket')!));
  return url.pathname + url.search;
}

describe('HMAC-SHA256 and base64url (synchronous, dependency-free)', () => {
  it('match node:crypto, for short, block-sized and long keys', () => {
    for (const key of ['', 'k', 'x'.repeat(64), 'y'.repeat(65), 'ключ'.repeat(40)]) {
      for (const message of ['', 'abc', 'z'.repeat(1000), 'ü\u0000€']) {
        const expected = createHmac('sha256', key).update(message).digest();
        assert.equal(base64url(hmacSha256(key, message)), expected.toString('base64url'));
        assert.deepEqual(fromBase64url(expected.toString('base64url')), new Uint8Array(expected));
      }
    }
    assert.equal(fromBase64url('a+b='), null);
    assert.equal(fromBase64url('abcde'), null);
  });
});

describe('stream tickets', () => {
  it('open the stream of a Bearer-token application, whose token never appears in a URL', async () => {
    await bearerApp();
    const stream = await advertised('acme');
    assert.match(stream, /^\/api\/whatsapp\/session\/stream\?ticket=[A-Za-z0-9_-]+\.[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
    for (const token of Object.values(BEARER)) assert.ok(!stream.includes(token));

    const response = await eventSource(stream);
    assert.equal(response.status, 200);
    const reader = new SseReader(response.body);
    readers.push(reader);
    await reader.next();
    const first = await reader.nextData<SessionAnswerWire>();
    assert.equal(first.sessionName, 'eagles_acme');
    assert.ok(!JSON.stringify(first).includes(BEARER.acme));
    // Without a ticket, EventSource has no way in.
    assert.equal(await refusal(await eventSource('/api/whatsapp/session/stream')), 'unauthorized');
  });

  it('expire after ttlMs (60 s by default), to the millisecond', async () => {
    const { fake } = await bearerApp();
    const stream = await advertised('acme');
    fake.tick(59_999);
    const lastMoment = await eventSource(stream);
    assert.equal(lastMoment.status, 200);
    await lastMoment.body?.cancel();
    fake.tick(1);
    assert.equal(await refusal(await eventSource(stream)), 'unauthorized');
    assert.deepEqual(
      h.logs.filter((record) => record.event === 'stream.ticket_refused').map((record) => record.reason),
      ['expired'],
    );
  });

  it('honour a configured ttlMs', async () => {
    const { fake } = await bearerApp({ stream: { ticket: { secret: SECRET, ttlMs: 5_000 } } });
    const stream = await advertised('acme');
    fake.tick(5_000);
    assert.equal(await refusal(await eventSource(stream)), 'unauthorized');
  });

  it('open only the stream of the organization they name: another organization, another path or an edit is refused', async () => {
    await bearerApp({ basePath: (orgId) => `/orgs/${orgId}/whatsapp/session` });
    const acme = await advertised('acme', 'http://app.test/orgs/acme/whatsapp/session');
    assert.match(acme, /^\/orgs\/acme\/whatsapp\/session\/stream\?ticket=/);
    h.sim.clearRequestLog();

    // acme's ticket at globex's stream: not acme's path.
    const elsewhere = acme.replace('/orgs/acme/', '/orgs/globex/');
    assert.equal((await eventSource(elsewhere)).status, 404);
    // Through the stream part alone (no routing), the ticket still opens acme's stream only.
    const alone = await h.handler.stream(new Request(new URL(elsewhere, 'http://app.test')));
    const reader = new SseReader(alone.body);
    readers.push(reader);
    await reader.next();
    assert.equal((await reader.nextData<SessionAnswerWire>()).sessionName, 'eagles_acme');
    await reader.cancel();
    h.sim.clearRequestLog();

    // The organization inside the ticket rewritten to globex: the signature no longer holds.
    const renamed = withTicket(acme, (ticket) => [Buffer.from('globex').toString('base64url'), ...ticket.split('.').slice(1)].join('.'));
    assert.equal(await refusal(await h.handler.stream(new Request(new URL(renamed, 'http://app.test')))), 'unauthorized');
    // A ticket presented with globex's own credentials is judged by the ticket alone.
    const mixed = await h.handler.stream(
      new Request(new URL(renamed, 'http://app.test'), { headers: { authorization: `Bearer ${BEARER.globex}` } }),
    );
    assert.equal(await refusal(mixed), 'unauthorized');
    assert.deepEqual(h.calls(), [], 'no WAHA call for a refused ticket');
  });

  it('refuse tampered, malformed and foreign tickets', async () => {
    await bearerApp();
    const stream = await advertised('acme');
    const [org, expiry, signature] = new URL(stream, 'http://app.test').searchParams.get('ticket')!.split('.') as [string, string, string];
    const flip = (text: string) => text.slice(0, -1) + (text.endsWith('A') ? 'B' : 'A');
    const later = (parseInt(expiry, 36) + 3600).toString(36);
    const cases = {
      'signature edited': `${org}.${expiry}.${flip(signature)}`,
      'expiry pushed back': `${org}.${later}.${signature}`,
      'no signature': `${org}.${expiry}.`,
      'two parts': `${org}.${expiry}`,
      garbage: 'not-a-ticket',
      empty: '',
      huge: 'x'.repeat(100_000),
      'organization not base64url': `${org}!.${expiry}.${signature}`,
    };
    h.sim.clearRequestLog();
    for (const [name, ticket] of Object.entries(cases)) {
      const url = `/api/whatsapp/session/stream?ticket=${encodeURIComponent(ticket)}`;
      assert.equal(await refusal(await eventSource(url)), 'unauthorized', name);
    }
    assert.deepEqual(h.calls(), []);

    // The same secret on another mount point: a ticket is bound to its stream path.
    const other = createSessionHandler({
      getOrganizationId: () => null,
      waha: { url: h.wahaUrl },
      basePath: '/other/session',
      stream: { ticket: { secret: SECRET } },
    });
    const foreign = await other(new Request(`http://app.test/other/session/stream${new URL(stream, 'http://app.test').search}`));
    assert.equal(await refusal(foreign), 'unauthorized');
    other.close();
  });

  it('leave applications without tickets as they were, and refuse a short secret at creation', async () => {
    h = await harness({ handler: { stream: true } });
    const answer = await json<SessionAnswerWire>(await h.get('1'));
    assert.equal(answer.stream, '/api/whatsapp/session/stream');
    for (const secret of ['', 'short', 'x'.repeat(31)]) {
      assert.throws(
        () => createSessionHandler({ getOrganizationId: () => '1', stream: { ticket: { secret } } }),
        (error: unknown) => error instanceof TypeError && /at least 32 characters/.test(error.message),
      );
    }
    assert.throws(() => createSessionHandler({ getOrganizationId: () => '1', stream: { ticket: { secret: SECRET, ttlMs: 0 } } }), TypeError);
  });
});
