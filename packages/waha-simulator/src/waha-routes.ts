import type { IncomingMessage } from 'node:http';
import { isSimulatorError } from './errors.js';
import { newPasskeyChallenge, newSessionName } from './identifiers.js';
import { BadRequestBody, isObject, pathSegments, readJsonBody } from './http.js';
import type { Reply } from './http.js';
import { qrPng } from './qr-image.js';
import { SESSION_NAME_MAX_LENGTH, SESSION_NAME_PATTERN } from './sessions.js';
import type { SessionRecord, SessionStore } from './sessions.js';
import type { SimulatorSettings, WahaSessionConfig } from './types.js';
import type { WahaActions } from './waha-actions.js';
import { WahaHttpError, internalError, nestError, sessionNotFound, statusNotExpected } from './waha-errors.js';
import { toSessionDTO, toSessionInfo } from './waha-shapes.js';
import type { WahaEnvironment } from './webhook-events.js';

/** What the WAHA routes need from the simulator. */
export interface WahaApiContext {
  actions: WahaActions;
  store: SessionStore;
  settings(): SimulatorSettings;
  environment(): WahaEnvironment;
  now(): number;
}

/** A request body field that does not have the type WAHA wants: NestJS answers 400 with a list. */
class InvalidField extends Error {}

/**
 * Answers one `/api/*` request like WAHA (after auth, network latency and error rate were
 * applied by the caller), waiting on the clock where WAHA sleeps. Never throws:
 * unexpected failures become WAHA's 500.
 */
export async function routeWahaApi(ctx: WahaApiContext, req: IncomingMessage, reply: Reply, url: URL): Promise<void> {
  try {
    await dispatch(ctx, req, reply, url);
  } catch (error) {
    if (error instanceof WahaHttpError) reply.json(error.status, error.body);
    else if (error instanceof BadRequestBody) reply.nestError(400, error.message, 'Bad Request');
    else if (error instanceof InvalidField) reply.nestError(400, [error.message], 'Bad Request');
    else if (isSimulatorError(error) && error.code === 'SESSION_NOT_FOUND') reply.json(404, sessionNotFound().body);
    else if (isSimulatorError(error)) reply.nestError(422, error.message, 'Unprocessable Entity');
    else {
      const failure = error instanceof Error ? error : new Error(String(error));
      reply.json(500, internalError(failure, requestOf(req, url, undefined), ctx.environment(), ctx.now()).body);
    }
  }
}

async function dispatch(ctx: WahaApiContext, req: IncomingMessage, reply: Reply, url: URL): Promise<void> {
  const method = req.method ?? 'GET';
  const parts = pathSegments(url.pathname);
  const notFound = () => reply.nestError(404, `Cannot ${method} ${url.pathname}`, 'Not Found');
  if (!parts || parts[0] !== 'api') return notFound();
  const [, first, second, third] = parts;

  if (parts.length === 3 && first === 'server' && second === 'version' && method === 'GET') {
    return reply.json(200, ctx.environment());
  }
  if (first === 'sessions') return sessionRoutes(ctx, req, reply, url, parts.slice(2), notFound);
  if (first !== undefined && second === 'auth') {
    if (parts.length === 4 && third === 'qr' && method === 'GET') return qr(ctx, first, req, reply, url);
    if (parts.length === 4 && third === 'request-code' && method === 'POST') return requestCode(ctx, first, req, reply, url);
    if (third === 'passkey') return passkeyRoutes(ctx, first, parts.slice(4).join('/'), req, reply, notFound);
  }
  return notFound();
}

