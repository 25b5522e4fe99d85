import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionError, type SessionErrorCode } from '../src/contract/errors.js';
import { parseSessionAnswer } from '../src/contract/parse.js';
import { SESSION_STATUSES, type SessionStatus } from '../src/contract/status.js';
import type { SessionAction, SessionAnswer } from '../src/contract/types.js';
import { initialState, reduce, STALLED_AFTER_MS, stalledAt, STATUS_CONTINUITY_MS, type MachineEvent, type MachineState } from '../src/machine.js';
import type { HealthLevel, HealthReason, SessionPhase } from '../src/snapshot.js';

const ME = { id: '5215512345678@c.us', pushName: 'Ana' };

function answerFor(status: SessionStatus, extra: Record<string, unknown> = {}): SessionAnswer {
  const raw = status === 'UNKNOWN' ? 'REBOOTING' : status;
  const base: Record<string, unknown> = { status: raw, sessionName: 'eagles_42' };
  if (status === 'SCAN_QR') base.qr = `qr-${raw}`;
  if (status === 'WORKING') base.me = ME;
  if (status === 'FAILED' || status === 'ERROR') base.error = 'broken';
  const parsed = parseSessionAnswer({ ...base, ...extra });
  assert.ok(parsed.ok);
  return parsed.answer;
}

let seq = 0;
let clock = 1000;
function at(): number {
  clock += 10;
  return clock;
}

function answer(status: SessionStatus, source: 'poll' | 'action' | 'push' = 'poll', extra: Record<string, unknown> = {}, action?: SessionAction): MachineEvent {
  return { type: 'answer', at: at(), seq: ++seq, source, answer: answerFor(status, extra), action };
}

function failure(code: SessionErrorCode, source: 'poll' | 'action' = 'poll', init: { httpStatus?: number; retryAfterMs?: number } = {}): MachineEvent {
  return { type: 'failure', at: at(), seq: ++seq, source, error: new SessionError({ code, message: code, ...init }) };
}

/** Applies events in order. `from` comes first so that it is built (and numbered) before the events. */
function run(from: MachineState, events: MachineEvent[]): MachineState {
  return events.reduce(reduce, from);
}

/** A running client whose last answer had `status` (reached through a realistic predecessor). */
function stateIn(status: SessionStatus | null): MachineState {
  const started = reduce(initialState, { type: 'start', at: at() });
  if (status === null) return started;
  const before: SessionStatus = status === 'STOPPED' ? 'WORKING' : 'STARTING';
  return run(started, [answer(before), answer(status)]);
}

const PHASE: Record<SessionStatus, SessionPhase> = {
  STARTING: 'starting',
  SCAN_QR: 'qr',
  WORKING: 'connected',
  STOPPED: 'reconnecting',
  FAILED: 'failed',
  ERROR: 'failed',
  PASSKEY_REQUIRED: 'passkey',
  PASSKEY_CONFIRMATION_REQUIRED: 'passkey',
  UNKNOWN: 'checking',
};

const HEALTH: Record<SessionStatus, [HealthLevel, HealthReason]> = {
  STARTING: ['unknown', 'waiting'],
  SCAN_QR: ['unknown', 'waiting'],
  WORKING: ['healthy', 'connected'],
  STOPPED: ['degraded', 'reconnecting'],
  FAILED: ['down', 'failed'],
  ERROR: ['down', 'failed'],
  PASSKEY_REQUIRED: ['unknown', 'waiting'],
  PASSKEY_CONFIRMATION_REQUIRED: ['unknown', 'waiting'],
  UNKNOWN: ['unknown', 'waiting'],
};

const FROM: (SessionStatus | null)[] = [null, ...SESSION_STATUSES];
const label = (status: SessionStatus | null) => status ?? '(no answer)';

describe('machine: initial state', () => {
  it('is idle, not polling, healthy-unknown', () => {
    const s = initialState.snapshot;
    assert.equal(s.phase, 'idle');
    assert.equal(s.status, null);
    assert.equal(s.polling, false);
    assert.deepEqual(s.health, { level: 'unknown', reason: null });
    assert.ok(Object.isFrozen(s));
  });

  it('start → loading and polling; start again changes nothing', () => {
    const started = reduce(initialState, { type: 'start', at: 0 });
    assert.equal(started.snapshot.phase, 'loading');
    assert.equal(started.snapshot.polling, true);
    assert.equal(reduce(started, { type: 'start', at: 1 }), started);
  });
});

