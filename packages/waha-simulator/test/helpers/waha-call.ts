import assert from 'node:assert/strict';
import type { WahaSimulator } from '../../src/index.js';
import { call } from './http.js';
import type { Answer, CallOptions } from './http.js';
import { wahaOpenApi } from './openapi.js';

/**
 * Calls a WAHA route and validates against WAHA's OpenAPI: the JSON request body (unless
 * `invalidBody` says the test sends a wrong one on purpose) and every JSON answer the
 * document declares a schema for. Answers the document does not model (errors, `me` =
 * null) are returned unvalidated for the test to check by hand.
 */
export async function wahaCall(
  sim: WahaSimulator,
  method: string,
  path: string,
  options: CallOptions & { invalidBody?: boolean } = {},
): Promise<Answer> {
  const openapi = wahaOpenApi();
  if (options.body !== undefined && !options.invalidBody) openapi.assertRequest(method, path, options.body);
  const answer = await call(sim, method, path, options);
  if (answer.json !== undefined && answer.json !== null && openapi.responsePointer(method, path, answer.status)) {
    openapi.assertResponse(method, path, answer.status, answer.json);
  }
  return answer;
}

/** Asserts NestJS's error shape `{statusCode, message, error}`. */
export function assertNestError(answer: Answer, status: number, error: string): void {
  assert.equal(answer.status, status);
  const body = answer.json as { statusCode?: unknown; message?: unknown; error?: unknown };
  assert.equal(body.statusCode, status);
  assert.equal(body.error, error);
  assert.ok(typeof body.message === 'string' || Array.isArray(body.message));
}