async function sessionRoutes(ctx: WahaApiContext, req: IncomingMessage, reply: Reply, url: URL, rest: string[], notFound: () => void): Promise<void> {
  const method = req.method ?? 'GET';
  const { actions } = ctx;
  const [name, action] = rest;
  const info = (record: SessionRecord | undefined) => (record ? sessionInfo(ctx, record) : null);

  if (name === undefined) {
    if (method === 'GET') {
      const all = ['true', '1'].includes(url.searchParams.get('all') ?? '');
      return reply.json(200, actions.list(all).map((record) => sessionInfo(ctx, record)));
    }
    if (method === 'POST') {
      const body = objectBody(await readJsonBody(req));
      const given = optionalString(body, 'name');
      if (given) assertWahaName(given);
      const record = await actions.create(given || newSessionName(), configOf(body), optionalBoolean(body, 'start'));
      return reply.json(201, info(record));
    }
    return notFound();
  }

  if (action === undefined) {
    if (method === 'POST' && (name === 'start' || name === 'stop' || name === 'logout')) {
      return deprecated(ctx, name, objectBody(await readJsonBody(req)), reply);
    }
    if (method === 'GET') return reply.json(200, info(actions.info(name)));
    if (method === 'PUT') return reply.json(200, info(await actions.update(name, configOf(objectBody(await readJsonBody(req))))));
    if (method === 'DELETE') {
      await actions.remove(name);
      return reply.empty(200);
    }
    return notFound();
  }

  if (rest.length !== 2) return notFound();
  if (method === 'GET' && action === 'me') {
    const record = actions.running(name);
    return reply.json(200, ctx.store.me(record));
  }
  if (method !== 'POST') return notFound();
  const answer = (record: SessionRecord | undefined) => (record ? reply.json(201, info(record)) : reply.empty(201));
  if (action === 'start') return answer(await actions.start(name));
  if (action === 'stop') return answer(await actions.stop(name));
  if (action === 'restart') return answer(await actions.restart(name));
  if (action === 'logout') return answer(await actions.logout(name));
  return notFound();
}

async function qr(ctx: WahaApiContext, session: string, req: IncomingMessage, reply: Reply, url: URL): Promise<void> {
  const format = url.searchParams.get('format') ?? 'image';
  if (format !== 'image' && format !== 'raw') throw new InvalidField('format must be one of the following values: image, raw');
  const record = ctx.actions.running(session);
  await ctx.actions.waitForStatus(record, ['SCAN_QR_CODE']);
  const value = record.qr;
  if (value === null) throw statusNotExpected(session, record.status, ['SCAN_QR_CODE']);
  if (format === 'raw') return reply.json(200, { value });
  const png = await qrPng(value);
  if ((req.headers.accept ?? '').includes('application/json')) {
    return reply.json(200, { mimetype: 'image/png', data: png.toString('base64') });
  }
  return reply.bytes(200, 'image/png', png);
}

/** A phone number the engines accept: international digits, no `+`. */
const PAIRING_NUMBER = /^\d{7,15}$/;

/**
 * `POST /api/{session}/auth/request-code` as NOWEB answers it (src/core/engines/noweb/session.noweb.core.ts
 * `requestCode`): STARTING waits for the QR, another status is a 422, and a number the engine
 * rejects throws inside WAHA — a 500 (`pairingCode500`).
 */
async function requestCode(ctx: WahaApiContext, session: string, req: IncomingMessage, reply: Reply, url: URL): Promise<void> {
  const record = ctx.actions.running(session);
  const raw = await readJsonBody(req);
  const body = objectBody(raw);
  const phoneNumber = optionalString(body, 'phoneNumber');
  if (phoneNumber === undefined) throw new InvalidField('phoneNumber must be a string');
  const { engine, quirks } = ctx.settings();
  if (engine === 'NOWEB' && optionalString(body, 'method')) {
    throw nestError(422, "NOWEB engine doesn't support any 'method', remove it and try again");
  }
  if (record.status === 'STARTING') await ctx.actions.waitForStatus(record, ['SCAN_QR_CODE']).catch(() => undefined);
  if (record.status !== 'SCAN_QR_CODE') {
    throw nestError(422, `Can request code only in SCAN_QR_CODE status. The current status is ${record.status}`);
  }
  if (quirks.pairingCode500 && !PAIRING_NUMBER.test(phoneNumber)) {
    const failure = { name: 'Error', message: `the engine refused the phone number '${phoneNumber}'` };
    throw internalError(failure, requestOf(req, url, raw), ctx.environment(), ctx.now());
  }
  return reply.json(201, { code: ctx.store.requestCode(session, phoneNumber) });
}

