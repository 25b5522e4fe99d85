import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isSessionError } from '../src/contract/errors.js';
import {
  errorCodeForHttpStatus,
  isSafeQrImage,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  parseSessionAnswer,
  readErrorBody,
  sessionErrorFromHttp,
} from '../src/contract/parse.js';
import { SESSION_STATUSES } from '../src/contract/status.js';

function ok(body: unknown) {
  const result = parseSessionAnswer(body);
  assert.ok(result.ok, 'expected a usable answer');
  return result.answer;
}

function invalid(body: unknown) {
  const result = parseSessionAnswer(body);
  assert.ok(!result.ok, 'expected an invalid answer');
  assert.equal(result.error.code, 'invalid_response');
  return result.error;
}

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

describe('parseSessionAnswer', () => {
  it('reads a full answer', () => {
    const answer = ok({
      status: 'WORKING',
      sessionName: 'eagles_42',
      connected: true,
      me: { id: '5215512345678@c.us', pushName: 'Ana', phone: '5215512345678' },
      stream: '/api/whatsapp/session/events',
    });
    assert.deepEqual(answer, {
      status: 'WORKING',
      rawStatus: 'WORKING',
      sessionName: 'eagles_42',
      connected: true,
      qr: null,
      qrImage: null,
      me: { id: '5215512345678@c.us', pushName: 'Ana', phone: '5215512345678' },
      error: null,
      reason: null,
      pairingCode: null,
      stream: '/api/whatsapp/session/events',
    });
  });

  it('accepts SCAN_QR_CODE as SCAN_QR and keeps the raw spelling', () => {
    const answer = ok({ status: 'SCAN_QR_CODE', qr: '2@abc', sessionName: 's' });
    assert.equal(answer.status, 'SCAN_QR');
    assert.equal(answer.rawStatus, 'SCAN_QR_CODE');
    assert.equal(answer.qr, '2@abc');
  });

  it('maps PASSKEY_* and unknown strings without failing', () => {
    assert.equal(ok({ status: 'PASSKEY_REQUIRED' }).status, 'PASSKEY_REQUIRED');
    assert.equal(ok({ status: 'PASSKEY_CONFIRMATION_REQUIRED' }).status, 'PASSKEY_CONFIRMATION_REQUIRED');
    const unknown = ok({ status: 'REBOOTING' });
    assert.equal(unknown.status, 'UNKNOWN');
    assert.equal(unknown.rawStatus, 'REBOOTING');
  });

  it('refuses a missing, empty or non-string status', () => {
    for (const status of [undefined, null, 1, true, {}, [], '', '   ']) invalid({ status });
  });

  it('refuses bodies that are not objects', () => {
    for (const body of [null, undefined, 'WORKING', 42, true, [], [{ status: 'WORKING' }]]) invalid(body);
  });

  it('derives connected from the status when it is not a boolean', () => {
    assert.equal(ok({ status: 'WORKING' }).connected, true);
    assert.equal(ok({ status: 'STOPPED' }).connected, false);
    assert.equal(ok({ status: 'WORKING', connected: 'yes' }).connected, true);
    assert.equal(ok({ status: 'STOPPED', connected: true }).connected, true);
    assert.equal(ok({ status: 'WORKING', connected: false }).connected, false);
  });

  it('drops invalid optional fields instead of failing', () => {
    const answer = ok({ status: 'SCAN_QR', sessionName: 7, qr: { x: 1 }, error: 5, pairingCode: [], stream: 3, me: 'me' });
    assert.equal(answer.sessionName, null);
    assert.equal(answer.qr, null);
    assert.equal(answer.error, null);
    assert.equal(answer.pairingCode, null);
    assert.equal(answer.stream, null);
    assert.equal(answer.me, null);
  });

  it('reads the qr_expired reason and drops any other', () => {
    assert.equal(ok({ status: 'FAILED', reason: 'qr_expired' }).reason, 'qr_expired');
    for (const reason of ['QR_EXPIRED', 'expired', '', 7, null, { code: 'qr_expired' }]) {
      assert.equal(ok({ status: 'FAILED', reason }).reason, null, JSON.stringify(reason));
    }
  });

  it('ignores unknown extra fields', () => {
    const answer = ok({ status: 'STARTING', engine: 'WEBJS', __proto__: { polluted: true }, nested: { deep: [1, 2] } });
    assert.equal(Object.keys(answer).length, 11);
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
  });

  it('requires a string id in me and keeps only string name / phone', () => {
    assert.equal(ok({ status: 'WORKING', me: { pushName: 'Ana' } }).me, null);
    assert.equal(ok({ status: 'WORKING', me: { id: 5 } }).me, null);
    assert.deepEqual(ok({ status: 'WORKING', me: { id: 'a@c.us', pushName: 3, phone: null } }).me, { id: 'a@c.us' });
  });

  it('keeps only safe base64 PNG / SVG data URLs as qrImage', () => {
    assert.equal(ok({ status: 'SCAN_QR', qrImage: PNG }).qrImage, PNG);
    assert.equal(ok({ status: 'SCAN_QR', qrImage: 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=' }).qrImage, 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=');
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html;base64,PHNjcmlwdD4=',
      'data:image/png;base64,abc"><script>alert(1)</script>',
      'data:image/svg+xml,<svg onload=alert(1)>',
      'data:image/jpeg;base64,AAAA',
      'https://example.com/qr.png',
      'data:image/png;base64,',
      ' data:image/png;base64,AAAA',
    ]) {
      assert.equal(ok({ status: 'SCAN_QR', qrImage: bad }).qrImage, null, bad);
      assert.equal(isSafeQrImage(bad), false, bad);
    }
  });

  it('keeps http(s) and relative stream URLs only', () => {
    assert.equal(ok({ status: 'WORKING', stream: 'https://x.test/events' }).stream, 'https://x.test/events');
    assert.equal(ok({ status: 'WORKING', stream: 'events' }).stream, 'events');
    assert.equal(ok({ status: 'WORKING', stream: 'javascript:alert(1)' }).stream, null);
    assert.equal(ok({ status: 'WORKING', stream: 'data:text/event-stream,x' }).stream, null);
  });

  it('shortens very long error texts', () => {
    const answer = ok({ status: 'FAILED', error: 'x'.repeat(10_000) });
    assert.ok(answer.error !== null && answer.error.length <= 500);
  });

  it('never throws on hostile objects', () => {
    const throwing = Object.defineProperty({}, 'status', {
      get() {
        throw new Error('boom');
      },
    });
    invalid(throwing);
    const proxy = Proxy.revocable({}, {});
    proxy.revoke();
    invalid(proxy.proxy);
  });
});

