import type { WahaStatus } from './types.js';
import type { WahaEnvironment } from './webhook-events.js';

/**
 * An answer WAHA gives instead of the happy one: a status and the exact JSON body WAHA
 * sends. Thrown by the WAHA routes, written by their dispatcher.
 */
export class WahaHttpError extends Error {
  override readonly name = 'WahaHttpError';
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, body: unknown, message = `WAHA answers ${status}`) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

const NEST_ERROR_NAMES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  422: 'Unprocessable Entity',
};

/** NestJS's `HttpException` body: `{statusCode, message, error}` (WAHA's `NotFoundException`, `UnprocessableEntityException`…). */
export function nestError(status: number, message: string | string[]): WahaHttpError {
  return new WahaHttpError(status, { statusCode: status, message, error: NEST_ERROR_NAMES[status] ?? 'Error' }, Array.isArray(message) ? message.join('; ') : message);
}

/** `GET /api/sessions/{session}` and the lifecycle routes on a session that does not exist. */
export function sessionNotFound(): WahaHttpError {
  return nestError(404, 'Session not found');
}

/** WAHA's `getSession()` on a stopped or missing session (the QR, `me` and pairing-code routes). */
export function sessionNotRunning(name: string): WahaHttpError {
  return nestError(404, `We didn't find a session with name '${name}'.\nPlease start it first by using POST /api/sessions/${name}/start request`);
}

/** `POST /api/sessions/{session}/start` on a running session (WAHA's `manager.start`). */
export function alreadyStarted(name: string): WahaHttpError {
  return nestError(422, `Session '${name}' is already started.`);
}

/** `POST /api/sessions` with a taken name. */
export function alreadyExists(name: string): WahaHttpError {
  return nestError(422, `Session '${name}' already exists. Use PUT to update it.`);
}

/** WAHA's `waitUntilStatus` timing out: a 422 whose body is the bare object (no `statusCode`). */
export function statusNotExpected(session: string, status: WahaStatus, expected: readonly WahaStatus[]): WahaHttpError {
  return new WahaHttpError(422, {
    error: 'Session status is not as expected. Try again later or restart the session',
    session,
    status,
    expected: [...expected],
  });
}

const DOCS_URL = 'https://waha.devlike.pro/';

/**
 * WAHA Core's `OnlyDefaultSessionIsAllowed` (src/core/manager.core.ts): the 2024.10 text, or
 * the later one that names the session and its base64.
 */
export function onlyDefaultSession(name: string, mode: 'core-2024' | 'core-2025'): WahaHttpError {
  const tail = `If you want to run more then one WhatsApp account - please get WAHA PLUS version. Check this out: ${DOCS_URL}`;
  if (mode === 'core-2024') return nestError(422, `WAHA Core support only 'default' session. ${tail}`);
  const encoded = Buffer.from(name, 'utf-8').toString('base64');
  return nestError(422, `WAHA Core support only 'default' session. You tried to access '${name}' session (base64: ${encoded}). ${tail}`);
}

/**
 * A non-HTTP exception inside WAHA (e.g. the engine throwing on a bad pairing number):
 * NestJS's `AllExceptionsFilter` answers 500 with the serialized error and the request.
 */
export function internalError(
  error: { name: string; message: string },
  request: { method: string; path: string; body: unknown; query: Record<string, string> },
  environment: WahaEnvironment,
  now: number,
): WahaHttpError {
  return new WahaHttpError(
    500,
    {
      statusCode: 500,
      timestamp: new Date(now).toISOString(),
      exception: { message: error.message, name: error.name },
      request: { path: request.path, method: request.method, body: request.body ?? {}, query: request.query },
      version: { version: environment.version, engine: environment.engine, tier: environment.tier, browser: environment.browser },
    },
    error.message,
  );
}
