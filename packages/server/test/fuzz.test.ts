/**
 * Fuzz of the combined handler as an attacker reaches it: any method, path, headers,
 * body, and any value the host's `getOrganizationId` may return. Three properties:
 * never a 5xx, never an answer about another organization, never a WAHA call for a
 * request the handler refuses. Seeded (FUZZ_SEED overrides; fast-check prints the seed
 * and the path of a failure) and bounded (FUZZ_RUNS, default 300), so it is the same
 * run every time and takes seconds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalSessionName, MAX_ORGANIZATION_ID_LENGTH, type OrganizationResolver } from '../src/index.js';
import { harness, type Harness } from './helpers.js';
import { SseReader } from './sse.js';
import { TOKEN } from './webhook-helpers.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const PREFIX = 'eagles';
const BASE = '/api/whatsapp/session';

/** What the host's resolver returns for each request. */
const organizationOf = new WeakMap<Request, unknown>();

/** The organization a resolver value names, by the documented rule (independent of the server's code). */
function expectedOrganization(value: unknown): string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : null;
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed && trimmed.length <= MAX_ORGANIZATION_ID_LENGTH ? trimmed : null;
}

/** Codes of refusals that must come before any WAHA call. */
const REFUSED_BEFORE_WAHA = new Set(['unauthorized', 'not_found', 'method_not_allowed', 'payload_too_large', 'unsupported_media_type', 'invalid_json', 'invalid_action']);

// Weighted towards requests that get through, so that both refusals and answers are exercised.
const ids = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom<unknown>('1', '2', 'acme', 'a.b', 'a b', 'ünï', '  7  ', 42, 0, -3, 'eagles_1', '1 ', 'x'.repeat(MAX_ORGANIZATION_ID_LENGTH)) },
  fc.constantFrom<unknown>(null, undefined, '', '   ', NaN, Infinity, 1.5, false, true, {}, ['1'], 'y'.repeat(MAX_ORGANIZATION_ID_LENGTH + 1), 'z'.repeat(200_000)),
  fc.string({ maxLength: 40 }),
  fc.integer(),
);

const segment = fc.oneof(
  fc.constantFrom('stream', 'webhook', 'no', 'such', '..', '.', '%2F', '%2e%2e', 'eagles_2', 'STREAM', ''),
  fc.stringMatching(/^[A-Za-z0-9._~%-]{1,12}$/),
);
const paths = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(BASE, BASE, BASE, `${BASE}/`, `${BASE}/stream`, `${BASE}/webhook`) },
  fc.constantFrom(`//evil.example${BASE}`, `//evil.example${BASE}/stream`, '/', '/api/whatsapp'),
  fc.tuple(fc.constantFrom(BASE, '', '/api', '//evil.example'), fc.array(segment, { maxLength: 3 })).map(([base, rest]) => [base, ...rest].join('/')),
);
const queries = fc.oneof(
  fc.constant(''),
  fc.constantFrom('?session=eagles_2', '?orgId=2&sessionName=eagles_2', `?token=${TOKEN}`, '?ticket=abc.def.ghi', '?stream=//evil.example/stream'),
  fc.string({ maxLength: 20 }).map((text) => `?${encodeURIComponent(text)}`),
);
const methods = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('GET', 'GET', 'POST') },
  fc.constantFrom('PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
  fc.stringMatching(/^[A-Z]{1,7}$/).filter((method) => !['CONNECT', 'TRACE', 'TRACK'].includes(method)),
);
const contentTypes = fc.constantFrom(undefined, 'application/json', 'application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx');
const headers = fc.dictionary(
  fc.constantFrom('x-org-id', 'x-organization', 'x-webhook-token', 'x-webhook-hmac', 'authorization', 'cookie', 'x-forwarded-host', 'origin', 'x-session'),
  fc.oneof(fc.constantFrom('2', 'eagles_2', TOKEN, 'Bearer 2', 'org=2'), fc.stringMatching(/^[\x20-\x7e]{0,30}$/)),
  { maxKeys: 3 },
);
const claims = fc.record({ orgId: fc.constantFrom('2', 'acme'), session: fc.constantFrom('eagles_2', 'eagles_acme'), sessionName: fc.constant('eagles_2') }, { requiredKeys: [] });
const bodies = fc.oneof(
  fc.constant<string | undefined>(undefined),
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('reconnect', 'logout', 'change_number', 'request_code', 'restart', 'delete', ''), claims, fc.option(fc.constantFrom('5215512345678', '+52 1 55 1234 5678', '123', 'abc'))).map(([action, extra, phone]) =>
    JSON.stringify({ action, ...extra, ...(phone === null ? {} : { phoneNumber: phone }) }),
  ) },
  fc.constantFrom('', '{', 'null', '[]', '"reconnect"', '{"action":1}', JSON.stringify({ action: 'reconnect', pad: 'x'.repeat(5_000) })),
  fc.string({ maxLength: 60 }),
  fc.record({ event: fc.constantFrom('session.status', 'message'), session: fc.constantFrom('eagles_1', 'eagles_2'), payload: fc.record({ status: fc.constantFrom('WORKING', 'FAILED') }) }).map((event) =>
    JSON.stringify({ ...event, metadata: { 'whatsapp-connector.orgId': '2' }, me: { id: '5215500000002@c.us' } }),
  ),
);

