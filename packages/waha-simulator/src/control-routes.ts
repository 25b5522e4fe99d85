import type { IncomingMessage } from 'node:http';
import { isSimulatorError } from './errors.js';
import { BadRequestBody, isObject, pathSegments, readJsonBody } from './http.js';
import type { Reply } from './http.js';
import { SIMULATOR_PROFILES } from './profiles.js';
import type { WahaSimulator } from './simulator-types.js';
import type { SimulatorSettingsUpdate } from './types.js';

/** URL prefix of the control API. */
export const CONTROL_PREFIX = '/__simulator';

/**
 * Answers a `/__simulator/*` request (no API key, no latency, no error rate). Errors of
 * the control methods become `404` (unknown session) or `422`
 * `{error: code, message, session?, status?, expected?}`.
 */
export async function routeControl(sim: WahaSimulator, req: IncomingMessage, reply: Reply, url: URL): Promise<void> {
  const method = req.method ?? 'GET';
  try {
    if (method === 'OPTIONS') return reply.empty(204);
    const parts = pathSegments(url.pathname.slice(CONTROL_PREFIX.length));
    if (!parts) return notFound(reply, method, url);
    const [first, name, action] = parts;

    if (first === 'sessions' && parts.length === 1 && method === 'GET') return reply.json(200, sim.listSessions());
    if (first === 'sessions' && parts.length === 2 && name !== undefined && method === 'GET') {
      const view = sim.getSession(name);
      return view ? reply.json(200, view) : reply.json(404, { error: 'SESSION_NOT_FOUND', message: `Session "${name}" does not exist`, session: name });
    }
    if (first === 'sessions' && parts.length === 3 && name !== undefined && method === 'POST') {
      const body = await objectBody(req);
      switch (action) {
        case 'scan':
          return reply.json(200, sim.scan(name, { phone: stringField(body, 'phone'), pushName: stringField(body, 'pushName') }));
        case 'unlink':
          return reply.json(200, sim.unlink(name));
        case 'fail':
          return reply.json(200, sim.fail(name, stringField(body, 'reason')));
        case 'stop':
          return reply.json(200, sim.stopSession(name));
        case 'passkey':
          return reply.json(200, sim.requirePasskey(name, { confirmation: booleanField(body, 'confirmation') }));
        case 'flap': {
          const via = stringField(body, 'via');
          if (via !== undefined && via !== 'STOPPED' && via !== 'STARTING' && via !== 'FAILED') {
            return invalid(reply, 'via must be STOPPED, STARTING or FAILED');
          }
          sim.flap(name, { times: numberField(body, 'times'), intervalMs: numberField(body, 'intervalMs'), via });
          return reply.json(200, sim.getSession(name));
        }
        default:
          return notFound(reply, method, url);
      }
    }
    if (first === 'latency' && parts.length === 1 && method === 'POST') {
      const ms = numberField(await objectBody(req), 'ms');
      if (ms === undefined) return invalid(reply, 'ms must be a number');
      sim.setLatency(ms);
      return reply.json(200, { latencyMs: ms });
    }
    if (first === 'error-rate' && parts.length === 1 && method === 'POST') {
      const rate = numberField(await objectBody(req), 'rate');
      if (rate === undefined) return invalid(reply, 'rate must be a number');
      sim.setErrorRate(rate);
      return reply.json(200, { errorRate: rate });
    }
    if (first === 'requests' && parts.length === 1) {
      if (method === 'GET') return reply.json(200, sim.requestLog());
      if (method === 'DELETE') {
        sim.clearRequestLog();
        return reply.empty(204);
      }
    }
    if (first === 'webhooks' && parts.length === 1 && method === 'GET') return reply.json(200, sim.webhookStats());
    if (first === 'webhooks' && parts.length === 2 && name === 'delivery') {
      if (method === 'GET') return reply.json(200, sim.webhookDelivery());
      if (method === 'POST') {
        const body = await objectBody(req);
        return reply.json(200, sim.setWebhookDelivery({ delayMs: numberField(body, 'delayMs'), duplicate: numberField(body, 'duplicate'), reorderWindowMs: numberField(body, 'reorderWindowMs') }));
      }
    }
    if (first === 'profiles' && parts.length === 1 && method === 'GET') return reply.json(200, Object.values(SIMULATOR_PROFILES));
    if (first === 'profile' && parts.length === 1) {
      if (method === 'GET') return reply.json(200, sim.settings());
      if (method === 'POST') return reply.json(200, sim.configure(settingsUpdate(await objectBody(req))));
    }
    return notFound(reply, method, url);
  } catch (error) {
    if (error instanceof BadRequestBody || error instanceof InvalidControlField) return invalid(reply, error.message);
    if (isSimulatorError(error)) {
      const status = error.code === 'SESSION_NOT_FOUND' ? 404 : 422;
      return reply.json(status, {
        error: error.code,
        message: error.message,
        session: error.session,
        status: error.status,
        expected: error.expected,
      });
    }
    return reply.json(500, { error: 'INTERNAL', message: error instanceof Error ? error.message : String(error) });
  }
}

class InvalidControlField extends Error {}

function notFound(reply: Reply, method: string, url: URL): void {
  reply.json(404, { error: 'NOT_FOUND', message: `Cannot ${method} ${url.pathname}` });
}

function invalid(reply: Reply, message: string): void {
  reply.json(400, { error: 'INVALID_ARGUMENT', message });
}

async function objectBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readJsonBody(req);
  if (body === undefined) return {};
  if (!isObject(body)) throw new InvalidControlField('body must be a JSON object');
  return body;
}

function stringField(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidControlField(`${key} must be a string`);
  return value;
}

function booleanField(body: Record<string, unknown>, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new InvalidControlField(`${key} must be a boolean`);
  return value;
}

/**
 * The body of `POST /__simulator/profile`. JSON has no `Infinity`: a timing given as `null`
 * means "never". Values are checked by `configure` (422 `INVALID_ARGUMENT`).
 */
function settingsUpdate(body: Record<string, unknown>): SimulatorSettingsUpdate {
  const update: Record<string, unknown> = {};
  for (const key of ['profile', 'engine'] as const) if (body[key] !== undefined) update[key] = stringField(body, key);
  if (body.latency !== undefined) update.latency = numberField(body, 'latency');
  if (body.nullFields !== undefined) update.nullFields = booleanField(body, 'nullFields');
  if (body.quirks !== undefined) {
    if (!isObject(body.quirks)) throw new InvalidControlField('quirks must be an object');
    update.quirks = body.quirks;
  }
  if (body.timings !== undefined) {
    if (!isObject(body.timings)) throw new InvalidControlField('timings must be an object');
    update.timings = Object.fromEntries(Object.entries(body.timings).map(([key, value]) => [key, value === null ? Number.POSITIVE_INFINITY : value]));
  }
  return update as SimulatorSettingsUpdate;
}

function numberField(body: Record<string, unknown>, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidControlField(`${key} must be a number`);
  return value;
}
