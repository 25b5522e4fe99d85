import type { IncomingMessage } from 'node:http';
import { isSimulatorError } from './errors.js';
import { newSessionName } from './identifiers.js';
import { BadRequestBody, isObject, pathSegments, readJsonBody } from './http.js';
import type { Reply } from './http.js';
import { qrPng } from './qr-image.js';
import type { SessionStore } from './sessions.js';
import type { WahaEngine, WahaSessionConfig } from './types.js';
import { toSessionDTO, toSessionInfo } from './waha-shapes.js';
import type { WahaEnvironment } from './webhooks.js';

/** What the WAHA routes need from the simulator. */
export interface WahaApiContext {
  store: SessionStore;
  engine: WahaEngine;
  /** See `SimulatorOptions.nullFields`. */
  nullFields: boolean;
  environment(): WahaEnvironment;
}

const QR_NOT_EXPECTED = 'Session status is not as expected. Try again later or restart the session';

/** A request body field that does not have the type WAHA wants: NestJS answers 400 with a list. */
class InvalidField extends Error {}

/**
 * Answers one `/api/*` request like WAHA 2026.7.1 (after auth, latency and error rate
 * were applied by the caller). Never throws: unexpected failures become a 500.
 */
export async function routeWahaApi(ctx: WahaApiContext, req: IncomingMessage, reply: Reply, url: URL): Promise<void> {
  try {
    await dispatch(ctx, req, reply, url);
  } catch (error) {
    if (error instanceof BadRequestBody) reply.nestError(400, error.message, 'Bad Request');
    else if (error instanceof InvalidField) reply.nestError(400, [error.message], 'Bad Request');
    else if (isSimulatorError(error)) {
      if (error.code === 'SESSION_NOT_FOUND') reply.nestError(404, error.message, 'Not Found');
      else if (error.code === 'INVALID_STATUS') {
        reply.json(422, { error: QR_NOT_EXPECTED, session: error.session, status: error.status, expected: error.expected });
      } else reply.nestError(422, error.message, 'Unprocessable Entity');
    } else reply.json(500, { statusCode: 500, message: 'Internal server error' });
  }
}

async function dispatch(ctx: WahaApiContext, req: IncomingMessage, reply: Reply, url: URL): Promise<void> {
  const method = req.method ?? 'GET';
  const parts = pathSegments(url.pathname);
  const notFound = () => reply.nestError(404, `Cannot ${method} ${url.pathname}`, 'Not Found');
  if (!parts || parts[0] !== 'api') return notFound();
  const { store } = ctx;
  const [, first, second, third] = parts;

  if (parts.length === 3 && first === 'server' && second === 'version' && method === 'GET') {
    return reply.json(200, ctx.environment());
  }

  if (first === 'sessions') {
    if (parts.length === 2) {
      if (method === 'GET') {
        const all = ['true', '1'].includes(url.searchParams.get('all') ?? '');
        const list = store.all().filter((record) => all || record.status !== 'STOPPED');
        return reply.json(200, list.map((record) => toSessionInfo(record, ctx.engine, ctx.nullFields)));
      }
      if (method === 'POST') {
        const body = objectBody(await readJsonBody(req));
        const name = optionalString(body, 'name') || undefined;
        const start = optionalBoolean(body, 'start') ?? true;
        const record = store.create(name ?? newSessionName(), configOf(body), start);
        return reply.json(201, toSessionDTO(record));
      }
      return notFound();
    }
    if (parts.length === 3 && second !== undefined) {
      if (method === 'POST' && (second === 'start' || second === 'stop' || second === 'logout')) {
        return deprecated(ctx, second, objectBody(await readJsonBody(req)), reply);
      }
      if (method === 'GET') return reply.json(200, toSessionInfo(store.get(second), ctx.engine, ctx.nullFields));
      if (method === 'PUT') {
        const body = objectBody(await readJsonBody(req));
        return reply.json(200, toSessionDTO(store.updateConfig(second, configOf(body))));
      }
      if (method === 'DELETE') {
        store.remove(second);
        return reply.empty(200);
      }
      return notFound();
    }
    if (parts.length === 4 && second !== undefined) {
      if (method === 'GET' && third === 'me') {
        const record = store.get(second);
        return reply.json(200, record.status === 'WORKING' && record.account ? { ...record.account } : null);
      }
      if (method === 'POST') {
        if (third === 'start') return reply.json(201, toSessionDTO(store.start(second)));
        if (third === 'stop') return reply.json(201, toSessionDTO(store.stop(second)));
        if (third === 'restart') return reply.json(201, toSessionDTO(store.restart(second)));
        if (third === 'logout') return reply.json(201, toSessionDTO(store.logout(second)));
      }
    }
    return notFound();
  }

  if (parts.length === 4 && first !== undefined && second === 'auth') {
    if (third === 'qr' && method === 'GET') return qr(ctx, first, req, reply, url);
    if (third === 'request-code' && method === 'POST') {
      const body = objectBody(await readJsonBody(req));
      const phoneNumber = optionalString(body, 'phoneNumber');
      if (phoneNumber === undefined) throw new InvalidField('phoneNumber must be a string');
      return reply.json(201, { code: store.requestCode(first, phoneNumber) });
    }
  }
  return notFound();
}

