import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import FakeTimers from '@sinonjs/fake-timers';
import { createWahaSimulator, type WahaSimulator } from '@whatsapp-connector/waha-simulator';
import { createWahaClient, type WahaClient } from '../src/index.js';
import { API_KEY } from './helpers.js';

/** WAHA 2026.7.1's OpenAPI document, its session part, kept in the repository (see third_party/waha/README.md). */
const OPENAPI_PATH = fileURLToPath(new URL('../../../third_party/waha/openapi.sessions.json', import.meta.url));

interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Record<string, unknown> }>;
  requestBody?: { required?: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  security?: Array<Record<string, unknown>>;
}
type OpenApi = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

interface Sent {
  method: string;
  url: URL;
  headers: Headers;
  body: string | null;
}

const document = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as OpenApi;
fixKnownDefects(document);

/**
 * WAHA's generated document declares `WebhookConfig.events` items as objects,
 * while its own examples (and WAHA itself) use event-name strings such as
 * `"session.status"`. Only that declaration is corrected; everything else is
 * validated as published.
 */
function fixKnownDefects(doc: OpenApi): void {
  const webhook = doc.components.schemas.WebhookConfig as { properties: { events: { items: unknown; example: unknown } } };
  assert.deepEqual(webhook.properties.events.items, { type: 'object' }, 'the known defect changed: revisit fixKnownDefects');
  assert.deepEqual(webhook.properties.events.example, ['message', 'session.status']);
  webhook.properties.events.items = { type: 'string' };
}
const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: 'waha', components: document.components }, 'waha');

function findOperation(method: string, path: string): { template: string; operation: Operation; params: Record<string, string> } | null {
  for (const [template, item] of Object.entries(document.paths)) {
    const names: string[] = [];
    const pattern = new RegExp(`^${template.replace(/\{([^}]+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`);
    const match = pattern.exec(path);
    const operation = item[method.toLowerCase()];
    if (match && operation) {
      return { template, operation, params: Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)])) };
    }
  }
  return null;
}

function validateSchema(schema: Record<string, unknown>, value: unknown, label: string): void {
  const ref = typeof schema.$ref === 'string' ? { $ref: `waha${schema.$ref}` } : { ...schema, $id: undefined };
  const validate = ajv.compile(JSON.parse(JSON.stringify(ref).replaceAll('"#/components', '"waha#/components')));
  assert.ok(validate(value), `${label}: ${JSON.stringify(validate.errors)}`);
}

/** Asserts one request is allowed by WAHA's OpenAPI document: path, method, parameters, body and the API key header. */
function assertAllowed(sent: Sent): string {
  const path = sent.url.pathname;
  const found = findOperation(sent.method, path);
  assert.ok(found, `${sent.method} ${path} is not in WAHA's OpenAPI document`);
  const { operation, template } = found;
  const query = Object.fromEntries(sent.url.searchParams);
  for (const parameter of operation.parameters ?? []) {
    if (parameter.in === 'query') {
      const value = query[parameter.name];
      if (parameter.required) assert.ok(value !== undefined, `${template}: missing query ${parameter.name}`);
      if (value !== undefined && parameter.schema) {
        const typed = parameter.schema.type === 'boolean' ? value === 'true' ? true : value === 'false' ? false : value : value;
        validateSchema(parameter.schema, typed, `${template} ?${parameter.name}`);
      }
      delete query[parameter.name];
    }
    if (parameter.in === 'path') {
      assert.match(found.params[parameter.name] ?? '', /^[A-Za-z0-9_-]{1,54}$/, `${template}: path ${parameter.name}`);
    }
  }
  assert.deepEqual(Object.keys(query), [], `${template}: unknown query parameters`);
  if (operation.requestBody) {
    assert.ok(sent.body !== null || !operation.requestBody.required, `${template}: body required`);
    assert.match(sent.headers.get('content-type') ?? '', /^application\/json/);
    validateSchema(operation.requestBody.content['application/json']!.schema, JSON.parse(sent.body ?? 'null'), `${template} body`);
  } else {
    assert.ok(sent.body === null || sent.body === '', `${template} takes no body, got ${sent.body}`);
  }
  if (operation.security?.some((entry) => 'api_key' in entry)) {
    assert.equal(sent.headers.get('x-api-key'), API_KEY, `${template}: X-Api-Key`);
  }
  return `${sent.method} ${template}`;
}

describe("WAHA client requests are valid against WAHA's OpenAPI document", () => {
  let sim: WahaSimulator;
  let client: WahaClient;
  const sent: Sent[] = [];
  const fake = FakeTimers.createClock(0);

  before(async () => {
    sim = createWahaSimulator({ profile: 'fast', apiKey: API_KEY, clock: { now: () => fake.now, setTimeout: (f, ms) => fake.setTimeout(f, ms), clearTimeout: (t) => fake.clearTimeout(t as never) } });
    const url = await sim.listen(0, '127.0.0.1');
    client = createWahaClient({
      url,
      apiKey: API_KEY,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        sent.push({ method: request.method, url: new URL(request.url), headers: request.headers, body: request.body ? await request.clone().text() : null });
        return fetch(request);
      },
    });
  });
  after(async () => {
    await sim.close();
  });

  it('every call of a full lifecycle', async () => {
    const name = 'wac_openapi-1';
    assert.equal(await client.getSession(name), null);
    await client.createSession(name, { metadata: { 'whatsapp-connector.orgId': '1' }, webhooks: [{ url: 'http://127.0.0.1:1/hook', events: ['session.status'], customHeaders: [{ name: 'X-Webhook-Token', value: 't' }], hmac: { key: 'k' } }] });
    await client.listSessions();
    fake.tick(2000);
    assert.ok(await client.getQrRaw(name));
    assert.ok(await client.requestCode(name, '5215512345678'));
    sim.scan(name, { phone: '5215512345678' });
    assert.equal((await client.getMe(name))?.id, '5215512345678@c.us');
    assert.equal(await client.getQrRaw(name), null); // 422 outside SCAN_QR_CODE
    await client.stopSession(name);
    await client.startSession(name);
    await client.restartSession(name);
    await client.logoutSession(name);
    await client.deleteSession(name);
    await client.deleteSession(name); // idempotent

    const covered = new Set(sent.map(assertAllowed));
    assert.deepEqual([...covered].sort(), [
      'DELETE /api/sessions/{session}',
      'GET /api/sessions',
      'GET /api/sessions/{session}',
      'GET /api/sessions/{session}/me',
      'GET /api/{session}/auth/qr',
      'POST /api/sessions',
      'POST /api/sessions/{session}/logout',
      'POST /api/sessions/{session}/restart',
      'POST /api/sessions/{session}/start',
      'POST /api/sessions/{session}/stop',
      'POST /api/{session}/auth/request-code',
    ]);
  });

  it('the checker itself rejects a request outside the document', () => {
    assert.throws(() =>
      assertAllowed({ method: 'POST', url: new URL('http://x/api/sessions'), headers: new Headers({ 'content-type': 'application/json', 'x-api-key': API_KEY }), body: '{"name":1}' }),
    );
    assert.throws(() => assertAllowed({ method: 'GET', url: new URL('http://x/api/sessions/a/qr'), headers: new Headers(), body: null }));
    assert.throws(() => assertAllowed({ method: 'GET', url: new URL('http://x/api/a/auth/qr?format=svg'), headers: new Headers({ 'x-api-key': API_KEY }), body: null }));
  });
});
