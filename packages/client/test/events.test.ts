import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionError } from '../src/contract/errors.js';
import { deriveEvents } from '../src/events.js';
import { initialSnapshot } from '../src/machine.js';
import type { SessionSnapshot } from '../src/snapshot.js';

const at = { type: 'schedule', at: 0, nextPollAt: null } as const;
const snap = (changes: Partial<SessionSnapshot>): SessionSnapshot => ({ ...initialSnapshot, ...changes });
const names = (prev: SessionSnapshot, next: SessionSnapshot) => deriveEvents(prev, next, at).map((e) => e.name);

describe('deriveEvents', () => {
  it('nothing for the same snapshot', () => {
    assert.deepEqual(deriveEvents(initialSnapshot, initialSnapshot, at), []);
  });

  it('first answer: status-change only (plus qr when there is one)', () => {
    assert.deepEqual(names(initialSnapshot, snap({ status: 'STARTING' })), ['status-change']);
    assert.deepEqual(names(initialSnapshot, snap({ status: 'SCAN_QR', qr: 'x' })), ['status-change', 'qr']);
    assert.deepEqual(names(initialSnapshot, snap({ status: 'WORKING' })), ['status-change', 'connected']);
    assert.deepEqual(names(initialSnapshot, snap({ status: 'FAILED' })), ['status-change', 'failed']);
  });

  it('leaving WORKING disconnects; FAILED → ERROR is not a second failure', () => {
    assert.deepEqual(names(snap({ status: 'WORKING' }), snap({ status: 'STOPPED' })), ['status-change', 'disconnected']);
    assert.deepEqual(names(snap({ status: 'WORKING' }), snap({ status: 'ERROR' })), ['status-change', 'disconnected', 'failed']);
    assert.deepEqual(names(snap({ status: 'FAILED' }), snap({ status: 'ERROR' })), ['status-change']);
  });

  it('qr when the payload or the image changes, not when it goes away', () => {
    assert.deepEqual(names(snap({ status: 'SCAN_QR', qr: 'a' }), snap({ status: 'SCAN_QR', qr: 'b' })), ['qr']);
    assert.deepEqual(names(snap({ status: 'SCAN_QR', qr: 'a' }), snap({ status: 'SCAN_QR', qr: 'a', qrImage: 'data:image/png;base64,AA==' })), ['qr']);
    assert.deepEqual(names(snap({ status: 'SCAN_QR', qr: 'a' }), snap({ status: 'STARTING', qr: null })), ['status-change']);
  });

  it('error only for failure events that set the error', () => {
    const error = new SessionError({ code: 'network', message: 'x' });
    const next = snap({ error, phase: 'unreachable' });
    assert.deepEqual(deriveEvents(initialSnapshot, next, { type: 'failure', at: 0, seq: 1, source: 'poll', error }).map((e) => e.name), ['error']);
    assert.deepEqual(names(initialSnapshot, next), []);
  });
});
