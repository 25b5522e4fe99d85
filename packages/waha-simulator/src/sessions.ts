import type { SimulatorClock } from './clock.js';
import type { Scheduler, ScheduledTask } from './scheduler.js';
import { SimulatorError } from './errors.js';
import { newPairingCode, newPasskeyCode, newQrValue } from './identifiers.js';
import type {
  FlapOptions,
  PasskeyOptions,
  SimAccount,
  SimSessionView,
  SimulatorSettings,
  WahaMeInfo,
  WahaSessionConfig,
  WahaStatus,
  WahaStatusPoint,
} from './types.js';

/** WAHA's rule for session names. */
export const SESSION_NAME_PATTERN = /^[a-zA-Z0-9_-]*$/;
/** WAHA's longest session name. */
export const SESSION_NAME_MAX_LENGTH = 54;
/** How many status points a session keeps (a flapping session must not grow without bound). */
export const STATUS_HISTORY_LIMIT = 50;

const DEFAULT_ACCOUNT = { phone: '12132132130', pushName: 'Simulated Phone' } as const;
const RUNNING: readonly WahaStatus[] = ['STARTING', 'SCAN_QR_CODE', 'PASSKEY_REQUIRED', 'PASSKEY_CONFIRMATION_REQUIRED', 'WORKING'];
const LINKING: readonly WahaStatus[] = ['SCAN_QR_CODE', 'PASSKEY_REQUIRED', 'PASSKEY_CONFIRMATION_REQUIRED'];

interface FlapState {
  /** Drops still to come. */
  left: number;
  intervalMs: number;
  via: WahaStatus;
}

/** The mutable state of one session. Never handed out: callers get {@link SimSessionView}s. */
export interface SessionRecord {
  readonly name: string;
  config: WahaSessionConfig | undefined;
  status: WahaStatus;
  /** The phone's auth; kept across stop/restart like WAHA's stored credentials. */
  account: WahaMeInfo | null;
  qr: string | null;
  qrIndex: number;
  qrExpiresAt: number | null;
  pairingCode: string | null;
  pairingPhone: string | null;
  /** The GOWS passkey step in progress, otherwise null. */
  passkey: { confirmation: boolean; code: string | null } | null;
  /** False while WEBJS is WORKING but does not know the account yet (`meDelayMs`). */
  meReady: boolean;
  statuses: WahaStatusPoint[];
  failureReason: string | null;
  flap: FlapState | null;
  /** The one pending step of this session (never more: each transition replaces it). */
  step: ScheduledTask | null;
  lastActivity: number;
}

/** What the store needs from its owner. */
export interface SessionStoreDeps {
  clock: SimulatorClock;
  /** Runs the delayed steps (one clock timer for all sessions). */
  scheduler: Scheduler;
  /** The live settings (a profile switch applies to the next steps). */
  settings(): SimulatorSettings;
  /** Called after every status change (and on each QR rotation, like WAHA re-sends SCAN_QR_CODE). */
  onStatus(record: SessionRecord): void;
}

/**
 * The simulated sessions and their lifecycle on the clock. Each session owns at most one
 * pending step; every transition cancels the previous one first, so no stale step can run.
 */
export class SessionStore {
  private readonly records = new Map<string, SessionRecord>();
  private readonly deps: SessionStoreDeps;

  constructor(deps: SessionStoreDeps) {
    this.deps = deps;
  }

  /** Number of sessions. */
  get size(): number {
    return this.records.size;
  }

  /** Number of sessions with a pending step. */
  pendingSteps(): number {
    let count = 0;
    for (const record of this.records.values()) if (record.step) count += 1;
    return count;
  }

  /** The record, or undefined. */
  find(name: string): SessionRecord | undefined {
    return this.records.get(name);
  }

  /** The record, or a `SESSION_NOT_FOUND` error. */
  get(name: string): SessionRecord {
    const record = this.records.get(name);
    if (!record) throw new SimulatorError('SESSION_NOT_FOUND', `Session "${name}" does not exist`, { session: name });
    return record;
  }

  /** All records, in creation order. */
  all(): SessionRecord[] {
    return [...this.records.values()];
  }

  /** Creates a STOPPED session (then starts it when `start`). Throws on a bad or taken name. */
  create(name: string, config: WahaSessionConfig | undefined, start: boolean): SessionRecord {
    assertValidName(name);
    if (this.records.has(name)) {
      throw new SimulatorError('SESSION_EXISTS', `Session '${name}' already exists. Use PUT to update it.`, { session: name });
    }
    const now = this.deps.clock.now();
    const record: SessionRecord = {
      name,
      config,
      status: 'STOPPED',
      account: null,
      qr: null,
      qrIndex: 0,
      qrExpiresAt: null,
      pairingCode: null,
      pairingPhone: null,
      passkey: null,
      meReady: true,
      statuses: [{ status: 'STOPPED', timestamp: now }],
      failureReason: null,
      flap: null,
      step: null,
      lastActivity: now,
    };
    this.records.set(name, record);
    if (start) this.start(name);
    return record;
  }