const PASSKEY_ROUTES = ['POST ', 'GET challenge', 'GET confirmation', 'POST confirm'];

/** The GOWS passkey routes of WAHA 2026.7.1 (`/api/{session}/auth/passkey[/challenge|/confirmation|/confirm]`). */
async function passkeyRoutes(ctx: WahaApiContext, session: string, step: string, req: IncomingMessage, reply: Reply, notFound: () => void): Promise<void> {
  const route = `${req.method ?? 'GET'} ${step}`;
  if (!PASSKEY_ROUTES.includes(route)) return notFound();
  const record = ctx.actions.running(session);
  if (ctx.settings().engine !== 'GOWS') throw nestError(422, 'The method is not implemented by the engine.');
  const expect = (status: SessionRecord['status']) => {
    if (record.status !== status) throw nestError(422, `The session is ${record.status}, the passkey step needs ${status}.`);
  };
  if (route === 'GET challenge') {
    expect('PASSKEY_REQUIRED');
    return reply.json(200, {
      challenge: newPasskeyChallenge(),
      timeout: ctx.settings().timings.passkeyTimeoutMs,
      rpId: 'web.whatsapp.com',
      allowCredentials: [],
      userVerification: 'required',
    });
  }
  if (route === 'GET confirmation') {
    expect('PASSKEY_CONFIRMATION_REQUIRED');
    return reply.json(200, { code: record.passkey?.code ?? '' });
  }
  if (route === 'POST ') {
    const body = objectBody(await readJsonBody(req));
    for (const key of ['id', 'rawId', 'type'] as const) {
      if (typeof body[key] !== 'string') throw new InvalidField(`${key} must be a string`);
    }
    if (!isObject(body.response)) throw new InvalidField('response must be an object');
    expect('PASSKEY_REQUIRED');
    ctx.store.submitPasskey(session);
    return reply.empty(201);
  }
  expect('PASSKEY_CONFIRMATION_REQUIRED');
  ctx.store.confirmPasskey(session);
  return reply.empty(201);
}

/** The pre-2024 routes that take the session name in the body. */
async function deprecated(ctx: WahaApiContext, action: 'start' | 'stop' | 'logout', body: Record<string, unknown>, reply: Reply): Promise<void> {
  const name = optionalString(body, 'name');
  if (!name) throw nestError(422, 'Session name is required');
  const { actions } = ctx;
  if (action === 'start') return reply.json(201, toSessionDTO(await actions.upsertAndStart(name, configOf(body))));
  if (action === 'stop' && !(optionalBoolean(body, 'logout') ?? false)) await actions.stop(name);
  // logout, and stop with logout: true — the old API removed the session completely.
  else await actions.remove(name);
  return reply.empty(201);
}

function sessionInfo(ctx: WahaApiContext, record: SessionRecord) {
  return toSessionInfo(record, ctx.store.me(record), ctx.settings());
}

/** WAHA 2026's `SessionCreateRequest.name` validation (class-validator: 400 with a list). */
function assertWahaName(name: string): void {
  if (!SESSION_NAME_PATTERN.test(name)) {
    throw new InvalidField('Session name can only contain alphanumeric characters, hyphens, and underscores (a-z, A-Z, 0-9, -, _) or be empty');
  }
  if (name.length > SESSION_NAME_MAX_LENGTH) throw new InvalidField(`name must be shorter than or equal to ${SESSION_NAME_MAX_LENGTH} characters`);
}

function requestOf(req: IncomingMessage, url: URL, body: unknown) {
  return { method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, body, query: Object.fromEntries(url.searchParams) };
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
