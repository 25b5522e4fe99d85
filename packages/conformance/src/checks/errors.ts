import { verdictOf, type ConformanceCheck } from './define.js';
import { errorBodyProblems } from './expect.js';
import type { RequestSpec } from '../http.js';

const BAD_REQUESTS: readonly { label: string; spec: RequestSpec }[] = [
  { label: 'unknown action', spec: { method: 'POST', body: '{"action":"self_destruct"}', headers: { 'content-type': 'application/json' } } },
  { label: 'broken JSON', spec: { method: 'POST', body: '{"action": ', headers: { 'content-type': 'application/json' } } },
  // Not DELETE: a non-conformant backend might map it to a logout, and this check is read-only.
  { label: 'PUT', spec: { method: 'PUT', body: '{}', headers: { 'content-type': 'application/json' } } },
];

/**
 * `error.shape` — every error answer (an unknown action, broken JSON, a `PUT`) is
 * non-2xx, `application/json`, and the `ErrorBody` `{"error":{"code","message"}}`
 * with a plain-text message — never an HTML error page.
 */
export const errorShape: ConformanceCheck = {
  id: 'error.shape',
  title: 'Errors are JSON {"error":{"code","message"}}',
  async run(context) {
    const problems: string[] = [];
    for (const { label, spec } of BAD_REQUESTS) {
      const exchange = await context.http.send(spec);
      if (exchange.status >= 200 && exchange.status < 300) {
        problems.push(`${label}: answered HTTP ${exchange.status}, expected an error status`);
        continue;
      }
      problems.push(...errorBodyProblems(exchange).map((problem) => `${label}: ${problem}`));
    }
    return verdictOf(problems);
  },
};

/** The error-format checks. */
export const ERROR_CHECKS: readonly ConformanceCheck[] = [errorShape];
