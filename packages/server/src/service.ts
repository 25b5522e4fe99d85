import type { SessionAction, SessionActionRequest, SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { toAnswer, wireStatus } from './answer.js';
import type { SessionBus } from './bus.js';
import type { Clock } from './clock.js';
import type { ResolvedWaha } from './config.js';
import { HttpError, toHttpError } from './errors.js';
import { KeyedLanes } from './lanes.js';
import { isLockBusyError, type ActionLock } from './lock.js';
import type { LogInput } from './logger.js';
import { sessionMetricKey, type ServerMetrics } from './metrics.js';
import { foldObservation, isStale, judgeEvent, newestEventOn, observationChange, type Observation } from './record.js';
import { ActionRun } from './action-run.js';
import {
  changeNumber,
  createSession,
  enrich,
  logoutSession,
  observeSession,
  reconnectSession,
  startExisting,
  requestPairingCode,
  type RuleContext,
  type SessionView,
} from './rules.js';
import { canonicalSessionName, needsHealing } from './session-name.js';
import { SINGLE_SESSION_NAME, SingleSessionWahas } from './single-session.js';
import type { StoreAccess } from './store-access.js';
import type { SessionRecord } from './store.js';
import { wahaFields } from './waha-log.js';
import { isSingleSessionError, isWahaError } from './waha/errors.js';
import type { WahaMeInfo, WahaSessionConfig } from './waha/types.js';
import { ORG_METADATA_KEY, type EventDelivery } from './webhook.js';

/** A change of an organization's session status, as seen by the handler (GETs, actions, webhooks). */
export interface SessionTransition {
  /** The organization. */
  orgId: string;
  /** The WAHA session name. */
  sessionName: string;
  /** The previous status (wire spelling, e.g. `SCAN_QR`), or `null` when the store knew none. */
  from: string | null;
  /** The new status (wire spelling). */
  to: string;
  /** Epoch ms of the observation. */
  at: number;
}

/** What the service needs (built by `createSessionHandler`). */
export interface SessionServiceOptions {
  store: StoreAccess;
  bus: SessionBus;
  lock: ActionLock;
  /**
   * How long an action request waits, in ms: for another action of the same organization
   * (on any instance; then 409 `busy`), and for WAHA (then the pending state is
   * answered and the action finishes in the background).
   */
  answerWithinMs: number;
  resolveWaha: (orgId: string) => Promise<ResolvedWaha>;
  prefix: string;
  clock: Clock;
  log: (input: LogInput) => void;
  onTransition?: ((transition: SessionTransition) => void) | undefined;
  metrics?: ServerMetrics | undefined;
  /** The config a created session carries (metadata, webhooks), for the organization's WAHA: asked at each create. */
  createConfig: (orgId: string, waha: ResolvedWaha) => WahaSessionConfig;
}

/** An organization's session as one request sees it: its stored record and where it lives. */
interface Target {
  orgId: string;
  record: SessionRecord | null;
  /** The organization's WAHA, resolved once for the request. */
  waha: ResolvedWaha;
  context: RuleContext;
  /** This request made the organization the owner of its single-session WAHA. */
  claimed: boolean;
}

/** What a read ({@link SessionService.read}) may be given besides the organization. */
export interface ReadOptions {
  /** The stream URL the answer advertises (a `GET`'s; answers on a stream carry none). */
  stream?: string | undefined;
  /** The organization's WAHA, when the caller resolved it already (a stream's opening or refresh). */
  waha?: ResolvedWaha | undefined;
}

/** What an action ({@link SessionService.act}) may be given besides the organization and the request. */
export interface ActOptions {
  /** The stream URL the answer advertises (the `POST`'s). */
  stream?: string | undefined;
  /** Receives the action's work when it outlives the answer (`waitUntil`, for hosts that freeze after the response). */
  keepAlive?: ((work: Promise<unknown>) => void) | undefined;
}

/** What a commit knows besides the view. */
type CommitFlags = Pick<Observation, 'readSince' | 'event'>;

/** The answer of a request: the organization's state plus the request's own stream URL. */
const withStream = (answer: SessionAnswerWire, stream: string | undefined): SessionAnswerWire =>
  stream ? { ...answer, stream } : answer;

/**
 * What an action's request answers while WAHA is still busy with it: the session is
 * (re)starting; a `reconnect` (a start or a restart) keeps a linked phone linked, the
 * other actions end the link.
 */
function pendingAnswer(target: Target, action: SessionAction): SessionAnswerWire {
  const connected = action === 'reconnect' && target.record?.connected === true;
  return { status: 'STARTING', sessionName: target.context.name, connected };
}

/**
 * How far ahead of this server's clock a WAHA event's timestamp may be, in ms: further
 * (a WAHA clock set wrong, a forged date) it counts as no timestamp.
 */
const MAX_EVENT_AHEAD_MS = 5 * 60_000;

/** Identical actions coalesce: the same action with the same arguments. */
function actionKey(request: SessionActionRequest): string {
  return request.action === 'request_code' ? `${request.action}:${request.phoneNumber}` : request.action;
}

/**
 * The session rules of SPEC section 5 for every organization: naming, healing,
 * persistence, single-flight actions, transitions. Everything another instance needs
 * lives in the store's record; this process keeps only in-flight work (shared reads,
 * coalesced identical actions).
 */
export class SessionService {
  readonly #options: SessionServiceOptions;
  readonly #lanes = new KeyedLanes();
  /** In-flight actions by organization and {@link actionKey}: identical concurrent actions share one run. */
  readonly #actions = new Map<string, ActionRun>();
  /** The action of each organization that is changing its session in this process (reads answer its pending state). */
  readonly #changing = new Map<string, ActionRun>();
  readonly #singleSession: SingleSessionWahas;

  constructor(options: SessionServiceOptions) {
    this.#options = options;
    this.#singleSession = new SingleSessionWahas({
      store: options.store,
      clock: options.clock,
      wahaUrlOf: async (orgId) => (await options.resolveWaha(orgId)).url,
      ownerInWaha: async (waha) => {
        const info = await waha.client.getSession(SINGLE_SESSION_NAME);
        const owner = info?.config?.metadata?.[ORG_METADATA_KEY];
        return typeof owner === 'string' ? owner : null;
      },
    });
  }

  /**
   * The organization whose session `sessionName` (on the WAHA at `wahaUrl`, when known)
   * is: the one WAHA names in the session's metadata, else the store's, else `undefined`.
   * A claim, not a proof: the webhook receiver checks it against the WAHA it came from.
   */
  async organizationOf(sessionName: string, claimed: string | undefined, wahaUrl?: string): Promise<string | undefined> {
    if (claimed) return claimed;
    return (await this.#options.store.findOrganization(sessionName, wahaUrl ?? null)) ?? undefined;
  }

  /**
   * `GET`: concurrent reads of one organization share one WAHA round trip. While an
   * action of this process changes the session, its pending state is the answer (not
   * WAHA's half-done one). A missing session is created — under the action lock, so
   * never in the middle of another instance's action — and WAHA's single-session
   * `default`, found STOPPED as WAHA boots it, is started for its new owner. See
   * {@link ReadOptions} for `stream` and `waha`.
   */
  read(orgId: string, { stream, waha }: ReadOptions = {}): Promise<SessionAnswerWire> {
    const pending = this.#changing.get(orgId)?.pending;
    if (pending) return Promise.resolve(withStream(pending, stream));
    return this.#lanes
      .read(orgId, () =>
        this.#withTarget(orgId, async (target) => {
          const readSince = this.#options.clock.now();
          let view = await observeSession(target.context);
          if (view.status === null) view = await this.#createUnlessBusy(target);
          else if (view.status === 'STOPPED' && target.claimed) view = await startExisting(target.context);
          if (view.created) this.#log('info', 'session.created', 'Created and started the missing session.', orgId, target.context.name);
          return this.#commit(target, view, { readSince });
        }, waha),
      )
      .then((answer) => withStream(answer, stream));
  }

  /**
   * `POST`: one action per organization at a time, on every instance (the
   * {@link ActionLock}); identical concurrent actions of this process share one run.
   * The request waits `answerWithinMs` at most; then it answers the pending state and
   * the action finishes in the background (`keepAlive` receives it, for hosts that
   * freeze after the response). `request_code` always waits: its answer is the code.
   * See {@link ActOptions} for `stream` and `keepAlive`.
   */
  async act(orgId: string, request: SessionActionRequest, { stream, keepAlive }: ActOptions = {}): Promise<SessionAnswerWire> {
    const key = `${orgId}\u0000${actionKey(request)}`;
    let run = this.#actions.get(key);
    if (!run) {
      const started = new ActionRun((self) => this.#lockedAction(orgId, request, self));
      this.#actions.set(key, started);
      const forget = () => {
        if (this.#actions.get(key) === started) this.#actions.delete(key);
      };
      started.outcome.then(forget, forget);
      run = started;
    }
    if (request.action === 'request_code') return withStream(await run.outcome, stream);
    const { answer, pending } = await run.within(this.#options.answerWithinMs, this.#options.clock);
    if (pending && run.detach()) this.#continueInBackground(orgId, request.action, run, keepAlive);
    return withStream(answer, stream);
  }

  /**
   * Applies a status pushed by WAHA (webhook) to `orgId`'s session. Duplicates and
   * events older than the newest applied one are ignored; an event that says
   * something else than the record is confirmed with one read of the session in WAHA,
   * and what WAHA says is applied (so a late STARTING after WORKING changes nothing).
   * Then like any observation: QR or account added, persisted, transition reported,
   * published. Never creates or restarts anything. Events for an organization without
   * a stored record, or for another session name than the stored one, are ignored
   * (`null`), and so is a confirmation that finds no session (an action may be
   * recreating it). `waha` is the organization's WAHA, as the receiver resolved it.
   */
  applyStatus(orgId: string, waha: ResolvedWaha, sessionName: string, status: string, me: WahaMeInfo | null, stamped: EventDelivery): Promise<SessionAnswerWire | null> {
    return this.#lanes.run(orgId, async () => {
      let delivery = stamped;
      if (delivery.timestamp !== null && delivery.timestamp > this.#options.clock.now() + MAX_EVENT_AHEAD_MS) {
        // Kept as the newest, it would make every later event "stale" until that date: read as unstamped (confirmed).
        this.#log('warn', 'webhook.future_timestamp', "Read a WAHA event stamped in the future as unstamped: check that WAHA's clock is right.", orgId, sessionName, {
          aheadMs: delivery.timestamp - this.#options.clock.now(),
        });
        delivery = { ...delivery, timestamp: null };
      }
      const target = await this.#target(orgId, waha);
      const { record } = target;
      // Only organizations this server already manages: a webhook never creates a record.
      if (!record || target.context.name !== sessionName) return null;
      // The newest event of a WAHA the organization left says nothing about the order of its new one's.
      const said = wireStatus(status);
      const judgement = judgeEvent({ ...record, ...newestEventOn(record, target.waha.url) }, { ...delivery, status: said });
      if (judgement === 'duplicate' || judgement === 'stale') {
        this.#log('debug', `webhook.${judgement}`, judgement === 'duplicate' ? 'Ignored a repeated WAHA event.' : 'Ignored a WAHA event older than the newest applied one.', orgId, sessionName, {
          status: said,
          ...(delivery.id === null ? {} : { eventId: delivery.id }),
        });
        return null;
      }
      const readSince = this.#options.clock.now();
      const view = judgement === 'confirm' ? await observeSession(target.context) : await enrich(target.context, status, me);
      if (view.status === null) return null;
      return this.#commit(target, view, { readSince, event: delivery });
    });
  }

  /** Remembers the last failure of an organization (best effort: the store may be what failed). */
  async recordFailure(orgId: string, code: string): Promise<void> {
    try {
      await this.#options.store.update(orgId, (current) => (current && current.lastError !== code ? { ...current, lastError: code } : null));
    } catch {
      // Logged by the store access; the request's own error is what matters.
    }
  }

  async #lockedAction(orgId: string, request: SessionActionRequest, run: ActionRun): Promise<SessionAnswerWire> {
    try {
      return await this.#options.lock.run(
        orgId,
        () =>
          this.#withTarget(orgId, async (target) => {
            const readSince = this.#options.clock.now();
            target.context.onChange = () => {
              const pending = pendingAnswer(target, request.action);
              run.changing(pending);
              this.#changing.set(orgId, run);
              void this.#options.bus.publish(orgId, pending);
            };
            try {
              const view = await this.#perform(request, target.context);
              this.#log('info', 'session.action', `Performed ${request.action}.`, orgId, target.context.name, {
                action: request.action,
                recreated: view.created === true,
                ...(view.repair ? { repair: view.repair } : {}),
              });
              return await this.#commit(target, view, { readSince }, request.action);
            } finally {
              if (this.#changing.get(orgId) === run) this.#changing.delete(orgId);
            }
          }),
        { waitMs: this.#options.answerWithinMs },
      );
    } catch (error) {
      if (!isLockBusyError(error)) throw error;
      throw new HttpError(409, 'busy', 'Another action on this WhatsApp session is still running. Try again in a moment.');
    }
  }

  /** An action whose request answered its pending state: kept alive, and its failure logged and re-read. */
  #continueInBackground(orgId: string, action: SessionAction, run: ActionRun, keepAlive: ((work: Promise<unknown>) => void) | undefined): void {
    this.#options.log({ level: 'info', event: 'session.action_pending', message: `Answered while ${action} goes on: WAHA is slow.`, orgId, action });
    const finished = run.outcome.then(
      () => {},
      async (error: unknown) => {
        this.#options.log({ level: 'error', event: 'session.action_failed', message: `${action} failed after its request was answered.`, orgId, action, ...wahaFields(error) });
        if (isWahaError(error)) await this.recordFailure(orgId, toHttpError(error).code);
        // The streams were told the pending state: tell them what WAHA says now.
        await this.read(orgId).catch(() => {});
      },
    );
    try {
      keepAlive?.(finished);
    } catch {
      // The host's hook must not break the answer.
    }
  }

  /**
   * Creates a missing session unless an action of the organization holds its lock (on
   * any instance): that action is (re)creating it, so its state is the answer.
   */
  async #createUnlessBusy(target: Target): Promise<SessionView> {
    try {
      return await this.#options.lock.run(target.orgId, () => createSession(target.context), { waitMs: 0 });
    } catch (error) {
      if (!isLockBusyError(error)) throw error;
      return { status: 'STARTING' };
    }
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

  /**
   * Runs `work` on the organization's session. When WAHA answers that it allows only
   * the session `default`, the organization claims that WAHA (or is refused with 409
   * `waha_single_session` when another organization owns it) and `work` runs again on
   * `default`. `waha`: the organization's WAHA, when the caller resolved it already.
   */
  async #withTarget<T>(orgId: string, work: (target: Target) => Promise<T>, waha?: ResolvedWaha): Promise<T> {
    const target = await this.#target(orgId, waha);
    try {
      return await work(target);
    } catch (error) {
      if (!isSingleSessionError(error) || target.context.name === SINGLE_SESSION_NAME) throw error;
      this.#log('warn', 'waha.single_session', "This organization's WAHA accepts only the session default (WAHA Core before 2026.6.1).", orgId, target.context.name, wahaFields(error));
      this.#singleSession.remember(target.waha.url);
      const claimed = await this.#singleSession.claim(orgId, target.waha);
      return work({ ...(await this.#target(orgId, target.waha)), claimed });
    }
  }

  /**
   * The organization's session name and WAHA: `default` where it owns a single-session
   * WAHA; the stored name when valid; else (missing, empty, `default` elsewhere) the
   * canonical `<prefix>_<orgId>`. Another organization's single-session WAHA is refused
   * here, without a WAHA call, once this process knows it. `known`: the organization's
   * WAHA when the request resolved it already (resolveWahaConfig is the integrator's
   * code, often a database read: once per request).
   */
  async #target(orgId: string, known?: ResolvedWaha): Promise<Target> {
    const record = await this.#options.store.get(orgId);
    const waha = known ?? (await this.#options.resolveWaha(orgId));
    const stored = record?.sessionName?.trim() ?? '';
    let name = stored;
    let claimed = false;
    const owns = stored === SINGLE_SESSION_NAME && record?.wahaUrl === waha.url;
    if (!owns && this.#singleSession.isKnown(waha.url)) {
      claimed = await this.#singleSession.claim(orgId, waha);
      name = SINGLE_SESSION_NAME;
    } else if (needsHealing(stored, { singleSession: owns })) {
      name = canonicalSessionName(this.#options.prefix, orgId);
      if (record) {
        this.#log('warn', 'session.name_healed', `Replaced the stored session name with ${name}.`, orgId, name, {
          storedName: (record.sessionName ?? '').slice(0, 60),
        });
      }
    }
    const onEscalation = (step: string, error: unknown): void =>
      this.#log('warn', 'session.repair_escalated', 'WAHA could not restart the session: deleting and creating it (the phone must scan again).', orgId, name, {
        step,
        ...wahaFields(error),
      });
    return { orgId, record, waha, claimed, context: { waha: waha.client, name, createConfig: () => this.#options.createConfig(orgId, waha), onEscalation } };
  }

  /**
   * Folds the view into the organization's record (one atomic update, only when
   * something changed), reports the transition when this update is the one that
   * changed the stored status, and publishes the answer to every instance's streams.
   */
  async #commit(target: Target, view: SessionView, flags: CommitFlags, action?: SessionAction): Promise<SessionAnswerWire> {
    const { orgId } = target;
    const name = target.context.name;
    const at = this.#options.clock.now();
    const status = wireStatus(view.status);
    const observation: Observation = {
      sessionName: name,
      wahaUrl: target.waha.url,
      status,
      at,
      ...flags,
      ...(view.created ? { created: true } : {}),
      ...(view.unlinked ? { unlinked: true } : {}),
      ...(view.restarted ? { restarted: true } : {}),
    };
    const change = observationChange(observation);
    let current = target.record;
    let written = false;
    if (change(current) !== null) {
      const result = await this.#options.store.update(orgId, change);
      current = result.after;
      written = result.written;
      const from = result.before?.status ?? null;
      if (written && from !== status) this.#transition(orgId, name, from, status, at);
    }
    const metricKey = sessionMetricKey(name, target.waha.url);
    if (view.created) this.#options.metrics?.connectAttempt(metricKey, at);
    this.#options.metrics?.observeStatus(metricKey, status, at);

    const record = foldObservation(current, observation);
    const answer = toAnswer(view, { sessionName: name, connected: record.connected, reason: record.reason ?? null });
    // Streams hear of a change (and of a QR, which may rotate within SCAN_QR); an
    // observation older than the stored state is answered to its caller only.
    const stale = !written && isStale(current, observation);
    const news = written || status === 'SCAN_QR' || answer.pairingCode !== undefined || action !== undefined || flags.event !== undefined;
    if (!stale && news) {
      await this.#options.bus.publish(orgId, answer);
    }
    return answer;
  }

  #transition(orgId: string, sessionName: string, from: string | null, to: string, at: number): void {
    this.#log('info', 'session.status_changed', `Session status ${from ?? 'unknown'} → ${to}.`, orgId, sessionName, {
      status: to,
      previousStatus: from,
    });
    try {
      this.#options.onTransition?.({ orgId, sessionName, from, to, at });
    } catch {
      // A throwing hook must not break the request.
    }
  }

  #log(level: LogInput['level'], event: string, message: string, orgId: string, session: string, extra: Record<string, unknown> = {}): void {
    this.#options.log({ level, event, message, orgId, session, ...extra });
  }
}