const requests = fc.record({ method: methods, path: paths, query: queries, contentType: contentTypes, headers, body: bodies, id: ids });
type Input = typeof requests extends fc.Arbitrary<infer T> ? T : never;

function toRequest(input: Input): Request {
  const init: RequestInit & { duplex?: 'half' } = { method: input.method, headers: { ...input.headers, ...(input.contentType ? { 'content-type': input.contentType } : {}) } };
  if (input.body !== undefined && input.method !== 'GET' && input.method !== 'HEAD') init.body = input.body;
  const request = new Request(`http://app.test${input.path}${input.query}`, init);
  organizationOf.set(request, input.id);
  return request;
}

let h: Harness;
before(async () => {
  h = await harness({
    handler: {
      stream: { refreshMs: 0 },
      webhook: { token: TOKEN },
      getOrganizationId: ((request: Request) => organizationOf.get(request)) as OrganizationResolver,
    },
  });
  // Sessions of other organizations exist, so that a leak would have something to show.
  for (const other of ['2', 'acme']) {
    const request = new Request(`http://app.test${BASE}`);
    organizationOf.set(request, other);
    assert.equal((await h.handler(request)).status, 200);
  }
});
after(async () => {
  await h.close();
});

/** The session name an answer is about (JSON or the first event of a stream), or `undefined`. */
async function answeredSession(response: Response): Promise<string | undefined> {
  const type = response.headers.get('content-type') ?? '';
  if (type.startsWith('text/event-stream')) {
    const reader = new SseReader(response.body);
    const first = await reader.nextData<{ sessionName?: string }>();
    await reader.cancel();
    return first.sessionName;
  }
  const body = (await response.json()) as { sessionName?: string };
  return body.sessionName;
}

describe('fuzz: the session endpoint as an attacker reaches it', () => {
  it(`holds for ${RUNS} requests (seed ${SEED}): no 5xx, no other organization, no WAHA call when refused`, async () => {
    let refused = 0;
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(requests, async (input) => {
        const wahaCallsBefore = h.sim.requestLog().length;
        const response = await h.handler(toRequest(input));
        if (response.status >= 500) assert.fail(`answered ${response.status}: ${await response.text()}`);
        if (response.status >= 400) {
          const { error } = (await response.json()) as { error: { code: string; message: string } };
          const beforeWaha = REFUSED_BEFORE_WAHA.has(error.code) || (error.code === 'invalid_phone_number' && error.message.startsWith('phoneNumber'));
          if (beforeWaha) {
            refused++;
            assert.equal(h.sim.requestLog().length, wahaCallsBefore, `${error.code} after a WAHA call`);
          }
          return;
        }
        const route = input.path.replace(/\/+$/, '');
        assert.ok([BASE, `${BASE}/stream`, `${BASE}/webhook`].includes(route), `answered ${response.status} on ${input.path}`);
        if (response.status !== 200) {
          await response.body?.cancel();
          return;
        }
        const session = await answeredSession(response);
        if (session === undefined) return; // the webhook's acknowledgement
        answered++;
        const orgId = expectedOrganization(input.id);
        assert.ok(orgId !== null, `answered a session (${session}) to a request with no organization`);
        assert.equal(session, canonicalSessionName(PREFIX, orgId), 'an answer about another organization');
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // The generators reach both sides: refusals and real answers.
    assert.ok(refused > RUNS / 4, `refused ${refused}`);
    assert.ok(answered > RUNS / 20, `answered ${answered}`);
    console.log(`fuzz: ${RUNS} requests, ${refused} refused before WAHA, ${answered} session answers (seed ${SEED})`);
  });
});