  /** Stops (STOPPED is announced when it was running) and forgets the session. False when it did not exist. */
  remove(name: string): boolean {
    const record = this.records.get(name);
    if (!record) return false;
    this.toStopped(record);
    this.records.delete(name);
    return true;
  }

  /** Replaces the config; a running session restarts, like WAHA. */
  updateConfig(name: string, config: WahaSessionConfig | undefined): SessionRecord {
    const record = this.get(name);
    record.config = config;
    if (record.status !== 'STOPPED') this.restart(name);
    return record;
  }

  /** Replaces the config without touching the lifecycle (WAHA's `upsert`). */
  setConfig(name: string, config: WahaSessionConfig | undefined): SessionRecord {
    const record = this.get(name);
    record.config = config;
    return record;
  }

  /** Forgets the phone's auth (WAHA's unpair and `logout` of the stored credentials); the status is left alone. */
  dropAuth(name: string): SessionRecord {
    const record = this.get(name);
    record.account = null;
    return record;
  }

  /** Starts a STOPPED or FAILED session; idempotent while it runs. */
  start(name: string): SessionRecord {
    const record = this.get(name);
    if (RUNNING.includes(record.status)) return record;
    this.enterStarting(record);
    return record;
  }

  /** Stops the session (idempotent); keeps its auth. */
  stop(name: string): SessionRecord {
    const record = this.get(name);
    this.toStopped(record);
    return record;
  }

  /** Always stop, then start. */
  restart(name: string): SessionRecord {
    const record = this.get(name);
    this.toStopped(record);
    this.enterStarting(record);
    return record;
  }

  /** Drops the phone's auth; a session that was not STOPPED restarts and shows a new QR. */
  logout(name: string): SessionRecord {
    const record = this.get(name);
    record.account = null;
    if (record.status !== 'STOPPED') {
      this.toStopped(record);
      this.enterStarting(record);
    }
    return record;
  }

  /** The phone scanned the QR (or typed the pairing code, or finished a passkey step): → WORKING. */
  scan(name: string, account: SimAccount = {}): SessionRecord {
    const record = this.get(name);
    assertStatus(record, LINKING, 'scan');
    this.link(record, account);
    return record;
  }

  /** GOWS: WhatsApp asks the user for a passkey after the scan: SCAN_QR_CODE → PASSKEY_REQUIRED. */
  requirePasskey(name: string, options: PasskeyOptions = {}): SessionRecord {
    const record = this.get(name);
    assertStatus(record, ['SCAN_QR_CODE'], 'require a passkey');
    this.cancelTimer(record);
    record.passkey = { confirmation: options.confirmation ?? false, code: null };
    this.transition(record, 'PASSKEY_REQUIRED');
    this.schedulePasskeyTimeout(record);
    return record;
  }

  /** The passkey assertion arrived: → PASSKEY_CONFIRMATION_REQUIRED when a code must be compared, else WORKING. */
  submitPasskey(name: string): SessionRecord {
    const record = this.get(name);
    assertStatus(record, ['PASSKEY_REQUIRED'], 'submit a passkey');
    const passkey = record.passkey ?? { confirmation: false, code: null };
    if (!passkey.confirmation) {
      this.link(record, {});
      return record;
    }
    passkey.code = newPasskeyCode();
    this.transition(record, 'PASSKEY_CONFIRMATION_REQUIRED');
    this.schedulePasskeyTimeout(record);
    return record;
  }

  /** The user confirmed the passkey code: PASSKEY_CONFIRMATION_REQUIRED → WORKING. */
  confirmPasskey(name: string): SessionRecord {
    const record = this.get(name);
    assertStatus(record, ['PASSKEY_CONFIRMATION_REQUIRED'], 'confirm a passkey');
    this.link(record, {});
    return record;
  }

  /** Hands out a pairing code; only in SCAN_QR_CODE. The QR keeps rotating meanwhile. */
  requestCode(name: string, phoneNumber: string): string {
    const record = this.get(name);
    assertStatus(record, ['SCAN_QR_CODE'], 'request a pairing code');
    record.pairingCode = newPairingCode();
    record.pairingPhone = phoneNumber.replace(/\D/g, '') || null;
    return record.pairingCode;
  }

