import { ENDPOINT } from './helpers.js';

/** The webhook token of the tests. */
export const TOKEN = 'hook-secret-5f1e';

let sequence = 0;

/**
 * A WAHA `session.status` envelope. Each call is a new event: its own `id` and a
 * later `timestamp` than the one before, as WAHA sends them; `extra` overrides.
 */
export function event(session: string, status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  sequence++;
  const timestamp = 1_700_000_000_000 + sequence * 1000;
  return {
    id: `evt_${sequence}`,
    timestamp,
    event: 'session.status',
    session,
    engine: 'NOWEB',
    environment: { version: '2026.7.1', engine: 'NOWEB', tier: 'CORE', browser: null },
    payload: { name: session, status, statuses: [{ status, timestamp }] },
    ...extra,
  };
}

/** A webhook delivery of `body` to the handler, with the token unless told otherwise. */
export function hook(body: unknown, init: { token?: string | null; query?: string; contentType?: string } = {}): Request {
  const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/json' };
  const token = init.token === undefined ? TOKEN : init.token;
  if (token !== null) headers['x-webhook-token'] = token;
  return new Request(`${ENDPOINT}/webhook${init.query ?? ''}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}