describe('machine: every status × every answer status', () => {
  for (const from of FROM) {
    for (const to of SESSION_STATUSES) {
      it(`${label(from)} + answer ${to}`, () => {
        const before = stateIn(from);
        const after = reduce(before, answer(to));
        const s = after.snapshot;
        assert.equal(s.status, to);
        const expectedPhase = to === 'FAILED' && from === 'SCAN_QR' ? 'qr-expired' : PHASE[to];
        assert.equal(s.phase, expectedPhase);
        const [level, reason] = expectedPhase === 'qr-expired' ? (['down', 'qr-expired'] as const) : HEALTH[to];
        assert.deepEqual(s.health, { level, reason });
        assert.equal(s.polling, to !== 'FAILED' && to !== 'ERROR');
        assert.equal(s.consecutiveFailures, 0);
        assert.equal(s.qr, to === 'SCAN_QR' ? 'qr-SCAN_QR' : null);
        // The number stays visible through STOPPED; otherwise it is what the answer says.
        const expectedMe = to === 'WORKING' || (to === 'STOPPED' && (from === 'WORKING' || from === 'STOPPED')) ? ME : null;
        assert.deepEqual(s.me, expectedMe);
        if (to === 'FAILED' || to === 'ERROR') {
          assert.equal(s.error?.code, 'session_failed');
          assert.equal(s.error?.message, 'broken');
        } else {
          assert.equal(s.error, null);
        }
        assert.equal(s.previousStatus, from === to ? before.snapshot.previousStatus : from);
        assert.equal(s.lastUpdatedAt, clock);
        assert.ok(Object.isFrozen(s));
      });
    }
  }
});

describe('machine: every status × every other event', () => {
  for (const from of FROM) {
    const name = label(from);

    it(`${name} + network failure → unreachable, keeps what it knew`, () => {
      const before = stateIn(from);
      const s = reduce(before, failure('network')).snapshot;
      assert.equal(s.phase, 'unreachable');
      assert.equal(s.status, from);
      assert.equal(s.me, before.snapshot.me);
      assert.equal(s.consecutiveFailures, 1);
      assert.equal(s.polling, true);
      assert.deepEqual(s.health, { level: 'down', reason: 'unreachable' });
      assert.equal(s.error?.code, 'network');
    });

    for (const code of ['timeout', 'http', 'invalid_response', 'rate_limited', 'not_found'] as const) {
      it(`${name} + ${code} failure → unreachable and counting`, () => {
        const before = stateIn(from);
        const s = run(before, [failure(code), failure(code)]).snapshot;
        assert.equal(s.phase, 'unreachable');
        assert.equal(s.consecutiveFailures, 2);
        assert.equal(s.error?.code, code);
      });
    }

    it(`${name} + unauthorized → unauthorized, polling stops`, () => {
      const s = reduce(stateIn(from), failure('unauthorized')).snapshot;
      assert.equal(s.phase, 'unauthorized');
      assert.equal(s.polling, false);
      assert.deepEqual(s.health, { level: 'down', reason: 'unauthorized' });
    });

    it(`${name} + aborted poll → nothing changes`, () => {
      const before = stateIn(from);
      assert.equal(reduce(before, failure('aborted')).snapshot, before.snapshot);
    });

    it(`${name} + stop → not polling, phase kept (idle if nothing known)`, () => {
      const before = stateIn(from);
      const s = reduce(before, { type: 'stop', at: at() }).snapshot;
      assert.equal(s.polling, false);
      assert.equal(s.nextPollAt, null);
      assert.equal(s.phase, from === null ? 'idle' : before.snapshot.phase);
      assert.equal(s.status, from);
    });

    it(`${name} + start (already running) → same state`, () => {
      const before = stateIn(from);
      assert.equal(reduce(before, { type: 'start', at: at() }), before);
    });

    for (const action of ['reconnect', 'logout', 'change_number', 'request_code'] as const) {
      it(`${name} + ${action} request → pendingAction, phase kept, older results stale`, () => {
        const before = stateIn(from);
        const staleSeq = ++seq;
        const afterRequest = reduce(before, { type: 'request', at: at(), seq: ++seq, action });
        assert.equal(afterRequest.snapshot.pendingAction, action);
        assert.equal(afterRequest.snapshot.phase, before.snapshot.phase);
        const late = reduce(afterRequest, { type: 'answer', at: at(), seq: staleSeq, source: 'poll', answer: answerFor('WORKING') });
        assert.equal(late, afterRequest, 'a GET sent before the action is discarded');
      });
    }

    it(`${name} + poll request → nothing changes (loading only from idle)`, () => {
      const before = stateIn(from);
      const after = reduce(before, { type: 'request', at: at(), seq: ++seq, action: null });
      assert.equal(after, before);
    });

    it(`${name} + schedule → nextPollAt`, () => {
      const s = reduce(stateIn(from), { type: 'schedule', at: at(), nextPollAt: 123456 }).snapshot;
      assert.equal(s.nextPollAt, 123456);
    });

    it(`${name} + stream open/close → streaming`, () => {
      const open = reduce(stateIn(from), { type: 'stream', at: at(), open: true });
      assert.equal(open.snapshot.streaming, true);
      assert.equal(reduce(open, { type: 'stream', at: at(), open: false }).snapshot.streaming, false);
    });

    it(`${name} + answer older than the last applied one → ignored`, () => {
      const staleSeq = ++seq;
      const before = stateIn(from);
      for (const source of ['poll', 'push'] as const) {
        const stale: MachineEvent = { type: 'answer', at: at(), seq: staleSeq, source, answer: answerFor('SCAN_QR') };
        if (from !== null) assert.equal(reduce(before, stale), before);
      }
    });
  }
});

