import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SessionError, type SessionErrorCode } from '../src/contract/errors.js';
import { parseSessionAnswer } from '../src/contract/parse.js';
import { isTerminalStatus, SESSION_STATUSES } from '../src/contract/status.js';
import { initialState, phaseForStatus, reduce, type MachineEvent } from '../src/machine.js';

const CODES: SessionErrorCode[] = ['network', 'timeout', 'unauthorized', 'not_found', 'rate_limited', 'http', 'invalid_response', 'aborted', 'busy'];

/** Random event streams: answers with random (also hostile) fields, failures, requests, stops and starts. */
const eventArb = fc.oneof(
  fc.record({ kind: fc.constant('answer' as const), status: fc.oneof(fc.constantFrom(...SESSION_STATUSES, 'SCAN_QR_CODE'), fc.string({ minLength: 1 })), body: fc.dictionary(fc.constantFrom('qr', 'me', 'qrImage', 'pairingCode', 'error', 'connected'), fc.jsonValue()), source: fc.constantFrom('poll' as const, 'action' as const, 'push' as const), stale: fc.boolean() }),
  fc.record({ kind: fc.constant('failure' as const), code: fc.constantFrom(...CODES), httpStatus: fc.option(fc.integer({ min: 400, max: 599 }), { nil: undefined }), source: fc.constantFrom('poll' as const, 'action' as const) }),
  fc.record({ kind: fc.constant('request' as const), action: fc.constantFrom(null, 'reconnect' as const, 'logout' as const, 'change_number' as const, 'request_code' as const) }),
  fc.constantFrom({ kind: 'start' as const }, { kind: 'stop' as const }, { kind: 'stream' as const }),
);

describe('machine (properties)', () => {
  it('keeps its invariants for any sequence of events', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 40 }), (steps) => {
        let state = initialState;
        let seq = 0;
        let at = 0;
        for (const step of steps) {
          at += 1000;
          let event: MachineEvent;
          switch (step.kind) {
            case 'answer': {
              const parsed = parseSessionAnswer({ ...step.body, status: step.status });
              if (!parsed.ok) continue;
              event = { type: 'answer', at, seq: step.stale ? 0 : ++seq, source: step.source, answer: parsed.answer };
              break;
            }
            case 'failure':
              event = { type: 'failure', at, seq: ++seq, source: step.source, error: new SessionError({ code: step.code, message: step.code, ...(step.httpStatus ? { httpStatus: step.httpStatus } : {}) }) };
              break;
            case 'request':
              event = { type: 'request', at, seq: ++seq, action: step.action };
              break;
            case 'stream':
              event = { type: 'stream', at, open: !state.snapshot.streaming };
              break;
            default:
              event = { type: step.kind, at };
          }
          const before = state;
          state = reduce(state, event);
          const s = state.snapshot;
          assert.ok(Object.isFrozen(s));
          if (state === before) continue;
          assert.ok(s.consecutiveFailures >= 0);
          if (!state.running) assert.equal(s.polling, false);
          if (s.phase === 'unauthorized') assert.equal(s.polling, false);
          if (s.status !== 'SCAN_QR') {
            assert.equal(s.qr, null);
            assert.equal(s.qrImage, null);
          }
          if (s.status !== null && !['unreachable', 'unauthorized'].includes(s.phase)) {
            assert.equal(s.phase, phaseForStatus(s.status, s.previousStatus));
          }
          if (s.status !== null && isTerminalStatus(s.status) && s.consecutiveFailures === 0) assert.equal(s.polling, false);
          if (s.health.level === 'healthy') assert.equal(s.phase, 'connected');
          if (s.phase === 'idle') assert.equal(s.status, null);
        }
      }),
      { numRuns: 300 },
    );
  });
});
