import type { SessionStore, SessionRecord } from './sessions.js';
import { LockQueueFull } from './session-locks.js';
import type { SessionLocks } from './session-locks.js';
import type { SimulatorSettings, WahaSessionConfig, WahaStatus } from './types.js';
import {
  alreadyExists,
  alreadyStarted,
  nestError,
  onlyDefaultSession,
  sessionNotFound,
  sessionNotRunning,
  statusNotExpected,
} from './waha-errors.js';

/** What the actions need from the simulator. */
export interface ActionContext {
  store: SessionStore;
  locks: SessionLocks;
  settings(): SimulatorSettings;
  now(): number;
  /** Resolves after `ms` of clock time (at once for `ms <= 0`). */
  sleep(ms: number): Promise<void>;
}

/** The session WAHA Core allows when it allows only one. */
export const DEFAULT_SESSION = 'default';

/** WAHA's `waitUntilStatus` polls every 500 ms (`WAIT_STATUS_INTERVAL`). */
const STATUS_POLL_MS = 500;

/**
 * WAHA's session controllers and `SessionManager`, step by step, with their sleeps on the
 * clock (src/api/sessions.controller.ts, src/core/manager.core.ts): each lifecycle call
 * takes the session's lock, stopping a running session sleeps `stopMs`, unpairing sleeps
 * `unpairMs`; the QR route polls for SCAN_QR_CODE up to `qrWaitMs`. Every sleep is
 * multiplied by the `latency` factor. Refusals are thrown as {@link WahaHttpError}.
 */
export class WahaActions {
  private readonly ctx: ActionContext;

  constructor(ctx: ActionContext) {
    this.ctx = ctx;
  }

  /** `GET /api/sessions/{session}`: the record, or 404 (single-session WAHA: see the quirk). */
  info(name: string): SessionRecord {
    const mode = this.ctx.settings().quirks.singleSession;
    // WAHA 2024.10's getSessionInfo answers null (→ 404) for another name; later Cores throw.
    if (mode === 'core-2024' && name !== DEFAULT_SESSION) throw sessionNotFound();
    this.guard(name);
    const record = this.ctx.store.find(name);
    if (!record) throw sessionNotFound();
    return record;
  }

  /** `GET /api/sessions`: what WAHA lists (single-session WAHA knows only `default`). */
  list(all: boolean): SessionRecord[] {
    const single = this.ctx.settings().quirks.singleSession !== false;
    return this.ctx.store.all().filter((record) => (!single || record.name === DEFAULT_SESSION) && (all || record.status !== 'STOPPED'));
  }

  /** `POST /api/sessions`: 422 for a taken name; starts when asked (or by default with `startOnCreate`). */
  create(name: string, config: WahaSessionConfig | undefined, start: boolean | undefined): Promise<SessionRecord> {
    return this.locked(name, async () => {
      this.guard(name);
      if (this.ctx.store.find(name)) throw alreadyExists(name);
      return this.ctx.store.create(name, config, start ?? this.ctx.settings().quirks.startOnCreate);
    });
  }

  /** `PUT /api/sessions/{session}`: stop (sleeping), store the config, start again if it ran. */
  update(name: string, config: WahaSessionConfig | undefined): Promise<SessionRecord> {
    return this.locked(name, async () => {
      const record = this.existing(name);
      const wasRunning = this.ctx.store.isRunning(record);
      await this.stopRunning(record);
      this.ctx.store.setConfig(name, config);
      if (wasRunning) this.ctx.store.start(name);
      return record;
    });
  }

  /** `DELETE /api/sessions/{session}`: unpair (the phone loses its link), stop, log out, forget. Idempotent. */
  remove(name: string): Promise<void> {
    return this.locked(name, async () => {
      this.guard(name);
      const record = this.ctx.store.find(name);
      if (!record) return;
      await this.unpair(record);
      await this.stopRunning(record);
      this.ctx.store.remove(name);
    });
  }

  /** `POST …/start`: 404 when missing; on a running (even FAILED) session 422 "already started", or nothing. */
  start(name: string): Promise<SessionRecord> {
    return this.locked(name, async () => {
      const record = this.existing(name);
      if (this.ctx.store.isRunning(record) && this.ctx.settings().quirks.alreadyStartedError) throw alreadyStarted(name);
      this.ctx.store.start(name);
      return record;
    });
  }

  /** `POST …/stop`: stops (sleeping) when running; WAHA checks nothing else, so a missing session answers empty. */
  stop(name: string): Promise<SessionRecord | undefined> {
    return this.locked(name, async () => {
      this.guard(name);
      const record = this.ctx.store.find(name);
      if (record) await this.stopRunning(record);
      return record;
    });
  }

