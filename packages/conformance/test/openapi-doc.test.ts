// Keeps docs/openapi.yaml honest: a valid OpenAPI 3.1 shape, schemas that compile,
// examples that match their schemas, and components.schemas identical to the copy
// the conformance kit checks backends against (src/schema.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { SESSION_CONTRACT_SCHEMAS, SCHEMA_DOCUMENT_ID, schemaDocument } from '../src/schema.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const DOC_PATH = new URL('../../../docs/openapi.yaml', import.meta.url);

type Json = Record<string, unknown>;

function loadDocument(): Json {
  return parse(readFileSync(DOC_PATH, 'utf8')) as Json;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows a local `#/a/b` reference inside the document. */
function resolve(doc: Json, node: unknown): unknown {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
    assert.ok(hops < 10, 'reference loop');
    const ref = current.$ref;
    assert.ok(ref.startsWith('#/'), `only local references are used: ${ref}`);
    current = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((at, key) => (isObject(at) ? at[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), doc);
    assert.notEqual(current, undefined, `reference resolves: ${ref}`);
  }
  return current;
}

function newAjv(doc: Json): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const components = doc.components as Json;
  ajv.addSchema(schemaDocument(components.schemas as Json as Record<string, Json>));
  return ajv;
}

/** A schema that may be a `$ref` into components.schemas, made absolute for ajv. */
function absolutize(schema: unknown): Json {
  assert.ok(isObject(schema), 'a schema object');
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#/components/schemas/')) {
    return { $ref: `${SCHEMA_DOCUMENT_ID}${schema.$ref}` };
  }
  return schema;
}

interface MediaExample {
  where: string;
  mediaType: string;
  schema: Json;
  value: unknown;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every example under paths (request bodies and responses), with the schema it claims. */
function collectMediaExamples(doc: Json): MediaExample[] {
  const found: MediaExample[] = [];
  const visitContent = (where: string, content: unknown): void => {
    if (!isObject(content)) return;
    for (const [mediaType, media] of Object.entries(content)) {
      assert.ok(isObject(media));
      const examples = isObject(media.examples) ? media.examples : {};
      for (const [name, example] of Object.entries(examples)) {
        const resolved = resolve(doc, example);
        assert.ok(isObject(resolved) && 'value' in resolved, `${where} ${name} has a value`);
        found.push({ where: `${where} ${mediaType} ${name}`, mediaType, schema: absolutize(media.schema), value: resolved.value });
      }
    }
  };
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    assert.ok(isObject(item));
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const body = resolve(doc, operation.requestBody);
      if (isObject(body)) visitContent(`${method.toUpperCase()} ${path} request`, body.content);
      for (const [status, response] of Object.entries(operation.responses as Json)) {
        const resolved = resolve(doc, response);
        assert.ok(isObject(resolved));
        visitContent(`${method.toUpperCase()} ${path} ${status}`, resolved.content);
      }
    }
  }
  return found;
}

/** The `data:` payloads of a Server-Sent Events text. */
function sseData(text: string): string[] {
  return text
    .split(/\n\n+/)
    .map((block) =>
      block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n'),
    )
    .filter((data) => data.length > 0);
}

