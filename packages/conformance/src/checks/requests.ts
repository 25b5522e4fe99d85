import type { CheckContext } from '../context.js';
import { verdictOf, type ConformanceCheck } from './define.js';
import { errorAnswerProblems } from './expect.js';

const JSON_TYPE = { 'content-type': 'application/json' };

/** An action no backend offers: a backend that ignored validation still changes nothing. */
const BOGUS_ACTION = JSON.stringify({ action: 'self_destruct' });

/** Bodies above this size must be refused (1 MiB, well above any JSON framework default). */
export const OVERSIZED_BODY_BYTES = 1024 * 1024;

/**
 * `post.invalid-action-400` — `POST {"action":"self_destruct"}` answers `400` with
 * `error.code` `invalid_action` (never `200`, never a session answer).
 */
export const postInvalidAction: ConformanceCheck = {
  id: 'post.invalid-action-400',
  title: 'POST with an unknown action answers 400 invalid_action',
  async run(context) {
    const exchange = await context.http.send({ method: 'POST', body: BOGUS_ACTION, headers: JSON_TYPE });
    return verdictOf(errorAnswerProblems(exchange, { status: [400], codes: ['invalid_action'] }));
  },
};

/** `post.missing-action-400` — `POST {}` answers `400` (`invalid_action` or `invalid_body`). */
export const postMissingAction: ConformanceCheck = {
  id: 'post.missing-action-400',
  title: 'POST without an action answers 400',
  async run(context) {
    const exchange = await context.http.send({ method: 'POST', body: '{}', headers: JSON_TYPE });
    return verdictOf(errorAnswerProblems(exchange, { status: [400], codes: ['invalid_action', 'invalid_body'] }));
  },
};

/** `post.invalid-json-400` — a body that is not JSON answers `400` (`invalid_json` or `invalid_body`). */
export const postInvalidJson: ConformanceCheck = {
  id: 'post.invalid-json-400',
  title: 'POST with a body that is not JSON answers 400',
  async run(context) {
    const exchange = await context.http.send({ method: 'POST', body: '{"action": ', headers: JSON_TYPE });
    return verdictOf(errorAnswerProblems(exchange, { status: [400], codes: ['invalid_json', 'invalid_body'] }));
  },
};

/**
 * `post.wrong-content-type` — a body sent as `text/plain` answers `415`
 * `unsupported_media_type`. (A plain-text POST needs no CORS preflight, so a backend
 * that parses it lets any site post actions with the user's cookies.)
 */
export const postWrongContentType: ConformanceCheck = {
  id: 'post.wrong-content-type',
  title: 'POST with a non-JSON Content-Type answers 415',
  async run(context) {
    const exchange = await context.http.send({
      method: 'POST',
      body: BOGUS_ACTION,
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    });
    return verdictOf(errorAnswerProblems(exchange, { status: [415], codes: ['unsupported_media_type'] }));
  },
};

/**
 * `post.payload-too-large` — a 1 MiB body answers `413` `payload_too_large` instead of
 * being read and parsed.
 */
export const postPayloadTooLarge: ConformanceCheck = {
  id: 'post.payload-too-large',
  title: 'POST with a 1 MiB body answers 413',
  async run(context) {
    const padding = 'x'.repeat(OVERSIZED_BODY_BYTES);
    const body = JSON.stringify({ action: 'self_destruct', padding });
    const exchange = await context.http.send({ method: 'POST', body, headers: JSON_TYPE });
    const problems = errorAnswerProblems(exchange, { status: [413], codes: ['payload_too_large'] });
    if (problems.length > 0) return verdictOf(problems);
    return verdictOf(await followUpProblems(context));
  },
};

/**
 * A backend that answers 413 without reading the rest of the body must drain it or
 * close the connection; otherwise the keep-alive connection stalls and the next
 * request sent on it never gets an answer. Clients reuse connections, so this is
 * probed with two plain GETs (the second one lands on the reused connection).
 */
async function followUpProblems(context: CheckContext): Promise<string[]> {
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      await context.http.send({ method: 'GET' });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return [
        `after the 413, request ${attempt} got no answer (${reason}): the connection stalls because the rest of the body was neither read nor discarded; drain it or close the connection`,
      ];
    }
  }
  return [];
}

/**
 * `post.request-code-invalid-phone` — `request_code` with a phone number that is not
 * digits answers `400` (`invalid_phone_number`, `invalid_body`, or `invalid_action`
 * from a backend without the extension).
 */
export const postRequestCodeInvalidPhone: ConformanceCheck = {
  id: 'post.request-code-invalid-phone',
  title: 'POST request_code with a bad phone number answers 400',
  async run(context) {
    const body = JSON.stringify({ action: 'request_code', phoneNumber: 'call me maybe' });
    const exchange = await context.http.send({ method: 'POST', body, headers: JSON_TYPE });
    return verdictOf(
      errorAnswerProblems(exchange, { status: [400], codes: ['invalid_phone_number', 'invalid_body', 'invalid_action'] }),
    );
  },
};

/** The non-destructive checks of `POST` validation, in running order. */
export const REQUEST_CHECKS: readonly ConformanceCheck[] = [
  postInvalidAction,
  postMissingAction,
  postInvalidJson,
  postWrongContentType,
  postPayloadTooLarge,
  postRequestCodeInvalidPhone,
];