describe('machine: rules', () => {
  it('returns the same snapshot object when an answer changes nothing but time', () => {
    const a = stateIn('SCAN_QR');
    const b = reduce(a, answer('SCAN_QR'));
    assert.notEqual(b.snapshot, a.snapshot, 'lastUpdatedAt moved');
    const c = reduce(b, { type: 'schedule', at: at(), nextPollAt: b.snapshot.nextPollAt });
    assert.equal(c, b);
  });

  it('keeps the same me object when the account did not change', () => {
    const a = stateIn('WORKING');
    const b = reduce(a, answer('WORKING'));
    assert.equal(b.snapshot.me, a.snapshot.me);
  });

  it('FAILED right after SCAN_QR is qr-expired, and stays so on later FAILED answers', () => {
    const s = run(stateIn('STARTING'), [answer('SCAN_QR'), answer('FAILED', 'poll', { error: null }), answer('FAILED', 'poll', { error: null })]);
    assert.equal(s.snapshot.phase, 'qr-expired');
    assert.match(s.snapshot.error?.message ?? '', /expired/);
  });

  it('a first answer FAILED marked qr_expired (a page opened after the QR expired) is qr-expired', () => {
    const started = reduce(initialState, { type: 'start', at: at() });
    const expired = reduce(started, answer('FAILED', 'poll', { reason: 'qr_expired', error: 'The QR code expired.' }));
    assert.equal(expired.snapshot.previousStatus, null);
    assert.equal(expired.snapshot.phase, 'qr-expired');
    assert.equal(expired.snapshot.health.reason, 'qr-expired');
    assert.equal(reduce(started, answer('FAILED')).snapshot.phase, 'failed', 'without the reason: a plain failure');
    assert.equal(reduce(started, answer('ERROR', 'poll', { reason: 'qr_expired' })).snapshot.phase, 'failed', 'only FAILED expires');
  });

  it('statusSince is the time of the answer that first reported the status; failures and repeats keep it', () => {
    const started = reduce(initialState, { type: 'start', at: at() });
    assert.equal(started.snapshot.statusSince, null);
    const working = reduce(started, answer('WORKING'));
    const since = working.snapshot.lastUpdatedAt;
    assert.equal(working.snapshot.statusSince, since);
    const again = run(working, [answer('WORKING'), failure('network'), answer('WORKING')]);
    assert.equal(again.snapshot.statusSince, since);
    assert.ok((again.snapshot.lastUpdatedAt ?? 0) > (since ?? 0));
    const stopped = reduce(again, answer('STOPPED'));
    assert.equal(stopped.snapshot.statusSince, stopped.snapshot.lastUpdatedAt);
  });

  it('statusSince starts again after a gap in which the status may have changed unseen', () => {
    const stopped = reduce(stateIn('WORKING'), answer('STOPPED'));
    const since = stopped.snapshot.statusSince;
    // Answers within STATUS_CONTINUITY_MS of each other: one continuous STOPPED.
    clock += STATUS_CONTINUITY_MS - 20;
    const watched = reduce(stopped, answer('STOPPED'));
    assert.equal(watched.snapshot.statusSince, since);
    // A longer gap (a hidden tab, an outage): a flap may have come and gone.
    clock += STATUS_CONTINUITY_MS + 1;
    const afterGap = reduce(watched, answer('STOPPED'));
    assert.equal(afterGap.snapshot.statusSince, afterGap.snapshot.lastUpdatedAt);
    // stop() then start(): the same.
    const restarted = run(afterGap, [{ type: 'stop', at: at() }, { type: 'start', at: at() }]);
    assert.equal(restarted.snapshot.statusSince, null);
    const next = reduce(restarted, answer('STOPPED'));
    assert.equal(next.snapshot.statusSince, next.snapshot.lastUpdatedAt);
  });

  it('stalled: STOPPED for two minutes of watching, turned by an answer or by a tick at the exact moment', () => {
    const stopped = reduce(stateIn('WORKING'), answer('STOPPED'));
    const since = stopped.snapshot.statusSince!;
    assert.equal(stopped.snapshot.stalled, false);
    // Not yet watched long enough for the deadline to be within the continuity window.
    assert.equal(stalledAt(stopped), null);
    clock = since + STALLED_AFTER_MS - STATUS_CONTINUITY_MS - 10;
    const watched = reduce(stopped, answer('STOPPED'));
    assert.equal(stalledAt(watched), since + STALLED_AFTER_MS);
    assert.equal(reduce(watched, { type: 'tick', at: since + STALLED_AFTER_MS - 1 }).snapshot.stalled, false, 'one ms early');
    const ticked = reduce(watched, { type: 'tick', at: since + STALLED_AFTER_MS });
    assert.equal(ticked.snapshot.stalled, true);
    assert.equal(stalledAt(ticked), null, 'nothing more to wait for');
    // An answer at or after the moment says the same; leaving STOPPED ends it.
    clock = since + STALLED_AFTER_MS - 10;
    assert.equal(reduce(watched, answer('STOPPED')).snapshot.stalled, true);
    assert.equal(reduce(ticked, answer('WORKING')).snapshot.stalled, false);
  });

  it('stalled needs an unbroken watch, a running client and STOPPED', () => {
    const stopped = reduce(stateIn('WORKING'), answer('STOPPED'));
    const since = stopped.snapshot.statusSince!;
    // The last answer is too old by the deadline (a hidden tab): the next answer decides.
    assert.equal(reduce(stopped, { type: 'tick', at: since + STALLED_AFTER_MS }).snapshot.stalled, false);
    clock = since + STALLED_AFTER_MS - 10;
    const afterGap = reduce(stopped, answer('STOPPED'));
    assert.equal(afterGap.snapshot.stalled, false, 'an answer after the gap starts the watch again');
    assert.equal(afterGap.snapshot.statusSince, afterGap.snapshot.lastUpdatedAt);
    clock = since + STALLED_AFTER_MS - STATUS_CONTINUITY_MS - 10;
    const stalled = run(stopped, [answer('STOPPED'), { type: 'tick', at: since + STALLED_AFTER_MS }]);
    assert.equal(stalled.snapshot.stalled, true);
    const restarted = run(stalled, [{ type: 'stop', at: at() }, { type: 'start', at: at() }]);
    assert.equal(restarted.snapshot.stalled, false, 'start() forgets what went unseen');
    assert.equal(stalledAt(run(stalled, [{ type: 'stop', at: at() }])), null);
    for (const status of ['WORKING', 'STARTING', 'SCAN_QR', 'FAILED'] as const) assert.equal(stalledAt(stateIn(status)), null, status);
  });

  it('ERROR right after SCAN_QR is a plain failure', () => {
    assert.equal(reduce(stateIn('SCAN_QR'), answer('ERROR')).snapshot.phase, 'failed');
  });

  it('keeps the backend reason as serverMessage, and none when the message is the default', () => {
    assert.equal(stateIn('FAILED').snapshot.error?.serverMessage, 'broken');
    const silent = reduce(stateIn('SCAN_QR'), answer('FAILED', 'poll', { error: null }));
    assert.equal(silent.snapshot.error?.serverMessage, undefined);
    assert.match(silent.snapshot.error?.message ?? '', /expired/);
  });

  it('keeps the same session_failed error object across identical FAILED answers', () => {
    const a = stateIn('FAILED');
    const b = reduce(a, answer('FAILED'));
    assert.equal(b.snapshot.error, a.snapshot.error);
  });

  it('flapping: more than two WORKING ↔ STOPPED transitions within a minute degrade health and keep me', () => {
    const t0 = 100_000;
    const ev = (status: SessionStatus, t: number): MachineEvent => ({ type: 'answer', at: t, seq: ++seq, source: 'poll', answer: answerFor(status) });
    let s = run(initialState, [{ type: 'start', at: t0 }, ev('WORKING', t0), ev('STOPPED', t0 + 10_000), ev('WORKING', t0 + 20_000)]);
    assert.deepEqual(s.snapshot.health, { level: 'healthy', reason: 'connected' }, 'two transitions are not flapping');
    s = reduce(s, ev('STOPPED', t0 + 30_000));
    assert.deepEqual(s.snapshot.health, { level: 'degraded', reason: 'flapping' });
    assert.deepEqual(s.snapshot.me, ME);
    assert.equal(s.snapshot.phase, 'reconnecting');
    s = reduce(s, ev('WORKING', t0 + 40_000));
    assert.deepEqual(s.snapshot.health, { level: 'degraded', reason: 'flapping' });
    // A minute of calm clears it.
    s = reduce(s, ev('WORKING', t0 + 40_000 + 60_000));
    assert.deepEqual(s.snapshot.health, { level: 'healthy', reason: 'connected' });
  });

  it('transitions spread over more than a minute are not flapping', () => {
    const ev = (status: SessionStatus, t: number): MachineEvent => ({ type: 'answer', at: t, seq: ++seq, source: 'poll', answer: answerFor(status) });
    const s = run(initialState, [{ type: 'start', at: 0 }, ev('WORKING', 0), ev('STOPPED', 1), ev('WORKING', 30_000), ev('STOPPED', 60_001)]);
    assert.deepEqual(s.snapshot.health, { level: 'degraded', reason: 'reconnecting' });
  });

  it('a logout answer in STOPPED does not keep the old number', () => {
    const s = reduce(stateIn('WORKING'), answer('STOPPED', 'action', {}, 'logout'));
    assert.equal(s.snapshot.me, null);
  });

  it('keeps the pairing code while waiting, drops it when linked or on a new attempt', () => {
    let s = reduce(stateIn('SCAN_QR'), answer('SCAN_QR', 'action', { pairingCode: 'ABCD-EFGH' }, 'request_code'));
    assert.equal(s.snapshot.pairingCode, 'ABCD-EFGH');
    s = reduce(s, answer('SCAN_QR'));
    assert.equal(s.snapshot.pairingCode, 'ABCD-EFGH', 'polls do not repeat it');
    assert.equal(reduce(s, answer('WORKING')).snapshot.pairingCode, null);
    assert.equal(reduce(s, answer('STARTING', 'action', {}, 'reconnect')).snapshot.pairingCode, null);
  });

  it('an action answer ends the pending action and becomes the state', () => {
    let s = stateIn('FAILED');
    s = reduce(s, { type: 'request', at: at(), seq: ++seq, action: 'reconnect' });
    s = reduce(s, { type: 'answer', at: at(), seq, source: 'action', answer: answerFor('STARTING'), action: 'reconnect' });
    assert.equal(s.snapshot.pendingAction, null);
    assert.equal(s.snapshot.phase, 'starting');
    assert.equal(s.snapshot.polling, true, 'polling resumes after the user acted');
  });

  it('an action refused with a 4xx keeps the phase and shows the error', () => {
    let s = stateIn('SCAN_QR');
    s = reduce(s, { type: 'request', at: at(), seq: ++seq, action: 'request_code' });
    s = reduce(s, { type: 'failure', at: at(), seq, source: 'action', error: new SessionError({ code: 'http', message: 'bad number', httpStatus: 400 }) });
    assert.equal(s.snapshot.phase, 'qr');
    assert.equal(s.snapshot.pendingAction, null);
    assert.equal(s.snapshot.error?.message, 'bad number');
    assert.equal(s.snapshot.consecutiveFailures, 0);
  });

  it('an action that cannot reach the backend is unreachable and backs off', () => {
    let s = stateIn('FAILED');
    s = reduce(s, { type: 'request', at: at(), seq: ++seq, action: 'reconnect' });
    s = reduce(s, { type: 'failure', at: at(), seq, source: 'action', error: new SessionError({ code: 'network', message: 'down' }) });
    assert.equal(s.snapshot.phase, 'unreachable');
    assert.equal(s.snapshot.consecutiveFailures, 1);
    assert.equal(s.snapshot.polling, true);
  });

  it('an aborted action only ends the pending action', () => {
    let s = stateIn('SCAN_QR');
    s = reduce(s, { type: 'request', at: at(), seq: ++seq, action: 'logout' });
    const before = s.snapshot;
    s = reduce(s, { type: 'failure', at: at(), seq, source: 'action', error: new SessionError({ code: 'aborted', message: 'x' }) });
    assert.equal(s.snapshot.pendingAction, null);
    assert.equal(s.snapshot.phase, before.phase);
    assert.equal(s.snapshot.error, null);
  });

  it('the first success after failures resets the count', () => {
    const s = run(stateIn('WORKING'), [failure('network'), failure('network'), answer('WORKING')]);
    assert.equal(s.snapshot.consecutiveFailures, 0);
    assert.equal(s.snapshot.phase, 'connected');
  });

  it('a refresh before start shows loading, and answers do not turn polling on', () => {
    let s = reduce(initialState, { type: 'request', at: at(), seq: ++seq, action: null });
    assert.equal(s.snapshot.phase, 'loading');
    s = reduce(s, { type: 'answer', at: at(), seq, source: 'poll', answer: answerFor('WORKING') });
    assert.equal(s.snapshot.polling, false);
    assert.equal(s.snapshot.phase, 'connected');
  });

  it('me and health keep their identity while their fields stay, whatever the order of those fields', () => {
    const working = stateIn('WORKING');
    const { me, health } = working.snapshot;
    assert.deepEqual(me, ME);
    const reordered: MachineEvent = { type: 'answer', at: at(), seq: ++seq, source: 'poll', answer: { ...answerFor('WORKING'), me: { pushName: 'Ana', id: ME.id } } };
    const s = reduce(working, reordered);
    assert.equal(s.snapshot.me, me, 'the same me');
    const renamed = reduce(s, { type: 'answer', at: at(), seq: ++seq, source: 'poll', answer: { ...answerFor('WORKING'), me: { pushName: 'Bea', id: ME.id } } });
    assert.deepEqual(renamed.snapshot.me, { id: ME.id, pushName: 'Bea' }, 'a changed field is a new me');
    // A health built with its fields in the other order (as another source might) is the same health.
    const flipped: MachineState = { ...working, snapshot: { ...working.snapshot, health: { reason: health.reason, level: health.level } } };
    const ticked = reduce(flipped, { type: 'tick', at: at() });
    assert.equal(ticked, flipped, 'nothing changed');
  });

  it('sessionName survives an answer without one', () => {
    const s = reduce(stateIn('WORKING'), { type: 'answer', at: at(), seq: ++seq, source: 'poll', answer: { ...answerFor('WORKING'), sessionName: null } });
    assert.equal(s.snapshot.sessionName, 'eagles_42');
  });
});
