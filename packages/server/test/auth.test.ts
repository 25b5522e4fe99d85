import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import FakeTimers from '@sinonjs/fake-timers';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import type { Clock, OrganizationResolver } from '../src/index.js';
import { ENDPOINT, harness, json, type Harness } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

/** The handler's own fake clock, separate from the simulator's. */
function handlerClock() {
  const fake = FakeTimers.createClock(0);
  const clock: Clock = { now: () => fake.now, setTimeout: (f, ms) => fake.setTimeout(f, ms), clearTimeout: (t) => fake.clearTimeout(t as never) };
  return { fake, clock };
}

/** Whatever a host's resolver might return by mistake. */
const NOT_AN_ORGANIZATION: Array<[string, unknown, string]> = [
  ['NaN', NaN, 'NaN'],
  ['Infinity', Infinity, 'Infinity'],
  ['-Infinity', -Infinity, '-Infinity'],
  ['a fraction', 1.5, 'a number that is not a safe integer'],
  ['an unsafe integer', 2 ** 53, 'a number that is not a safe integer'],
  ['false', false, 'false'],
  ['true', true, 'true'],
  ['an object', { orgId: '1' }, 'a value of type object'],
  ['an array', ['1'], 'an array'],
  ['a bigint', 1n, 'a value of type bigint'],
  ['a function', () => '1', 'a value of type function'],
  ['a symbol', Symbol('org'), 'a value of type symbol'],
];

