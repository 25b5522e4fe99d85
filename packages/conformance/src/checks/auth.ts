import { skip, verdictOf, type ConformanceCheck, type Verdict } from './define.js';
import { errorAnswerProblems } from './expect.js';
import type { CheckContext } from '../context.js';

const NO_CREDENTIALS = 'no --header given: pass your credentials so the kit can also try without them';

async function expectRefused(context: CheckContext, method: 'GET' | 'POST'): Promise<Verdict> {
  if (Object.keys(context.headers).length === 0) return skip(NO_CREDENTIALS);
  const exchange = await context.http.send(
    method === 'GET'
      ? { method, anonymous: true }
      : { method, anonymous: true, body: '{"action":"reconnect"}', headers: { 'content-type': 'application/json' } },
  );
  return verdictOf(errorAnswerProblems(exchange, { status: [401, 403], codes: ['unauthorized', 'forbidden'] }));
}

/**
 * `auth.401` — `GET` without the credentials headers given to the kit answers `401`
 * (or `403`) with `error.code` `unauthorized`. Skipped when no headers were given.
 */
export const auth401: ConformanceCheck = {
  id: 'auth.401',
  title: 'GET without credentials answers 401 unauthorized',
  run: (context) => expectRefused(context, 'GET'),
};

/**
 * `auth.401-post` — `POST {"action":"reconnect"}` without credentials answers `401`
 * and performs nothing. Destructive: a backend that fails it does reconnect.
 */
export const auth401Post: ConformanceCheck = {
  id: 'auth.401-post',
  title: 'POST without credentials answers 401 unauthorized',
  destructive: true,
  run: (context) => expectRefused(context, 'POST'),
};
