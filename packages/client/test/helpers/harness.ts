import assert from 'node:assert/strict';
import { createClient, createSessionClient, type StreamModuleLoader } from '../../src/client.js';
import { withLogger } from '../../src/log.js';
import type { ActionResult, SessionClient } from '../../src/client-types.js';
import type { SessionAction } from '../../src/contract/types.js';
import type { LogRecord, SessionClientOptions } from '../../src/options.js';
import type { SessionSnapshot } from '../../src/snapshot.js';
import { FakeBackend, wire } from '../../test-kit/index.js';
import { FakeClock, settle } from '../../test-kit/index.js';
import { FakeVisibility } from '../../test-kit/index.js';

export const ENDPOINT = 'http://backend.test/api/whatsapp/session';

/** A client wired to a fake clock, a fake visibility and a scripted backend. */
export interface Harness {
  readonly client: SessionClient;
  readonly clock: FakeClock;
  readonly visibility: FakeVisibility;
  readonly backend: FakeBackend;
  readonly logs: LogRecord[];
  readonly snapshots: SessionSnapshot[];
  /** Actions this test asked for (only these may become POSTs). */
  readonly calledActions: SessionAction[];
  /** Calls an action through the client and records that the test asked for it. */
  act(action: 'reconnect' | 'changeNumber' | 'logout'): Promise<ActionResult>;
  actPairing(phone: string): Promise<ActionResult>;
  /** Fake-clock times of the GETs sent so far. */
  getTimes(): number[];
  /** Lets promise chains and the fake fetch settle (no clock movement). */
  settle(): Promise<void>;
  /** Disposes and checks the invariants every scenario must keep. */
  finish(): void;
}

const ACTION_NAMES: Record<'reconnect' | 'changeNumber' | 'logout', SessionAction> = {
  reconnect: 'reconnect',
  changeNumber: 'change_number',
  logout: 'logout',
};

const open: Harness[] = [];

/**
 * Creates a harness; {@link finishAll} (in `afterEach`) checks and disposes every one.
 * `loadStream` replaces the client's import of the stream module (slow or failing loads).
 */
export function harness(
  options: Partial<SessionClientOptions> = {},
  setup?: (backend: FakeBackend) => void,
  loadStream?: StreamModuleLoader,
): Harness {
  const clock = new FakeClock(0);
  const visibility = new FakeVisibility(true);
  const backend = new FakeBackend({ session: wire.scanQr(), clock });
  setup?.(backend);
  const logs: LogRecord[] = [];
  const snapshots: SessionSnapshot[] = [];
  const calledActions: SessionAction[] = [];
  const clientOptions: SessionClientOptions = withLogger({
    endpoint: ENDPOINT,
    fetch: backend.fetch,
    timers: clock,
    visibility,
    logger: (record) => logs.push(record),
    random: () => 0.5,
    stream: false,
    ...options,
  });
  const client = loadStream === undefined ? createSessionClient(clientOptions) : createClient(clientOptions, loadStream);
  client.subscribe((snapshot) => snapshots.push(snapshot));
  const h: Harness = {
    client,
    clock,
    visibility,
    backend,
    logs,
    snapshots,
    calledActions,
    act(action) {
      calledActions.push(ACTION_NAMES[action]);
      return client[action]();
    },
    actPairing(phone) {
      calledActions.push('request_code');
      return client.requestPairingCode(phone);
    },
    getTimes: () => backend.gets.map((request) => request.at),
    settle: () => settle(),
    finish() {
      client.dispose();
      // The rule that matters most: no POST unless the test called an action.
      const posted = backend.posts.map((request) => (request.body as { action: SessionAction }).action);
      for (const action of posted) {
        const index = calledActions.indexOf(action);
        assert.ok(index >= 0, `POST ${action} was sent without an explicit call`);
        calledActions.splice(index, 1);
      }
      assert.equal(clock.pending, 0, 'dispose leaves no timer');
      assert.equal(visibility.listenerCount, 0, 'dispose leaves no visibility listener');
    },
  };
  open.push(h);
  return h;
}

/** Finishes every harness created by the current test. */
export function finishAll(): void {
  const all = open.splice(0);
  for (const h of all) h.finish();
}
