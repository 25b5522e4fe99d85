/**
 * Validates JSON against WAHA's published OpenAPI document (version 2026.7.1, the session
 * part kept in the repository at `third_party/waha/openapi.sessions.json`, see the README
 * there), with Ajv's JSON Schema 2020-12 dialect.
 *
 * WAHA's document is OpenAPI 3.1 but still carries OpenAPI 3.0 habits that a 2020-12
 * validator rejects or misreads; {@link normalizeSchema} rewrites exactly those:
 * - `nullable: true` → the type also admits `null`;
 * - `required: true` inside a property (a boolean, not a list) → dropped;
 * - `type: "object"` next to an `enum` of strings (the webhook `event` field) → the
 *   type is dropped so the enum decides;
 * - an array whose `example` is a list of strings but whose `items` is a bare
 *   `{type: "object"}` (`WebhookConfig.events`, another enum rendered as an object) →
 *   the items are strings.
 * Everything else is validated as published.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/** Where WAHA's OpenAPI document lives, relative to this file: `<repo>/third_party/waha/openapi.sessions.json`. */
export const WAHA_OPENAPI_URL = new URL('../../../../third_party/waha/openapi.sessions.json', import.meta.url);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };


/** Returns a copy of a schema tree with WAHA's OpenAPI 3.0-isms rewritten (see the file comment). */
export function normalizeSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(normalizeSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) out[key] = normalizeSchema(value);
  if (out.required !== undefined && !Array.isArray(out.required)) delete out.required;
  if (out.type === 'object' && Array.isArray(out.enum) && out.enum.every((value) => typeof value === 'string')) delete out.type;
  const items = out.items;
  if (
    Array.isArray(out.example) &&
    out.example.every((value) => typeof value === 'string') &&
    items !== null && typeof items === 'object' && !Array.isArray(items) &&
    Object.keys(items).length === 1 && items.type === 'object'
  ) {
    out.items = { type: 'string' };
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    } else {
      return { anyOf: [out, { type: 'null' }] };
    }
  }
  return out;
}

/** A thrown validation failure that lists Ajv's errors. */
export class SchemaMismatch extends Error {
  override readonly name = 'SchemaMismatch';
  readonly errors: ErrorObject[];
  constructor(what: string, errors: ErrorObject[], value: unknown) {
    super(`${what} does not match WAHA's OpenAPI: ${JSON.stringify(errors, null, 1)}\nvalue: ${JSON.stringify(value)}`);
    this.errors = errors;
  }
}

/** Validators over one OpenAPI document. */
export interface OpenApiValidator {
  /** The path template and operation id that `method path` resolves to (literal segments win over `{params}`). */
  operation(method: string, path: string): { template: string; operationId: string | undefined };
  /** The response schema pointer for an answer, or undefined when the document declares no JSON body for it. */
  responsePointer(method: string, path: string, status: number): string | undefined;
  /** Throws {@link SchemaMismatch} unless `body` matches the declared JSON response (and throws when none is declared). */
  assertResponse(method: string, path: string, status: number, body: unknown): void;
  /** Throws unless `body` matches the operation's JSON request body. */
  assertRequest(method: string, path: string, body: unknown): void;
  /** Throws unless `value` matches `#/components/schemas/<name>`. */
  assertComponent(name: string, value: unknown): void;
}

let cached: OpenApiValidator | undefined;

/** The validator for WAHA's document (loaded once per process). */
export function wahaOpenApi(): OpenApiValidator {
  cached ??= createOpenApiValidator(JSON.parse(readFileSync(WAHA_OPENAPI_URL, 'utf8')) as JsonObject);
  return cached;
}

/** Builds validators over any OpenAPI 3.1 document. */
export function createOpenApiValidator(document: JsonObject): OpenApiValidator {
  const doc = normalizeSchema(document) as JsonObject;
  const paths = (doc.paths ?? {}) as Record<string, JsonObject>;
  // OpenAPI keywords such as `example` are unknown to JSON Schema: strict off ignores them.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  const addFormats = addFormatsModule as unknown as (instance: Ajv2020) => Ajv2020;
  addFormats(ajv);
  ajv.addSchema(doc as object, 'waha-openapi');
  const compiled = new Map<string, ValidateFunction>();
  const validatorAt = (pointer: string): ValidateFunction => {
    let validate = compiled.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `waha-openapi#${pointer}` });
      compiled.set(pointer, validate);
    }
    return validate;
  };
  const check = (what: string, pointer: string, value: unknown) => {
    const validate = validatorAt(pointer);
    if (!validate(value)) throw new SchemaMismatch(what, validate.errors ?? [], value);
  };

  const findTemplate = (method: string, path: string): string => {
    const lower = method.toLowerCase();
    const segments = path.split('?')[0]!.split('/').filter(Boolean);
    let best: { template: string; literals: number } | undefined;
    for (const template of Object.keys(paths)) {
      if (!paths[template]?.[lower]) continue;
      const parts = template.split('/').filter(Boolean);
      if (parts.length !== segments.length) continue;
      let literals = 0;
      const matches = parts.every((part, index) => {
        if (part.startsWith('{') && part.endsWith('}')) return true;
        literals += 1;
        return part === segments[index];
      });
      if (matches && (!best || literals > best.literals)) best = { template, literals };
    }
    if (!best) throw new Error(`no operation in WAHA's OpenAPI for ${method} ${path}`);
    return best.template;
  };

  const pointerTo = (...keys: string[]) => `/${keys.map((key) => key.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

  const api: OpenApiValidator = {
    operation(method, path) {
      const template = findTemplate(method, path);
      const operation = paths[template]![method.toLowerCase()] as JsonObject;
      return { template, operationId: typeof operation.operationId === 'string' ? operation.operationId : undefined };
    },
    responsePointer(method, path, status) {
      const lower = method.toLowerCase();
      const template = findTemplate(method, path);
      const operation = paths[template]![lower] as JsonObject;
      const responses = (operation.responses ?? {}) as JsonObject;
      const response = responses[String(status)] as JsonObject | undefined;
      const content = response?.content as JsonObject | undefined;
      const json = content?.['application/json'] as JsonObject | undefined;
      if (!json?.schema) return undefined;
      return pointerTo('paths', template, lower, 'responses', String(status), 'content', 'application/json', 'schema');
    },
    assertResponse(method, path, status, body) {
      const pointer = api.responsePointer(method, path, status);
      if (!pointer) throw new Error(`WAHA's OpenAPI declares no JSON answer for ${method} ${path} → ${status}`);
      check(`${method} ${path} → ${status}`, pointer, body);
    },
    assertRequest(method, path, body) {
      const lower = method.toLowerCase();
      const template = findTemplate(method, path);
      const operation = paths[template]![lower] as JsonObject;
      const requestBody = operation.requestBody as JsonObject | undefined;
      const content = requestBody?.content as JsonObject | undefined;
      const json = content?.['application/json'] as JsonObject | undefined;
      if (!json?.schema) throw new Error(`WAHA's OpenAPI declares no JSON request body for ${method} ${path}`);
      check(`request ${method} ${path}`, pointerTo('paths', template, lower, 'requestBody', 'content', 'application/json', 'schema'), body);
    },
    assertComponent(name, value) {
      const schemas = ((doc.components as JsonObject | undefined)?.schemas ?? {}) as JsonObject;
      if (!schemas[name]) throw new Error(`no component schema ${name}`);
      check(name, pointerTo('components', 'schemas', name), value);
    },
  };
  return api;
}
