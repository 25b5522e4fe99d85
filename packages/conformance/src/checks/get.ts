import { isSafeQrImage } from '@whatsapp-connector/client/contract';
import { bodyOf, QR_STATUSES, statusOf } from '../context.js';
import { describeExchange } from '../http.js';
import { fail, pass, skip, verdictOf, type ConformanceCheck } from './define.js';
import { isJsonMediaType, sessionAnswerProblems, statusNameProblems } from './expect.js';

/**
 * `get.json` — `GET <endpoint>` answers `200` with `Content-Type: application/json`
 * and a JSON object (not an HTML page, not an empty body).
 */
export const getJson: ConformanceCheck = {
  id: 'get.json',
  title: 'GET answers 200 with a JSON object',
  async run(context) {
    const exchange = await context.firstGet();
    const problems: string[] = [];
    if (exchange.status !== 200) {
      const hint =
        (exchange.status === 401 || exchange.status === 403) && Object.keys(context.headers).length === 0
          ? ' (give your credentials with --header "Cookie: …" or --header "Authorization: …")'
          : '';
      problems.push(`expected HTTP 200, got ${describeExchange(exchange)}${hint}`);
    }
    else if (!isJsonMediaType(exchange.mediaType)) problems.push(`Content-Type is "${exchange.mediaType}", expected application/json`);
    if (exchange.status === 200 && !bodyOf(exchange)) problems.push(`the body is not a JSON object: ${describeExchange(exchange)}`);
    return verdictOf(problems);
  },
};

/**
 * `get.shape` — the answer matches the `SessionAnswer` schema of `docs/openapi.yaml`
 * (`status` non-empty string, `sessionName` non-empty string, `connected` boolean,
 * optional fields of the right types, `qrImage` a base64 PNG/SVG data URL) and the
 * client's tolerant parser reads it.
 */
export const getShape: ConformanceCheck = {
  id: 'get.shape',
  title: 'GET answer matches the SessionAnswer schema',
  async run(context) {
    const exchange = await context.firstGet();
    return verdictOf(sessionAnswerProblems(exchange), `status ${statusOf(exchange) ?? '?'}`);
  },
};

/**
 * `get.status-known` — `status` is one of the documented names, spelled exactly:
 * `STARTING`, `SCAN_QR` / `SCAN_QR_CODE`, `WORKING`, `STOPPED`, `FAILED`, `ERROR`,
 * `PASSKEY_REQUIRED`, `PASSKEY_CONFIRMATION_REQUIRED`. (Clients tolerate others;
 * a conformant backend does not send them.)
 */
export const getStatusKnown: ConformanceCheck = {
  id: 'get.status-known',
  title: 'GET status is a documented status name',
  async run(context) {
    const exchange = await context.firstGet();
    const body = bodyOf(exchange);
    if (exchange.status !== 200 || !body) return fail(`no session answer: ${describeExchange(exchange)}`);
    return verdictOf(statusNameProblems(body.status), String(body.status));
  },
};

/**
 * `get.qr-when-scan` — while `SCAN_QR` / `SCAN_QR_CODE` the answer carries a non-empty
 * `qr` or a safe `qrImage`. A `STARTING` session is polled (up to `settleMs`) until
 * it shows the QR; skipped when the session is in another status.
 */
export const getQrWhenScan: ConformanceCheck = {
  id: 'get.qr-when-scan',
  title: 'SCAN_QR answers carry qr or qrImage',
  async run(context) {
    let exchange = await context.firstGet();
    if (statusOf(exchange) === 'STARTING') {
      ({ exchange } = await context.waitFor((body) => body.status !== 'STARTING'));
    }
    const body = bodyOf(exchange);
    const status = statusOf(exchange);
    if (exchange.status !== 200 || !body) return fail(`no session answer: ${describeExchange(exchange)}`);
    if (!status || !QR_STATUSES.includes(status)) return skip(`session is ${status ?? 'without status'}, not SCAN_QR`);
    const hasQr = typeof body.qr === 'string' && body.qr.trim() !== '';
    if (body.qrImage !== undefined && body.qrImage !== null && !isSafeQrImage(body.qrImage)) {
      return fail(`qrImage is not a base64 PNG/SVG data URL: ${JSON.stringify(String(body.qrImage).slice(0, 40))}`);
    }
    if (!hasQr && !isSafeQrImage(body.qrImage)) return fail(`${status} without a non-empty "qr" or "qrImage"`);
    return pass(hasQr ? 'qr' : 'qrImage');
  },
};

/**
 * `get.me-when-working` — while `WORKING` the answer carries `me` with a non-empty
 * `id` and `connected: true`. Skipped in any other status.
 */
export const getMeWhenWorking: ConformanceCheck = {
  id: 'get.me-when-working',
  title: 'WORKING answers carry me.id and connected: true',
  async run(context) {
    const exchange = await context.firstGet();
    const body = bodyOf(exchange);
    if (exchange.status !== 200 || !body) return fail(`no session answer: ${describeExchange(exchange)}`);
    if (body.status !== 'WORKING') return skip(`session is ${String(body.status)}, not WORKING`);
    const problems: string[] = [];
    const me = body.me as { id?: unknown } | null | undefined;
    if (typeof me !== 'object' || me === null) problems.push('WORKING without "me"');
    else if (typeof me.id !== 'string' || me.id.trim() === '') problems.push('WORKING with "me" but no me.id');
    if (body.connected !== true) problems.push(`WORKING with connected ${JSON.stringify(body.connected)}, expected true`);
    return verdictOf(problems, typeof me?.id === 'string' ? me.id : undefined);
  },
};

/** The read-only checks of `GET <endpoint>`, in running order. */
export const GET_CHECKS: readonly ConformanceCheck[] = [getJson, getShape, getStatusKnown, getQrWhenScan, getMeWhenWorking];
