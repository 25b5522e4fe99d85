import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionError } from '../src/contract/errors.js';

describe('SessionError.toJSON', () => {
  it('keeps the code, the message and the optional fields that are set; never the cause', () => {
    const full = new SessionError({
      code: 'rate_limited',
      message: 'Too many requests',
      httpStatus: 429,
      serverCode: 'slow_down',
      serverMessage: 'Slow down',
      retryAfterMs: 5000,
      cause: new Error('inner'),
    });
    assert.deepEqual(full.toJSON(), {
      code: 'rate_limited',
      message: 'Too many requests',
      httpStatus: 429,
      serverCode: 'slow_down',
      serverMessage: 'Slow down',
      retryAfterMs: 5000,
    });
    const bare = new SessionError({ code: 'network', message: 'offline', retryAfterMs: 0 });
    assert.deepEqual(bare.toJSON(), { code: 'network', message: 'offline', retryAfterMs: 0 }, 'absent fields are left out, 0 is kept');
    assert.equal(JSON.stringify(bare), '{"code":"network","message":"offline","retryAfterMs":0}');
  });
});