describe('parseSessionAnswer (properties)', () => {
  const statusArb = fc.oneof(
    fc.constantFrom(...SESSION_STATUSES, 'SCAN_QR_CODE', 'scan_qr_code', ' working '),
    fc.string(),
  );

  it('never throws and always returns a well-typed result for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = parseSessionAnswer(value);
        if (result.ok) assert.equal(typeof result.answer.status, 'string');
        else assert.ok(isSessionError(result.error));
      }),
      { numRuns: 500 },
    );
  });

  it('for answer-like objects with hostile field values: typed fields or null, never anything else', () => {
    const anything = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.string(), fc.constant('<img src=x onerror=alert(1)>'));
    const answerLike = fc.record(
      {
        status: statusArb,
        sessionName: anything,
        connected: anything,
        qr: anything,
        qrImage: fc.oneof(anything, fc.constant(PNG), fc.string().map((s) => `data:image/png;base64,${s}`)),
        me: fc.oneof(anything, fc.record({ id: anything, pushName: anything, phone: anything }, { requiredKeys: [] })),
        error: anything,
        pairingCode: anything,
        stream: anything,
        extra: anything,
      },
      { requiredKeys: ['status'] },
    );
    fc.assert(
      fc.property(answerLike, (body) => {
        const result = parseSessionAnswer(body);
        if (body.status.trim() === '') {
          assert.equal(result.ok, false);
          return;
        }
        assert.ok(result.ok);
        const a = result.answer;
        assert.ok(SESSION_STATUSES.includes(a.status));
        assert.equal(a.rawStatus, body.status);
        assert.equal(typeof a.connected, 'boolean');
        for (const field of [a.sessionName, a.qr, a.error, a.pairingCode, a.stream]) {
          assert.ok(field === null || typeof field === 'string');
        }
        assert.ok(a.qrImage === null || isSafeQrImage(a.qrImage));
        assert.ok(a.me === null || typeof a.me.id === 'string');
      }),
      { numRuns: 500 },
    );
  });

  it('normalizes any casing / padding of known statuses', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SESSION_STATUSES.filter((s) => s !== 'UNKNOWN')), fc.boolean(), (status, lower) => {
        const raw = ` ${lower ? status.toLowerCase() : status} `;
        assert.equal(ok({ status: raw }).status, status);
      }),
    );
  });

  it('keeps any base64 PNG payload and refuses anything with a non-base64 character', () => {
    fc.assert(
      fc.property(fc.base64String({ minLength: 4 }), (payload) => {
        assert.equal(isSafeQrImage(`data:image/png;base64,${payload}`), true);
      }),
    );
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('"', '<', '>', ' ', "'", ';', ':', '(', '\n'), (payload, bad) => {
        assert.equal(isSafeQrImage(`data:image/png;base64,${payload}${bad}`), false);
      }),
    );
  });
});

