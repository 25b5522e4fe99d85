import type { SessionAction, SessionActionRequest, SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { toAnswer, wireStatus } from './answer.js';
import type { Clock } from './clock.js';
import { HttpError } from './errors.js';
import type { SessionHub } from './hub.js';
import { KeyedLanes } from './lanes.js';
import type { LogInput } from './logger.js';
import type { ServerMetrics } from './metrics.js';
import {
  changeNumber,
  enrich,
  getOrCreateSession,
  logoutSession,
  reconnectSession,
  requestPairingCode,
  type RuleContext,
  type SessionView,
} from './rules.js';
import { canonicalSessionName, needsHealing } from './session-name.js';
import type { SessionRecord, SessionStore } from './store.js';
import type { WahaClient } from './waha/client.js';
import type { WahaMeInfo, WahaSessionConfig } from './waha/types.js';

/** A change of an organization's session status, as seen by the handler (GETs, actions, webhooks). */
export interface SessionTransition {
  /** The organization. */
  orgId: string;
  /** The WAHA session name. */
  sessionName: string;
  /** The previous status (wire spelling, e.g. `SCAN_QR`), or `null` the first time this process sees the session. */
  from: string | null;
  /** The new status (wire spelling). */
  to: string;
  /** Epoch ms of the observation. */
  at: number;
}

/** What the service needs (built by `createSessionHandler`). */
export interface SessionServiceOptions {
  store: SessionStore;
  resolveWaha: (orgId: string) => Promise<WahaClient>;
  prefix: string;
  clock: Clock;
  log: (input: LogInput) => void;
  hub: SessionHub;
  onTransition?: ((transition: SessionTransition) => void) | undefined;
  metrics?: ServerMetrics | undefined;
  createConfig: (orgId: string) => WahaSessionConfig;
}

interface Seen {
  status: string;
  /** The status before the current run of `status` (explains a FAILED that followed a QR). */
  previous: string | null;
}

interface Resolved {
  record: SessionRecord | null;
  context: RuleContext;
}

/** The session rules of SPEC section 5 for every organization: naming, healing, persistence, serialization, transitions. */
export class SessionService {
  readonly #options: SessionServiceOptions;
  readonly #lanes = new KeyedLanes();
  readonly #seen = new Map<string, Seen>();
  readonly #orgBySession = new Map<string, string>();

  constructor(options: SessionServiceOptions) {
    this.#options = options;
  }

  /** The organization owning `sessionName`, when this process has seen it. */
  orgOfSession(sessionName: string): string | undefined {
    return this.#orgBySession.get(sessionName);
  }

  /** `GET`: concurrent reads of one organization share one WAHA round trip. */
  read(orgId: string, stream?: string): Promise<SessionAnswerWire> {
    return this.#lanes.read(orgId, async () => {
      const resolved = await this.#resolve(orgId);
      const view = await getOrCreateSession(resolved.context);
      if (view.created) this.#log('info', 'session.created', 'Created and started the missing session.', orgId, resolved.context.name);
      return this.#commit(orgId, resolved, view, stream);
    });
  }

  /** `POST`: actions of one organization run one at a time, in arrival order. */
  act(orgId: string, request: SessionActionRequest, stream?: string): Promise<SessionAnswerWire> {
    return this.#lanes.run(orgId, async () => {
      const resolved = await this.#resolve(orgId);
      const { context } = resolved;
      const view = await this.#perform(request, context);
      this.#log('info', 'session.action', `Performed ${request.action}.`, orgId, context.name, {
        action: request.action,
        recreated: view.created === true,
      });
      return this.#commit(orgId, resolved, view, stream, request.action);
    });
  }

  /**
   * Applies a status pushed by WAHA (webhook) to `orgId`'s session: adds the QR
   * or the account, persists, reports the transition and publishes. Never creates
   * or restarts anything. Events for an organization without a stored record, or
   * for another session name than the stored one, are ignored (`null`).
   */
  applyStatus(orgId: string, sessionName: string, status: string, me: WahaMeInfo | null, stream?: string): Promise<SessionAnswerWire | null> {
    return this.#lanes.run(orgId, async () => {
      // Only organizations this server already manages: a webhook never creates a record.
      const stored = await this.#store('get', () => this.#options.store.get(orgId));
      if (!stored) return null;
      const resolved = await this.#resolve(orgId);
      if (resolved.context.name !== sessionName) return null;
      const view = await enrich(resolved.context, status, me);
      return this.#commit(orgId, resolved, view, stream);
    });
  }

  #perform(request: SessionActionRequest, context: RuleContext): Promise<SessionView> {
    switch (request.action) {
      case 'reconnect':
        return reconnectSession(context);
      case 'change_number':
        return changeNumber(context);
      case 'logout':
        return logoutSession(context);
      case 'request_code':
        return requestPairingCode(context, request.phoneNumber);
      default:
        // Unreachable: readActionRequest only lets the known actions through.
        throw new HttpError(400, 'invalid_action', 'Unknown action.');
    }
  }

  async #resolve(orgId: string): Promise<Resolved> {
    const record = await this.#store('get', () => this.#options.store.get(orgId));
    let name = record?.sessionName?.trim() ?? '';
    if (needsHealing(name)) {
      const canonical = canonicalSessionName(this.#options.prefix, orgId);
      if (record) {
        this.#log('warn', 'session.name_healed', `Replaced the stored session name with ${canonical}.`, orgId, canonical, {
          storedName: (record.sessionName ?? '').slice(0, 60),
        });
      }
      name = canonical;
      const healed: SessionRecord = { sessionName: name, connected: record?.connected ?? false };
      await this.#store('set', () => this.#options.store.set(orgId, healed));
      this.#orgBySession.set(name, orgId);
      return { record: healed, context: await this.#context(orgId, name) };
    }
    this.#orgBySession.set(name, orgId);
    return { record, context: await this.#context(orgId, name) };
  }

  async #context(orgId: string, name: string): Promise<RuleContext> {
    return { waha: await this.#options.resolveWaha(orgId), name, createConfig: this.#options.createConfig(orgId) };
  }

  async #commit(orgId: string, resolved: Resolved, view: SessionView, stream: string | undefined, action?: SessionAction): Promise<SessionAnswerWire> {
    const { name } = resolved.context;
    const at = this.#options.clock.now();
    const status = wireStatus(view.status);
    const seen = this.#observe(orgId, name, status, at);
    if (view.created) this.#options.metrics?.connectAttempt(name, at);
    this.#options.metrics?.observeStatus(name, status, at);

    const record = resolved.record;
    // Stopping or restarting does not unlink the phone (WAHA keeps its auth): a linked
    // session stays linked through STOPPED and STARTING, so that a page opened during
    // a flap does not say "not linked" and offer a reconnect that would delete it.
    // A QR, a failure, a new session or any action's answer ends the link.
    const keepsLink = (status === 'STOPPED' || status === 'STARTING') && action === undefined && !view.created;
    const connected = status === 'WORKING' || (keepsLink && record?.connected === true);
    if (!record || record.connected !== connected || record.sessionName !== name) {
      await this.#store('set', () => this.#options.store.set(orgId, { sessionName: name, connected }));
    }
    const answer = toAnswer(view, { sessionName: name, connected, previousStatus: seen.previous, ...(stream ? { stream } : {}) });
    this.#options.hub.publish(orgId, answer);
    return answer;
  }

  #observe(orgId: string, sessionName: string, status: string, at: number): Seen {
    const before = this.#seen.get(sessionName);
    if (before && before.status === status) return before;
    const seen: Seen = { status, previous: before?.status ?? null };
    this.#seen.set(sessionName, seen);
    this.#log('info', 'session.status_changed', `Session status ${seen.previous ?? 'unknown'} → ${status}.`, orgId, sessionName, {
      status,
      previousStatus: seen.previous,
    });
    try {
      this.#options.onTransition?.({ orgId, sessionName, from: seen.previous, to: status, at });
    } catch {
      // A throwing hook must not break the request.
    }
    return seen;
  }

  async #store<T>(operation: 'get' | 'set', work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.#options.log({
        level: 'error',
        event: 'store.error',
        message: `The session store failed to ${operation}.`,
        operation,
        errorName: error instanceof Error ? error.name : typeof error,
      });
      throw new HttpError(500, 'store_error', 'The session could not be saved or loaded.');
    }
  }

  #log(level: LogInput['level'], event: string, message: string, orgId: string, session: string, extra: Record<string, unknown> = {}): void {
    this.#options.log({ level, event, message, orgId, session, ...extra });
  }
}
