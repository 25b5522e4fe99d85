import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeSchema, SchemaMismatch, wahaOpenApi } from './helpers/openapi.js';

// The validator guards every other test; these prove it can say no.
describe('test helper: WAHA OpenAPI validation', () => {
  const openapi = wahaOpenApi();

  it('resolves literal paths before templated ones', () => {
    assert.equal(openapi.operation('POST', '/api/sessions/start').operationId, 'SessionsController_DEPRACATED_start');
    assert.equal(openapi.operation('POST', '/api/sessions/default/start').operationId, 'SessionsController_start');
    assert.equal(openapi.operation('GET', '/api/default/auth/qr?format=raw').template, '/api/{session}/auth/qr');
    assert.throws(() => openapi.operation('GET', '/api/not/a/waha/route/at/all'));
  });

  it('accepts a valid SessionInfo and rejects a wrong one', () => {
    const info = { name: 'a', status: 'WORKING', presence: {}, timestamps: { activity: 1 } };
    openapi.assertResponse('GET', '/api/sessions/a', 200, info);
    assert.throws(() => openapi.assertResponse('GET', '/api/sessions/a', 200, { ...info, status: 'ERROR' }), SchemaMismatch);
    assert.throws(() => openapi.assertResponse('GET', '/api/sessions/a', 200, { name: 'a', status: 'WORKING' }), SchemaMismatch);
    assert.throws(() => openapi.assertResponse('GET', '/api/sessions/a', 200, { ...info, me: { id: 'x' } }), SchemaMismatch);
  });

  it('rejects a QR answer that is neither QRCodeValue nor Base64File', () => {
    openapi.assertResponse('GET', '/api/a/auth/qr', 200, { value: 'x' });
    openapi.assertResponse('GET', '/api/a/auth/qr', 200, { mimetype: 'image/png', data: 'AA==' });
    assert.throws(() => openapi.assertResponse('GET', '/api/a/auth/qr', 200, { data: 'AA==' }), SchemaMismatch);
  });

  it('refuses to validate an answer the document does not declare', () => {
    assert.equal(openapi.responsePointer('DELETE', '/api/sessions/a', 200), undefined);
    assert.throws(() => openapi.assertResponse('GET', '/api/sessions/a', 404, {}), /declares no JSON answer/);
  });

  it('validates request bodies', () => {
    openapi.assertRequest('POST', '/api/a/auth/request-code', { phoneNumber: '1' });
    assert.throws(() => openapi.assertRequest('POST', '/api/a/auth/request-code', {}), SchemaMismatch);
  });

  it('normalizes OpenAPI 3.0 habits', () => {
    assert.deepEqual(normalizeSchema({ type: 'string', nullable: true }), { type: ['string', 'null'] });
    assert.deepEqual(normalizeSchema({ $ref: '#/x', nullable: true }), { anyOf: [{ $ref: '#/x' }, { type: 'null' }] });
    assert.deepEqual(normalizeSchema({ type: 'number', required: true }), { type: 'number' });
    assert.deepEqual(normalizeSchema({ type: 'object', enum: ['a'] }), { enum: ['a'] });
    assert.deepEqual(normalizeSchema({ type: 'array', example: ['a'], items: { type: 'object' } }), {
      type: 'array',
      example: ['a'],
      items: { type: 'string' },
    });
  });
});