  /** `POST …/restart`: stop (sleeping), then start. */
  restart(name: string): Promise<SessionRecord> {
    return this.locked(name, async () => {
      const record = this.existing(name);
      await this.stopRunning(record);
      this.ctx.store.start(name);
      return record;
    });
  }

  /** `POST …/logout`: unpair, stop, drop the auth, start again if it ran (a new QR). */
  logout(name: string): Promise<SessionRecord> {
    return this.locked(name, async () => {
      const record = this.existing(name);
      const wasRunning = this.ctx.store.isRunning(record);
      await this.unpair(record);
      await this.stopRunning(record);
      this.ctx.store.dropAuth(name);
      if (wasRunning) this.ctx.store.start(name);
      return record;
    });
  }

  /** Deprecated `POST /api/sessions/start`: 422 while running, else upsert and start. */
  upsertAndStart(name: string, config: WahaSessionConfig | undefined): Promise<SessionRecord> {
    this.guard(name);
    const running = this.ctx.store.find(name);
    if (running && this.ctx.store.isRunning(running) && this.ctx.settings().quirks.alreadyStartedError) return Promise.reject(alreadyStarted(name));
    return this.locked(name, async () => {
      const record = this.ctx.store.find(name) ?? this.ctx.store.create(name, config, false);
      if (config !== undefined) this.ctx.store.setConfig(name, config);
      this.ctx.store.start(name);
      return record;
    });
  }

  /**
   * WAHA's `getSession` (the `SessionParam` pipe of the QR, `me` and pairing-code routes):
   * with `notRunning404`, a stopped or missing session is a 404 that names it.
   */
  running(name: string): SessionRecord {
    this.guard(name);
    const record = this.ctx.store.find(name);
    if (this.ctx.settings().quirks.notRunning404) {
      if (!record || !this.ctx.store.isRunning(record)) throw sessionNotRunning(name);
      return record;
    }
    if (!record) throw sessionNotFound();
    return record;
  }

  /**
   * WAHA's `waitUntilStatus`: checks now, then every 500 ms × latency until `qrWaitMs` × latency
   * has passed; then 422 `{error, session, status, expected}`.
   */
  async waitForStatus(record: SessionRecord, expected: readonly WahaStatus[]): Promise<void> {
    const { latency, timings } = this.ctx.settings();
    const timeoutMs = timings.qrWaitMs * latency;
    const everyMs = STATUS_POLL_MS * latency;
    const startedAt = this.ctx.now();
    let ok = expected.includes(record.status);
    while (!ok && timeoutMs > 0 && everyMs > 0 && this.ctx.now() - startedAt < timeoutMs) {
      await this.ctx.sleep(everyMs);
      ok = expected.includes(record.status);
    }
    if (!ok) throw statusNotExpected(record.name, record.status, expected);
  }

  private async stopRunning(record: SessionRecord): Promise<void> {
    if (!this.ctx.store.isRunning(record)) return;
    const { timings } = this.ctx.settings();
    // The engine sets STOPPED first, then tears down (WEBJS closes its browser), then WAHA sleeps.
    this.ctx.store.stop(record.name);
    await this.requestSleep(timings.teardownMs + timings.stopMs);
  }

  /** WAHA's `unpair` (2025+): only for a running session; the phone forgets the device, then 1 s. */
  private async unpair(record: SessionRecord): Promise<void> {
    const { timings } = this.ctx.settings();
    if (!this.ctx.store.isRunning(record) || timings.unpairMs === 0) return;
    this.ctx.store.dropAuth(record.name);
    await this.requestSleep(timings.unpairMs);
  }

  private requestSleep(ms: number): Promise<void> {
    return this.ctx.sleep(ms * this.ctx.settings().latency);
  }

  /** The record, or WAHA's 404 "Session not found". */
  private existing(name: string): SessionRecord {
    this.guard(name);
    const record = this.ctx.store.find(name);
    if (!record) throw sessionNotFound();
    return record;
  }

  /** Single-session WAHA: every name but `default` → 422 (`OnlyDefaultSessionIsAllowed`). */
  private guard(name: string): void {
    const mode = this.ctx.settings().quirks.singleSession;
    if (mode !== false && name !== DEFAULT_SESSION) throw onlyDefaultSession(name, mode);
  }

  private async locked<T>(name: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.ctx.locks.run(name, fn);
    } catch (error) {
      if (error instanceof LockQueueFull) throw nestError(422, error.message);
      throw error;
    }
  }
}

