import type {
  ActionResult,
  SessionAction,
  SessionClient,
  SessionClientEventMap,
  SessionClientEventName,
  SessionSnapshot,
  SnapshotListener,
} from '@whatsapp-connector/client';
import { SessionError, initialSnapshot } from '@whatsapp-connector/client';
import { createEmitter, type Emitter } from '../../../client/test-kit/index.js';

/** A snapshot with every field filled; `patch` overrides. */
export function makeSnapshot(patch: Partial<SessionSnapshot> = {}): SessionSnapshot {
  return Object.freeze({ ...initialSnapshot, phase: 'loading', sessionName: 'eagles_42', polling: true, ...patch } as SessionSnapshot);
}

// A listener that throws fails the test (as an uncaught error), after the other listeners ran.
const hooks = {
  onError: (error: unknown) =>
    queueMicrotask(() => {
      throw error;
    }),
};

/**
 * A hand-driven {@link SessionClient}: tests push snapshots and events, and see
 * which methods the element called. Actions resolve when the test says so.
 */
export class FakeSessionClient implements SessionClient {
  readonly endpoint = '/fake/session';
  readonly calls: string[] = [];
  #snapshot: SessionSnapshot = makeSnapshot();
  readonly #listeners = createEmitter<SessionSnapshot>(hooks);
  readonly #handlers = new Map<SessionClientEventName, Emitter<unknown>>();
  #pending: Array<{ action: SessionAction; resolve: (result: ActionResult) => void }> = [];

  /** Listeners currently registered (snapshot + event handlers). */
  get listenerCount(): number {
    let count = this.#listeners.size;
    for (const emitter of this.#handlers.values()) count += emitter.size;
    return count;
  }

  /** Replaces the snapshot with `patch` over the current one and notifies. */
  push(patch: Partial<SessionSnapshot>): SessionSnapshot {
    this.#snapshot = makeSnapshot({ ...this.#snapshot, ...patch });
    this.#listeners.emit(this.#snapshot);
    return this.#snapshot;
  }

  /** Notifies the listeners again with the same snapshot object (a client that repeats itself). */
  repeat(): void {
    this.#listeners.emit(this.#snapshot);
  }

  /** Fires a client event. */
  fire<K extends SessionClientEventName>(name: K, detail: Omit<SessionClientEventMap[K], 'snapshot'>): void {
    this.#handlers.get(name)?.emit({ ...detail, snapshot: this.#snapshot });
  }

  /** Settles the oldest pending action. */
  settle(outcome: { ok: true } | { ok: false; error: SessionError }): void {
    const next = this.#pending.shift();
    if (!next) throw new Error('no pending action');
    next.resolve(
      outcome.ok
        ? { ok: true, action: next.action, session: { status: 'STARTING', rawStatus: 'STARTING', sessionName: 'eagles_42', connected: false, qr: null, qrImage: null, me: null, error: null, reason: null, pairingCode: null, stream: null } }
        : { ok: false, action: next.action, error: outcome.error },
    );
  }

  subscribe(listener: SnapshotListener): () => void {
    return this.#listeners.subscribe(listener);
  }
  getSnapshot(): SessionSnapshot {
    return this.#snapshot;
  }
  start(): void {
    this.calls.push('start');
  }
  stop(): void {
    this.calls.push('stop');
  }
  async refresh(): Promise<SessionSnapshot> {
    this.calls.push('refresh');
    return this.#snapshot;
  }
  reconnect(): Promise<ActionResult> {
    return this.#action('reconnect');
  }
  changeNumber(): Promise<ActionResult> {
    return this.#action('change_number');
  }
  logout(): Promise<ActionResult> {
    return this.#action('logout');
  }
  requestPairingCode(phoneNumber: string): Promise<ActionResult> {
    return this.#action('request_code', phoneNumber);
  }
  on<K extends SessionClientEventName>(event: K, handler: (detail: SessionClientEventMap[K]) => void): () => void {
    let emitter = this.#handlers.get(event);
    if (!emitter) this.#handlers.set(event, (emitter = createEmitter(hooks)));
    return emitter.subscribe(handler as (detail: unknown) => void);
  }
  dispose(): void {
    this.calls.push('dispose');
  }

  #action(action: SessionAction, argument?: string): Promise<ActionResult> {
    this.calls.push(argument === undefined ? action : `${action}:${argument}`);
    return new Promise((resolve) => this.#pending.push({ action, resolve }));
  }
}

export { SessionError };