describe('organization resolution', () => {
  for (const [name, value, returned] of NOT_AN_ORGANIZATION) {
    it(`refuses ${name} with 401, logs the host's bug, never calls WAHA`, async () => {
      h = await harness({ handler: { getOrganizationId: (() => value) as OrganizationResolver } });
      const response = await h.get('1');
      assert.equal(response.status, 401);
      assert.equal(((await json(response)).error as { code: string }).code, 'unauthorized');
      assert.deepEqual(h.calls(), []);
      const logged = h.logs.find((record) => record.event === 'auth.invalid_organization');
      assert.ok(logged, 'logged');
      assert.equal(logged.level, 'error');
      assert.equal(logged.returned, returned);
      assert.match(logged.message, /getOrganizationId returned/);
    });
  }

  it('caps ids: 256 characters are an organization, 257 and 200 000 are refused and never logged or sent whole', async () => {
    const ids = new Map([
      ['256', 'a'.repeat(256)],
      ['257', 'b'.repeat(257)],
      ['huge', 'c'.repeat(200_000)],
    ]);
    h = await harness({ handler: { getOrganizationId: (request) => ids.get(request.headers.get('x-org') ?? '') ?? null } });
    const ok = await json<SessionAnswerWire>(await h.get('256'));
    assert.match(ok.sessionName, /^eagles__a+-[a-z2-7]{16}$/, 'a long id is hashed into the name');
    h.sim.clearRequestLog();
    for (const key of ['257', 'huge']) {
      assert.equal((await h.get(key)).status, 401, key);
    }
    assert.deepEqual(h.calls(), []);
    const refused = h.logs.filter((record) => record.event === 'auth.invalid_organization');
    assert.deepEqual(
      refused.map((record) => [record.orgIdLength, record.orgIdPrefix]),
      [
        [257, 'b'.repeat(32)],
        [200_000, 'c'.repeat(32)],
      ],
    );
    assert.ok(JSON.stringify(h.logs).length < 20_000, 'no log carries a long id whole');
    assert.ok(!JSON.stringify(h.logs).includes('b'.repeat(33)));
  });

  it('refuses ids with a lone surrogate: UTF-8 turns it into U+FFFD, so two organizations would share one session, store row and webhook credential', async () => {
    const ids = new Map([
      ['lone-high', 'acme\uD800'],
      ['lone-low', '\uDC00acme'],
      ['reversed', 'acme\uDC00\uD800'],
      ['replacement', 'acme\uFFFD'],
      ['emoji', 'acme\u{1F600}'],
    ]);
    h = await harness({ handler: { getOrganizationId: (request) => ids.get(request.headers.get('x-org') ?? '') ?? null } });
    // The organization whose id really has U+FFFD links its phone first.
    const victim = await json<SessionAnswerWire>(await h.get('replacement'));
    assert.match(victim.sessionName, /^eagles__acme_-[a-z2-7]{16}$/);
    for (const key of ['lone-high', 'lone-low', 'reversed']) {
      const response = await h.get(key);
      assert.equal(response.status, 401, `${key}: ${await response.clone().text()}`);
    }
    const refused = h.logs.filter((record) => record.event === 'auth.invalid_organization');
    assert.equal(refused.length, 3);
    for (const record of refused) assert.match(String(record.returned), /lone surrogate/);
    const emoji = await json<SessionAnswerWire>(await h.get('emoji'));
    assert.notEqual(emoji.sessionName, victim.sessionName, 'a well-formed pair is an organization of its own');
  });

  it('accepts safe integers and strings; blank means nobody signed in (no log)', async () => {
    const values = new Map<string, unknown>([
      ['zero', 0],
      ['negative', -5],
      ['plain', '42'],
      ['blank', '   '],
    ]);
    h = await harness({ handler: { getOrganizationId: ((request: Request) => values.get(request.headers.get('x-org') ?? '')) as OrganizationResolver } });
    assert.equal((await json<SessionAnswerWire>(await h.get('zero'))).sessionName, 'eagles_0');
    assert.equal((await json<SessionAnswerWire>(await h.get('negative'))).sessionName, 'eagles_-5');
    assert.equal((await json<SessionAnswerWire>(await h.get('plain'))).sessionName, 'eagles_42');
    assert.equal((await h.get('blank')).status, 401);
    assert.equal(h.logs.filter((record) => record.event.startsWith('auth.')).length, 0);
  });

  it('refuses ids with surrounding whitespace instead of trimming them into another organization', async () => {
    // Where users choose their organization's id, "acme\u3000" (an ideographic space) is
    // another organization to the host; trimmed, it was "acme", whose session it got.
    const values = new Map<string, unknown>([
      ['victim', 'acme'],
      ['ideographic', 'acme\u3000'],
      ['nbsp', '\u00a0acme'],
      ['padded', '  42 '],
    ]);
    h = await harness({ handler: { getOrganizationId: ((request: Request) => values.get(request.headers.get('x-org') ?? '')) as OrganizationResolver } });
    assert.equal((await json<SessionAnswerWire>(await h.get('victim'))).sessionName, 'eagles_acme');
    for (const key of ['ideographic', 'nbsp', 'padded']) {
      const response = await h.get(key);
      assert.equal(response.status, 401, `${key}: ${await response.clone().text()}`);
    }
    const refused = h.logs.filter((record) => record.event === 'auth.invalid_organization');
    assert.equal(refused.length, 3);
    for (const record of refused) assert.match(String(record.returned), /whitespace/);
  });

  it('bounds a slow getOrganizationId: 503 auth_timeout after authTimeoutMs, for the session, the actions and the stream', async () => {
    const { fake, clock } = handlerClock();
    const late: Array<(value: string) => void> = [];
    h = await harness({
      handler: {
        clock,
        stream: true,
        authTimeoutMs: 2_000,
        getOrganizationId: () => new Promise<string>((resolve) => late.push(resolve)),
      },
    });
    const requests = [
      h.get('1'),
      h.post('1', { action: 'reconnect' }),
      h.handler(new Request(`${ENDPOINT}/stream`, { headers: { 'x-org': '1' } })),
    ];
    await fake.tickAsync(1_999);
    let settled = 0;
    for (const request of requests) void request.then(() => settled++);
    await fake.tickAsync(0);
    assert.equal(settled, 0, 'still waiting at 1 999 ms');
    await fake.tickAsync(1);
    for (const response of await Promise.all(requests)) {
      assert.equal(response.status, 503);
      assert.equal(((await json(response)).error as { code: string }).code, 'auth_timeout');
    }
    for (const resolve of late) resolve('1'); // a late answer is dropped
    await fake.tickAsync(0);
    assert.deepEqual(h.calls(), []);
    assert.equal(h.logs.filter((record) => record.event === 'auth.timeout').length, 3);
    assert.equal(fake.countTimers(), 0, 'no timer left behind');
  });

  it('defaults authTimeoutMs to 5 000, and a late rejection is not an unhandled rejection', async () => {
    const { fake, clock } = handlerClock();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    let fail: (error: Error) => void = () => {};
    h = await harness({ handler: { clock, getOrganizationId: () => new Promise<string>((_, reject) => (fail = reject)) } });
    const pending = h.get('1');
    await fake.tickAsync(4_999);
    await fake.tickAsync(1);
    assert.equal((await pending).status, 503);
    fail(new Error('late'));
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', onUnhandled);
    assert.deepEqual(unhandled, []);
  });
});