describe('HTTP error helpers', () => {
  it('maps statuses to codes', () => {
    assert.equal(errorCodeForHttpStatus(401), 'unauthorized');
    assert.equal(errorCodeForHttpStatus(403), 'unauthorized');
    assert.equal(errorCodeForHttpStatus(404), 'not_found');
    assert.equal(errorCodeForHttpStatus(429), 'rate_limited');
    assert.equal(errorCodeForHttpStatus(500), 'http');
    assert.equal(errorCodeForHttpStatus(400), 'http');
  });

  it('reads the backend error body into the SessionError', () => {
    const error = sessionErrorFromHttp({ httpStatus: 503, body: { error: { code: 'waha_unreachable', message: 'WAHA is down' } } });
    assert.equal(error.code, 'http');
    assert.equal(error.message, 'WAHA is down');
    assert.equal(error.serverCode, 'waha_unreachable');
    assert.equal(error.serverMessage, 'WAHA is down');
    assert.equal(error.httpStatus, 503);
    assert.equal(sessionErrorFromHttp({ httpStatus: 502, body: '<html>' }).serverMessage, undefined);
  });

  it('falls back to a clear default message', () => {
    assert.match(sessionErrorFromHttp({ httpStatus: 401 }).message, /not authorized/i);
    assert.match(sessionErrorFromHttp({ httpStatus: 502, body: '<html>' }).message, /502/);
    assert.match(sessionErrorFromHttp({ httpStatus: 404, body: { error: 'nope' } }).message, /endpoint/i);
  });

  it('keeps retryAfterMs', () => {
    assert.equal(sessionErrorFromHttp({ httpStatus: 429, retryAfterMs: 5000 }).retryAfterMs, 5000);
  });

  it('readErrorBody never throws', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const body = readErrorBody(value);
        assert.ok(body === null || typeof body === 'object');
      }),
    );
    assert.deepEqual(readErrorBody({ error: { code: 'x', message: 'y' } }), { code: 'x', message: 'y' });
    assert.equal(readErrorBody({ error: {} }), null);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, caps and refuses garbage', () => {
    assert.equal(parseRetryAfter('5', 0), 5000);
    assert.equal(parseRetryAfter(' 0 ', 0), 0);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now), 10_000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('99999999', 0), MAX_RETRY_AFTER_MS);
    assert.equal(parseRetryAfter('soon', 0), undefined);
    assert.equal(parseRetryAfter('-3', 0), undefined);
    assert.equal(parseRetryAfter(null, 0), undefined);
  });
});
