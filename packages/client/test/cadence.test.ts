import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_BACKOFF } from '../src/backoff.js';
import { DEFAULT_CADENCE, nextPollDelay, type CadenceConfig } from '../src/cadence.js';
import { resolveOptions } from '../src/config.js';
import { SessionError } from '../src/contract/errors.js';
import { parseRetryAfter } from '../src/contract/parse.js';
import { SESSION_STATUSES, type SessionStatus } from '../src/contract/status.js';
import type { SessionClientOptions } from '../src/options.js';
import { initialSnapshot } from '../src/machine.js';
import type { SessionSnapshot } from '../src/snapshot.js';
import { MAX_TIMER_DELAY_MS } from '../src/timers.js';

const config: CadenceConfig = { cadence: DEFAULT_CADENCE, backoff: { ...DEFAULT_BACKOFF, jitter: 'none' }, streamFallbackMs: 60_000, random: () => 0.5 };

function snap(changes: Partial<SessionSnapshot>): SessionSnapshot {
  return { ...initialSnapshot, polling: true, ...changes };
}

const EXPECTED: Record<SessionStatus, number | null> = {
  STARTING: 8000,
  SCAN_QR: 8000,
  STOPPED: 8000,
  PASSKEY_REQUIRED: 8000,
  PASSKEY_CONFIRMATION_REQUIRED: 8000,
  UNKNOWN: 8000,
  WORKING: 30_000,
  FAILED: null,
  ERROR: null,
};

describe('cadence', () => {
  for (const status of SESSION_STATUSES) {
    it(`${status} → ${EXPECTED[status] ?? 'stop'}`, () => {
      assert.equal(nextPollDelay(snap({ status }), config)?.delayMs ?? null, EXPECTED[status]);
    });
  }

  it('polls at once before the first answer', () => {
    assert.deepEqual(nextPollDelay(snap({ status: null }), config), { delayMs: 0, reason: 'initial' });
  });

  it('does not poll when stopped, during an action, or unauthorized', () => {
    assert.equal(nextPollDelay(snap({ status: 'SCAN_QR', polling: false }), config), null);
    assert.equal(nextPollDelay(snap({ status: 'SCAN_QR', pendingAction: 'reconnect' }), config), null);
    assert.equal(nextPollDelay(snap({ status: 'WORKING', phase: 'unauthorized', consecutiveFailures: 1 }), config), null);
  });

  it('backs off after failures, whatever the status', () => {
    const delays = [1, 2, 3, 6, 7].map((n) => nextPollDelay(snap({ status: 'WORKING', consecutiveFailures: n }), config)?.delayMs);
    assert.deepEqual(delays, [2000, 4000, 8000, 60000, 60000]);
    assert.equal(nextPollDelay(snap({ status: 'FAILED', consecutiveFailures: 1 }), config)?.reason, 'backoff');
  });

  it('honours Retry-After, but never faster than the first backoff step', () => {
    const rateLimited = (retryAfterMs: number) =>
      snap({ status: 'SCAN_QR', consecutiveFailures: 4, error: new SessionError({ code: 'rate_limited', message: '', retryAfterMs }) });
    assert.deepEqual(nextPollDelay(rateLimited(5000), config), { delayMs: 5000, reason: 'retry-after' });
    assert.equal(nextPollDelay(rateLimited(0), config)?.delayMs, 2000);
  });

  it('slows to the stream fallback while a push stream is open', () => {
    assert.deepEqual(nextPollDelay(snap({ status: 'SCAN_QR', streaming: true }), config), { delayMs: 60_000, reason: 'stream' });
    assert.equal(nextPollDelay(snap({ status: 'FAILED', streaming: true }), config), null);
  });

  it('uses configured intervals', () => {
    const custom = { ...config, cadence: { waitingMs: 5000, connectedMs: 12_000 } };
    assert.equal(nextPollDelay(snap({ status: 'SCAN_QR' }), custom)?.delayMs, 5000);
    assert.equal(nextPollDelay(snap({ status: 'WORKING' }), custom)?.delayMs, 12_000);
  });

  it('never gives a negative delay, nor one longer than a timer waits, whatever options the client was given (the client sets its timer without clamping)', () => {
    const anything = fc.oneof(fc.double(), fc.integer({ min: -1e9, max: 1e9 }), fc.constantFrom(undefined, null, '5000', -1, 0));
    const options = fc.record({
      cadence: fc.record({ waitingMs: anything, connectedMs: anything }),
      backoff: fc.record({ initialMs: anything, maxMs: anything, jitter: fc.constantFrom('none', 'full', 'other') }),
      streamFallbackMs: anything,
      random: fc.double().map((r) => () => r),
    });
    const snapshot = fc.record({
      status: fc.constantFrom(null, ...SESSION_STATUSES),
      streaming: fc.boolean(),
      consecutiveFailures: fc.nat(2000),
      retryAfter: fc.option(fc.oneof(fc.string(), fc.constantFrom('0', '-3', '120', 'Wed, 21 Oct 2015 07:28:00 GMT', 'Wed, 21 Oct 2099 07:28:00 GMT'))),
    });
    fc.assert(
      fc.property(options, snapshot, (given, { retryAfter, ...changes }) => {
        const resolved = resolveOptions(given as unknown as SessionClientOptions);
        const retryAfterMs = parseRetryAfter(retryAfter, Date.now());
        const error = retryAfterMs === undefined ? null : new SessionError({ code: 'rate_limited', message: '', retryAfterMs });
        const delay = nextPollDelay(snap({ ...changes, error }), resolved)?.delayMs ?? 0;
        assert.ok(Number.isFinite(delay) && delay >= 0 && delay <= MAX_TIMER_DELAY_MS, `delay ${delay}`);
      }),
    );
  });
});
