import type { SessionError } from './contract/errors.js';
import type { SessionStatus } from './contract/status.js';
import type { SessionAction, SessionAnswer, SessionMe } from './contract/types.js';
import type { SnapshotListener } from './options.js';
import type { SessionPhase, SessionSnapshot } from './snapshot.js';

/** A successful action. */
export interface ActionSuccess {
  /** Always `true`. */
  readonly ok: true;
  /** The action performed. */
  readonly action: SessionAction;
  /** The session as it stands after the action. */
  readonly session: SessionAnswer;
}

/** A failed action. */
export interface ActionFailure {
  /** Always `false`. */
  readonly ok: false;
  /** The action attempted. */
  readonly action: SessionAction;
  /** Why it failed (`busy` when another action was running and nothing was sent). */
  readonly error: SessionError;
}

/** The outcome of an action. Actions never reject: failures come back here. */
export type ActionResult = ActionSuccess | ActionFailure;

/**
 * The client's typed events. Every detail carries the snapshot the event was
 * derived from.
 */
export interface SessionClientEventMap {
  /** The normalized status changed (including the first answer). */
  'status-change': {
    /** The new status. */
    readonly status: SessionStatus;
    /** The status before, or `null` for the first answer. */
    readonly previousStatus: SessionStatus | null;
    /** The new phase. */
    readonly phase: SessionPhase;
    /** The snapshot after the change. */
    readonly snapshot: SessionSnapshot;
  };
  /** The session entered `WORKING`. */
  connected: {
    /** The linked account, when the backend sent it. */
    readonly me: SessionMe | null;
    /** The snapshot after the change. */
    readonly snapshot: SessionSnapshot;
  };
  /** The session left `WORKING` (stopped, failed, logged out…). `me` is the account it had. */
  disconnected: {
    /** The account the session had. */
    readonly me: SessionMe | null;
    /** The status it moved to. */
    readonly status: SessionStatus | null;
    /** The snapshot after the change. */
    readonly snapshot: SessionSnapshot;
  };
  /** The session entered `FAILED` or `ERROR` (polling stops). */
  failed: {
    /** `FAILED` or `ERROR`. */
    readonly status: SessionStatus;
    /** The reason (`session_failed`), with the backend's message when it sent one. */
    readonly error: SessionError | null;
    /** The snapshot after the change (`phase` tells `failed` from `qr-expired`). */
    readonly snapshot: SessionSnapshot;
  };
  /** A new QR payload (or QR image) arrived. */
  qr: {
    /** The raw QR payload, or `null`. */
    readonly qr: string | null;
    /** The safe QR image data URL, or `null`. */
    readonly qrImage: string | null;
    /** The snapshot after the change. */
    readonly snapshot: SessionSnapshot;
  };
  /**
   * A request failed (poll or action). Never for a request the client cancelled itself
   * (`aborted`: by `stop()`, `dispose()`, or a poll an action replaced).
   */
  error: {
    /** What went wrong. */
    readonly error: SessionError;
    /** The snapshot after the failure. */
    readonly snapshot: SessionSnapshot;
  };
}

/** Names of {@link SessionClientEventMap}'s events. */
export type SessionClientEventName = keyof SessionClientEventMap;

/**
 * A headless session client: the state machine, the polling cadence and the
 * manual-action rules, without any UI.
 *
 * No method throws and no returned promise rejects; failures become snapshot
 * state, `error` events and failed {@link ActionResult}s.
 *
 * @example
 * ```ts
 * const client = createSessionClient({ endpoint: '/api/whatsapp/session' });
 * const off = client.subscribe((s) => render(s));
 * client.on('connected', ({ me }) => toast(`Linked ${me?.id}`));
 * client.start();
 * // later
 * off();
 * client.dispose();
 * ```
 */
export interface SessionClient {
  /** The endpoint this client talks to. */
  readonly endpoint: string;
  /** Registers a snapshot listener; returns its unsubscribe function. */
  subscribe(listener: SnapshotListener): () => void;
  /** The current snapshot (the same object until something changes). */
  getSnapshot(): SessionSnapshot;
  /** Starts polling (idempotent). */
  start(): void;
  /** Stops polling, aborts what is in flight and clears every timer (idempotent). The snapshot is kept. */
  stop(): void;
  /** Polls now, also after `FAILED` / `ERROR` / `401` stopped polling; resolves with the snapshot after it. */
  refresh(): Promise<SessionSnapshot>;
  /** Sends `reconnect`. Single-flight: concurrent calls share one request and one result. */
  reconnect(): Promise<ActionResult>;
  /** Sends `change_number`. Single-flight. */
  changeNumber(): Promise<ActionResult>;
  /** Sends `logout`. Single-flight. */
  logout(): Promise<ActionResult>;
  /** Sends `request_code` with a phone number in international digits. Single-flight. */
  requestPairingCode(phoneNumber: string): Promise<ActionResult>;
  /** Listens to a typed event; returns the unsubscribe function. */
  on<K extends SessionClientEventName>(event: K, handler: (detail: SessionClientEventMap[K]) => void): () => void;
  /** Stops for good and drops every listener. Later calls are no-ops. */
  dispose(): void;
}
