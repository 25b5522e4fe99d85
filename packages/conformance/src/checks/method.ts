import { verdictOf, type ConformanceCheck } from './define.js';
import { errorAnswerProblems } from './expect.js';

/**
 * `method.405` — `PUT` and `PATCH` answer `405` `method_not_allowed` with an `Allow`
 * header naming `GET` and `POST`.
 */
export const method405: ConformanceCheck = {
  id: 'method.405',
  title: 'Other methods answer 405 with Allow: GET, POST',
  async run(context) {
    const problems: string[] = [];
    for (const method of ['PUT', 'PATCH']) {
      const exchange = await context.http.send({ method, body: '{}', headers: { 'content-type': 'application/json' } });
      const found = errorAnswerProblems(exchange, { status: [405], codes: ['method_not_allowed'] });
      if (exchange.status === 405) {
        const allow = (exchange.headers.get('allow') ?? '').toUpperCase().split(/\s*,\s*/);
        if (!allow.includes('GET') || !allow.includes('POST')) {
          found.push(`Allow is ${JSON.stringify(exchange.headers.get('allow'))}, expected it to list GET and POST`);
        }
      }
      problems.push(...found.map((problem) => `${method}: ${problem}`));
    }
    return verdictOf(problems);
  },
};

/** The method checks. */
export const METHOD_CHECKS: readonly ConformanceCheck[] = [method405];