  /** The phone removed the linked device: WORKING → FAILED, auth dropped. */
  unlink(name: string): SessionRecord {
    const record = this.get(name);
    assertStatus(record, ['WORKING'], 'unlink');
    record.account = null;
    this.toFailed(record, 'unlinked');
    return record;
  }

  /**
   * Forces FAILED from any status; auth is kept (a restart may recover, like WAHA advises).
   * Like WAHA's engines after a transient failure, the session restarts itself
   * `failedRestartMs` later (never with `Infinity`).
   */
  fail(name: string, reason = 'failed'): SessionRecord {
    const record = this.get(name);
    this.toFailed(record, reason);
    const restartMs = this.timings().failedRestartMs;
    if (restartMs !== Number.POSITIVE_INFINITY) this.schedule(record, restartMs, () => this.enterStarting(record));
    return record;
  }

  /** True unless STOPPED: WAHA holds an engine for the session (a FAILED one too). */
  isRunning(record: SessionRecord): boolean {
    return record.status !== 'STOPPED';
  }

  /** The account WAHA reports in `SessionInfo.me` and `GET …/me`: while WORKING, once the engine knows it. */
  me(record: SessionRecord): WahaMeInfo | null {
    return record.status === 'WORKING' && record.meReady && record.account ? { ...record.account } : null;
  }

  /**
   * The account in webhook envelopes: NOWEB and GOWS read it from the stored credentials
   * (known whenever the phone is linked); WEBJS from the browser, only once it is ready.
   */
  webhookMe(record: SessionRecord): WahaMeInfo | null {
    if (this.deps.settings().engine === 'WEBJS') return this.me(record);
    return record.account ? { ...record.account } : null;
  }

  /** WORKING ↔ `via` `times` times, `intervalMs` in each state, ending WORKING. Needs WORKING. */
  flap(name: string, options: FlapOptions = {}): SessionRecord {
    const record = this.get(name);
    assertStatus(record, ['WORKING'], 'flap');
    const times = options.times ?? 3;
    const intervalMs = options.intervalMs ?? 1000;
    if (!Number.isInteger(times) || times < 0) throw new SimulatorError('INVALID_ARGUMENT', 'times must be an integer >= 0');
    if (!Number.isFinite(intervalMs) || intervalMs < 0) throw new SimulatorError('INVALID_ARGUMENT', 'intervalMs must be >= 0');
    if (times === 0) return record;
    record.flap = { left: times, intervalMs, via: options.via ?? 'STOPPED' };
    this.flapDown(record);
    return record;
  }

  /** Cancels every pending step; the store must not be used afterwards. */
  dispose(): void {
    for (const record of this.records.values()) {
      this.cancelTimer(record);
      record.flap = null;
    }
  }

  /** A detached snapshot for callers. */
  view(record: SessionRecord): SimSessionView {
    return {
      name: record.name,
      status: record.status,
      me: this.me(record),
      linked: record.account !== null,
      qr: record.qr,
      qrIndex: record.qrIndex,
      qrExpiresAt: record.qrExpiresAt,
      pairingCode: record.pairingCode,
      passkeyCode: record.passkey?.code ?? null,
      config: record.config === undefined ? undefined : structuredClone(record.config),
      statuses: record.statuses.map((point) => ({ ...point })),
      failureReason: record.failureReason,
      flapsLeft: record.flap?.left ?? 0,
      lastActivity: record.lastActivity,
    };
  }

  // --- transitions -------------------------------------------------------------------

  private timings(): SimulatorSettings['timings'] {
    return this.deps.settings().timings;
  }

  private enterStarting(record: SessionRecord): void {
    this.clearPhase(record);
    this.transition(record, 'STARTING');
    this.schedule(record, this.timings().startingMs, () => this.afterStarting(record));
  }

  private afterStarting(record: SessionRecord): void {
    if (record.account) {
      this.enterWorking(record);
      return;
    }
    this.showQr(record, 1, this.timings().firstQrMs);
  }

  /** Links the account (the scan's, else the pairing phone's, else the default) and enters WORKING. */
  private link(record: SessionRecord, account: SimAccount): void {
    const phone = account.phone ?? record.pairingPhone ?? DEFAULT_ACCOUNT.phone;
    record.account = { id: `${phone}@c.us`, pushName: account.pushName ?? DEFAULT_ACCOUNT.pushName };
    this.clearPhase(record);
    this.enterWorking(record);
  }

  /**
   * WORKING. With `meDelayMs` (WEBJS) it comes twice, as WAHA's status setter emits on
   * AUTHENTICATED and again on READY: first with `me` unknown, then with it.
   */
  private enterWorking(record: SessionRecord): void {
    const delayMs = this.timings().meDelayMs;
    record.meReady = delayMs === 0;
    this.transition(record, 'WORKING');
    if (delayMs === 0) return;
    this.schedule(record, delayMs, () => {
      record.meReady = true;
      this.transition(record, 'WORKING');
    });
  }