async function qr(ctx: WahaApiContext, session: string, req: IncomingMessage, reply: Reply, url: URL): Promise<void> {
  const format = url.searchParams.get('format') ?? 'image';
  if (format !== 'image' && format !== 'raw') throw new InvalidField('format must be one of the following values: image, raw');
  const record = ctx.store.get(session);
  if (record.status !== 'SCAN_QR_CODE' || record.qr === null) {
    return reply.json(422, { error: QR_NOT_EXPECTED, session, status: record.status, expected: ['SCAN_QR_CODE'] });
  }
  if (format === 'raw') return reply.json(200, { value: record.qr });
  const png = await qrPng(record.qr);
  if ((req.headers.accept ?? '').includes('application/json')) {
    return reply.json(200, { mimetype: 'image/png', data: png.toString('base64') });
  }
  return reply.bytes(200, 'image/png', png);
}

/** The pre-2024 routes that take the session name in the body. */
function deprecated(ctx: WahaApiContext, action: 'start' | 'stop' | 'logout', body: Record<string, unknown>, reply: Reply): void {
  const name = optionalString(body, 'name');
  if (name === undefined) throw new InvalidField('name must be a string');
  const { store } = ctx;
  if (action === 'start') {
    // Upsert: create when missing, otherwise take the new config (when given) and start.
    const existing = store.find(name);
    const config = configOf(body);
    if (!existing) return reply.json(201, toSessionDTO(store.create(name, config, true)));
    if (config !== undefined) existing.config = config;
    return reply.json(201, toSessionDTO(store.start(name)));
  }
  if (action === 'stop') {
    const logout = optionalBoolean(body, 'logout') ?? false;
    store.get(name);
    if (logout) store.remove(name);
    else store.stop(name);
    return reply.empty(201);
  }
  store.get(name);
  store.remove(name);
  return reply.empty(201);
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (!isObject(body)) throw new InvalidField('body must be a JSON object');
  return body;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidField(`${key} must be a string`);
  return value;
}

function optionalBoolean(body: Record<string, unknown>, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new InvalidField(`${key} must be a boolean value`);
  return value;
}

function configOf(body: Record<string, unknown>): WahaSessionConfig | undefined {
  const config = body.config;
  if (config === undefined || config === null) return undefined;
  if (!isObject(config)) throw new InvalidField('config must be an object');
  if (config.webhooks !== undefined && !Array.isArray(config.webhooks)) throw new InvalidField('config.webhooks must be an array');
  return config as WahaSessionConfig;
}