describe('docs/openapi.yaml', () => {
  const doc = loadDocument();

  it('is an OpenAPI 3.1 document with the session paths and schemas', () => {
    assert.match(String(doc.openapi), /^3\.1\.\d+$/);
    const info = doc.info as Json;
    assert.equal(typeof info.title, 'string');
    assert.equal(typeof info.version, 'string');
    const paths = doc.paths as Json;
    const session = paths['/api/whatsapp/session'] as Json;
    assert.ok(isObject(session.get) && isObject(session.post), 'GET and POST on the default endpoint');
    assert.ok(isObject(paths['/api/whatsapp/session/stream']), 'the SSE extension is documented');
    for (const [path, item] of Object.entries(paths)) {
      assert.ok(path.startsWith('/'), `${path} starts with /`);
      for (const method of METHODS) {
        const operation = (item as Json)[method];
        if (!isObject(operation)) continue;
        assert.ok(isObject(operation.responses), `${method} ${path} has responses`);
        assert.equal(typeof operation.operationId, 'string', `${method} ${path} has an operationId`);
      }
    }
    const components = doc.components as Json;
    assert.deepEqual(Object.keys(components.schemas as Json).sort(), Object.keys(SESSION_CONTRACT_SCHEMAS).sort());
    const schemes = components.securitySchemes as Json;
    for (const requirement of doc.security as Json[]) {
      for (const name of Object.keys(requirement)) assert.ok(name in schemes, `security scheme ${name} is defined`);
    }
  });

  it('documents every error status the contract names, each with the error body', () => {
    const post = ((doc.paths as Json)['/api/whatsapp/session'] as Json).post as Json;
    const responses = post.responses as Json;
    for (const status of ['400', '401', '405', '413', '415', '429', '502', '504']) {
      const response = resolve(doc, responses[status]) as Json;
      const media = (response.content as Json)['application/json'] as Json;
      assert.deepEqual(media.schema, { $ref: '#/components/schemas/ErrorBody' }, `POST ${status}`);
    }
    assert.ok(isObject((resolve(doc, responses['429']) as Json).headers), '429 documents Retry-After');
    assert.ok(isObject((resolve(doc, responses['405']) as Json).headers), '405 documents Allow');
  });

  it('has components.schemas deep-equal to the kit\'s copy in src/schema.ts', () => {
    // A JSON round trip drops the readonly tuple types and nothing else.
    assert.deepEqual((doc.components as Json).schemas, JSON.parse(JSON.stringify(SESSION_CONTRACT_SCHEMAS)));
  });

  it('compiles every schema with ajv (JSON Schema 2020-12)', () => {
    const ajv = newAjv(doc);
    for (const name of Object.keys((doc.components as Json).schemas as Json)) {
      assert.ok(ajv.getSchema(`${SCHEMA_DOCUMENT_ID}#/components/schemas/${name}`), `${name} compiles`);
    }
  });

  it('has schema examples that match their own schema', () => {
    const ajv = newAjv(doc);
    let count = 0;
    for (const [name, schema] of Object.entries((doc.components as Json).schemas as Json)) {
      const validate = ajv.getSchema(`${SCHEMA_DOCUMENT_ID}#/components/schemas/${name}`);
      assert.ok(validate);
      for (const example of ((schema as Json).examples as unknown[] | undefined) ?? []) {
        count++;
        assert.ok(validate(example), `${name} example ${JSON.stringify(example)}: ${ajv.errorsText(validate.errors)}`);
      }
    }
    assert.ok(count >= 4);
  });

  it('has request and response examples that match their schemas', () => {
    const ajv = newAjv(doc);
    const examples = collectMediaExamples(doc);
    const statuses = new Set<string>();
    for (const example of examples) {
      const validate = ajv.compile(example.schema);
      if (example.mediaType === 'text/event-stream') {
        assert.ok(validate(example.value), example.where);
        const answer = ajv.getSchema(`${SCHEMA_DOCUMENT_ID}#/components/schemas/SessionAnswer`);
        const events = sseData(String(example.value));
        assert.ok(events.length > 0, `${example.where} has data: lines`);
        for (const data of events) {
          assert.ok(answer?.(JSON.parse(data)), `${example.where} data ${data}: ${ajv.errorsText(answer?.errors)}`);
        }
        continue;
      }
      assert.ok(validate(example.value), `${example.where}: ${ajv.errorsText(validate.errors)}`);
      const value = example.value as Json;
      if (isObject(value.error)) {
        // A flow-mapping typo (an unquoted comma) would add a stray key and still validate.
        assert.deepEqual(Object.keys(value.error).sort(), ['code', 'message'], `${example.where} error keys`);
      }
      if (typeof value.status === 'string') statuses.add(value.status);
    }
    for (const status of ['STARTING', 'SCAN_QR', 'SCAN_QR_CODE', 'WORKING', 'STOPPED', 'FAILED', 'ERROR', 'PASSKEY_REQUIRED', 'PASSKEY_CONFIRMATION_REQUIRED']) {
      assert.ok(statuses.has(status), `an example for ${status}`);
    }
  });

  it('rejects answers that break the contract (the schemas have teeth)', () => {
    const ajv = newAjv(doc);
    const answer = ajv.getSchema(`${SCHEMA_DOCUMENT_ID}#/components/schemas/SessionAnswer`);
    const error = ajv.getSchema(`${SCHEMA_DOCUMENT_ID}#/components/schemas/ErrorBody`);
    const request = ajv.getSchema(`${SCHEMA_DOCUMENT_ID}#/components/schemas/SessionActionRequest`);
    assert.ok(answer && error && request);
    assert.equal(answer({ status: 'WORKING', sessionName: 'eagles_42' }), false, 'connected is required');
    assert.equal(answer({ status: '', sessionName: 'eagles_42', connected: true }), false, 'empty status');
    assert.equal(answer({ status: 'SCAN_QR', sessionName: 'x', connected: 'no' }), false, 'connected is boolean');
    assert.equal(
      answer({ status: 'SCAN_QR', sessionName: 'x', connected: false, qrImage: 'javascript:alert(1)' }),
      false,
      'qrImage must be a data URL',
    );
    assert.equal(answer({ status: 'WORKING', sessionName: 'x', connected: true, me: { pushName: 'A' } }), false, 'me.id');
    assert.equal(error({ error: 'nope' }), false);
    assert.equal(error({ error: { code: 'x' } }), false, 'message is required');
    assert.equal(request({ action: 'request_code' }), false, 'request_code needs phoneNumber');
    assert.equal(request({ action: 'self_destruct' }), false);
  });
});