  private schedulePasskeyTimeout(record: SessionRecord): void {
    this.schedule(record, this.timings().passkeyTimeoutMs, () => this.toFailed(record, 'passkey-timeout'));
  }

  private showQr(record: SessionRecord, index: number, lifetimeMs: number): void {
    record.qr = newQrValue();
    record.qrIndex = index;
    record.qrExpiresAt = this.deps.clock.now() + lifetimeMs;
    this.transition(record, 'SCAN_QR_CODE');
    this.schedule(record, lifetimeMs, () => this.afterQr(record));
  }

  private afterQr(record: SessionRecord): void {
    if (record.qrIndex < this.timings().maxQrs) {
      this.showQr(record, record.qrIndex + 1, this.timings().nextQrMs);
    } else {
      this.toFailed(record, 'qr-expired');
    }
  }

  private flapDown(record: SessionRecord): void {
    const flap = record.flap;
    if (!flap) return;
    flap.left -= 1;
    this.transition(record, flap.via);
    this.schedule(record, flap.intervalMs, () => this.flapUp(record));
  }

  private flapUp(record: SessionRecord): void {
    const flap = record.flap;
    if (!flap) return;
    // The engine stayed logged in while flapping: it knows the account at once.
    record.meReady = true;
    this.transition(record, 'WORKING');
    if (flap.left > 0) {
      this.schedule(record, flap.intervalMs, () => this.flapDown(record));
    } else {
      record.flap = null;
    }
  }

  private toStopped(record: SessionRecord): void {
    this.clearPhase(record);
    if (record.status !== 'STOPPED') this.transition(record, 'STOPPED');
  }

  private toFailed(record: SessionRecord, reason: string): void {
    this.clearPhase(record);
    record.failureReason = reason;
    this.transition(record, 'FAILED');
  }

  /** Leaves whatever phase the session was in: no timer, no QR, no flap, no passkey step. */
  private clearPhase(record: SessionRecord): void {
    this.cancelTimer(record);
    record.flap = null;
    record.passkey = null;
    record.meReady = true;
    record.qr = null;
    record.qrIndex = 0;
    record.qrExpiresAt = null;
    record.pairingCode = null;
    record.pairingPhone = null;
    record.failureReason = null;
  }

  private transition(record: SessionRecord, status: WahaStatus): void {
    const now = this.deps.clock.now();
    record.status = status;
    if (status !== 'SCAN_QR_CODE') {
      record.qr = null;
      record.qrIndex = 0;
      record.qrExpiresAt = null;
    }
    // A passkey step still belongs to the same linking attempt: it keeps the pairing phone.
    if (!LINKING.includes(status)) {
      record.pairingCode = null;
      record.pairingPhone = null;
    }
    if (status !== 'FAILED') record.failureReason = null;
    if (status !== 'PASSKEY_REQUIRED' && status !== 'PASSKEY_CONFIRMATION_REQUIRED') record.passkey = null;
    record.lastActivity = now;
    record.statuses.push({ status, timestamp: now });
    if (record.statuses.length > STATUS_HISTORY_LIMIT) record.statuses.splice(0, record.statuses.length - STATUS_HISTORY_LIMIT);
    this.deps.onStatus(record);
  }

  private schedule(record: SessionRecord, ms: number, step: () => void): void {
    this.cancelTimer(record);
    const task = this.deps.scheduler.schedule(ms, () => {
      if (record.step === task) record.step = null;
      step();
    });
    record.step = task;
  }

  private cancelTimer(record: SessionRecord): void {
    if (!record.step) return;
    this.deps.scheduler.cancel(record.step);
    record.step = null;
  }
}

/** Throws `INVALID_NAME` unless WAHA would accept the name. */
export function assertValidName(name: string): void {
  if (!SESSION_NAME_PATTERN.test(name) || name.length > SESSION_NAME_MAX_LENGTH || name.length === 0) {
    throw new SimulatorError(
      'INVALID_NAME',
      `Invalid session name '${name}': use only letters, digits, '_' and '-', at most ${SESSION_NAME_MAX_LENGTH} characters`,
      { session: name },
    );
  }
}

function assertStatus(record: SessionRecord, expected: readonly WahaStatus[], action: string): void {
  if (!expected.includes(record.status)) {
    throw new SimulatorError(
      'INVALID_STATUS',
      `Cannot ${action}: session "${record.name}" is ${record.status}, expected ${expected.join(' or ')}`,
      { session: record.name, status: record.status, expected },
    );
  }
}
