import { parseSessionAnswer } from '@whatsapp-connector/client/contract';
import { bodyOf } from '../context.js';
import { describeExchange, type Exchange } from '../http.js';
import { KNOWN_WIRE_STATUSES } from '../schema.js';
import { validateErrorBody, validateSessionAnswer } from '../validate.js';

const HTML = /<!doctype|<\/?[a-z][a-z0-9-]*(\s[^<>]*)?\/?>/i;

/** `true` for `application/json` and `application/*+json`. */
export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || /^application\/[\w.-]+\+json$/.test(mediaType);
}

/** `true` when a text looks like markup (server strings must be text, never HTML). */
export function looksLikeHtml(text: string): boolean {
  return HTML.test(text);
}

/**
 * Everything wrong with an answer that should be a session answer: HTTP status,
 * media type, JSON, the `SessionAnswer` schema, and whether the client's own
 * tolerant parser can read it.
 */
export function sessionAnswerProblems(exchange: Exchange): string[] {
  if (exchange.status !== 200) return [`expected HTTP 200 with a session answer, got ${describeExchange(exchange)}`];
  const problems: string[] = [];
  if (!isJsonMediaType(exchange.mediaType)) {
    problems.push(`Content-Type is ${exchange.mediaType ? `"${exchange.mediaType}"` : 'missing'}, expected application/json`);
  }
  if (!exchange.isJson) return [...problems, `the body is not JSON: ${describeExchange(exchange)}`];
  if (!bodyOf(exchange)) return [...problems, `the body is not a JSON object: ${describeExchange(exchange)}`];
  problems.push(...validateSessionAnswer(exchange.json));
  const parsed = parseSessionAnswer(exchange.json);
  if (!parsed.ok) problems.push(`the client cannot read it: ${parsed.error.message}`);
  return problems;
}

/** Problems of an answer's `status` name: unknown names are tolerated by clients but not conformant. */
export function statusNameProblems(status: unknown): string[] {
  if (typeof status !== 'string') return [`status is ${JSON.stringify(status)}, not a string`];
  if (KNOWN_WIRE_STATUSES.includes(status)) return [];
  const upper = status.trim().toUpperCase();
  if (KNOWN_WIRE_STATUSES.includes(upper)) {
    return [`status "${status}" must be spelled exactly "${upper}"`];
  }
  return [`status "${status}" is not one of ${KNOWN_WIRE_STATUSES.join(', ')}`];
}

/** What an error answer is expected to be. */
export interface ErrorExpectation {
  /** Acceptable HTTP statuses. */
  status: readonly number[];
  /** Acceptable `error.code` values (any string when omitted). */
  codes?: readonly string[];
}

/** Only the shape of an error answer: JSON media type, `ErrorBody` schema, plain-text message. */
export function errorBodyProblems(exchange: Exchange): string[] {
  const problems: string[] = [];
  if (!isJsonMediaType(exchange.mediaType)) {
    problems.push(`Content-Type is ${exchange.mediaType ? `"${exchange.mediaType}"` : 'missing'}, expected application/json`);
  }
  if (!exchange.isJson) return [...problems, `the error body is not JSON: ${describeExchange(exchange)}`];
  const shape = validateErrorBody(exchange.json);
  if (shape.length > 0) return [...problems, `not {"error":{"code","message"}}: ${shape.join(', ')} in ${describeExchange(exchange)}`];
  const message = String((bodyOf(exchange)?.error as { message: string }).message);
  if (looksLikeHtml(message)) problems.push(`error.message contains HTML: ${JSON.stringify(message.slice(0, 60))}`);
  return problems;
}

/** Everything wrong with an answer that should be the given error. */
export function errorAnswerProblems(exchange: Exchange, expected: ErrorExpectation): string[] {
  if (!expected.status.includes(exchange.status)) {
    return [`expected HTTP ${expected.status.join(' or ')}, got ${describeExchange(exchange)}`];
  }
  const problems = errorBodyProblems(exchange);
  if (problems.length > 0) return problems;
  const code = String((bodyOf(exchange)?.error as { code: string }).code);
  if (expected.codes && !expected.codes.includes(code)) {
    problems.push(`error.code is "${code}", expected ${expected.codes.map((c) => `"${c}"`).join(' or ')}`);
  }
  return problems;
}
