import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { realClock } from './clock.js';
import type { SimulatorClock } from './clock.js';
import { CONTROL_PREFIX, routeControl } from './control-routes.js';
import { SimulatorError } from './errors.js';
import { Reply } from './http.js';
import { Scheduler } from './scheduler.js';
import type { ScheduledTask } from './scheduler.js';
import { SessionLocks } from './session-locks.js';
import { SessionStore } from './sessions.js';
import type { SessionRecord } from './sessions.js';
import { copySettings, resolveSettings } from './settings.js';
import type { RequestLogEntry, WahaSimulator } from './simulator-types.js';
import type {
  FlapOptions,
  PasskeyOptions,
  SimAccount,
  SimSessionView,
  SimulatorOptions,
  SimulatorSettings,
  SimulatorSettingsUpdate,
  SimulatorTimings,
  WahaSessionConfig,
} from './types.js';
import { DEFAULT_SESSION, WahaActions } from './waha-actions.js';
import { onlyDefaultSession } from './waha-errors.js';
import { routeWahaApi } from './waha-routes.js';
import { sessionStatusEvent, webhookTargets } from './webhook-events.js';
import type { WahaEnvironment } from './webhook-events.js';
import { WebhookSender } from './webhooks.js';
import type { WebhookDeliveryOptions, WebhookStats } from './webhooks.js';

/** The default API key. */
export const DEFAULT_API_KEY = 'simulator-key';
/** How many request log entries are kept. */
export const REQUEST_LOG_LIMIT = 10_000;

/**
 * Creates a WAHA simulator. Nothing listens until {@link WahaSimulator.listen}; the
 * handler can also be mounted in another server with {@link WahaSimulator.handle}.
 * Without a `profile` it imitates WAHA Core 2026.7.1 on NOWEB with WAHA's real latencies;
 * unit tests that need speed pass `profile: 'fast'`.
 *
 * @example
 * ```ts
 * const sim = createWahaSimulator({ profile: 'fast', timings: { startingMs: 100 } });
 * const url = await sim.listen();
 * await fetch(`${url}/api/sessions`, { method: 'POST', headers: { 'x-api-key': 'simulator-key', 'content-type': 'application/json' }, body: '{"name":"default","start":true}' });
 * // … later, when the session shows its QR:
 * sim.scan('default', { phone: '5215512345678', pushName: 'Ana' });
 * await sim.close();
 * ```
 */
export function createWahaSimulator(options: SimulatorOptions = {}): WahaSimulator {
  return new Simulator(options);
}

class Simulator implements WahaSimulator {
  readonly apiKey: string | null;
  private readonly clock: SimulatorClock;
  private readonly webhookUrl: string | undefined;
  private readonly random: () => number;
  private readonly controlApi: boolean;
  private readonly store: SessionStore;
  private readonly actions: WahaActions;
  private readonly webhooks: WebhookSender;
  private readonly log: RequestLogEntry[] = [];
  private readonly scheduler: Scheduler;
  /** Answers held back by the injected latency, with the response to drop on close. */
  private readonly delayed = new Map<ScheduledTask, ServerResponse>();
  private current: SimulatorSettings;
  private latencyMs: number;
  private errorRate: number;
  private server: Server | null = null;
  private baseUrl: string | null = null;
  private closed = false;

  constructor(options: SimulatorOptions) {
    this.current = resolveSettings(null, options);
    this.apiKey = options.apiKey === undefined ? DEFAULT_API_KEY : options.apiKey;
    this.clock = options.clock ?? realClock;
    this.webhookUrl = options.webhookUrl;
    this.random = options.random ?? Math.random;
    this.controlApi = options.controlApi ?? true;
    this.latencyMs = 0;
    this.errorRate = 0;
    this.setLatency(options.latencyMs ?? 0);
    this.setErrorRate(options.errorRate ?? 0);
    this.scheduler = new Scheduler(this.clock);
    this.webhooks = new WebhookSender({ scheduler: this.scheduler, random: this.random });
    this.store = new SessionStore({ clock: this.clock, scheduler: this.scheduler, settings: () => this.current, onStatus: (record) => this.emitStatus(record) });
    this.actions = new WahaActions({
      store: this.store,
      locks: new SessionLocks(),
      settings: () => this.current,
      now: () => this.clock.now(),
      sleep: (ms) => this.sleep(ms),
    });
    this.ensureDefaultSession();
  }

  get timings(): Readonly<SimulatorTimings> {
    return { ...this.current.timings };
  }

  get url(): string | null {
    return this.baseUrl;
  }

  listen(port = 0, host = '127.0.0.1'): Promise<string> {
    if (this.closed) return Promise.reject(new Error('the simulator is closed; create a new one'));
    if (this.server) return Promise.reject(new Error('the simulator is already listening'));
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        const address = server.address() as AddressInfo;
        const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        this.baseUrl = `http://${shownHost}:${address.port}`;
        resolve(this.baseUrl);
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.store.dispose();
    for (const res of this.delayed.values()) res.destroy();
    this.delayed.clear();
    this.scheduler.dispose();
    this.webhooks.abortAll();
    const server = this.server;
    this.server = null;
    this.baseUrl = null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const target = req.url ?? '/';
    let url: URL;
    try {
      // Concatenated, not resolved: a path like `//api/x` must stay a path, not become a host.
      url = new URL(`http://simulator.invalid${target.startsWith('/') ? target : `/${target}`}`);
    } catch {
      new Reply(res).nestError(400, 'Invalid request URL', 'Bad Request');
      return;
    }
    if (this.controlApi && (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`))) {
      const reply = new Reply(res, undefined, CONTROL_CORS);
      void routeControl(this, req, reply, url);
      return;
    }
    const entry: RequestLogEntry = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search.slice(1),
      at: this.clock.now(),
      status: 0,
      answeredAt: null,
    };
    this.record(entry);
    const reply = new Reply(res, (status) => {
      entry.status = status;
      entry.answeredAt = this.clock.now();
    });
    if (url.pathname === '/ping' && req.method === 'GET') return reply.json(200, { message: 'pong' });
    if (url.pathname !== '/api' && !url.pathname.startsWith('/api/')) {
      return reply.nestError(404, `Cannot ${entry.method} ${url.pathname}`, 'Not Found');
    }
    if (this.latencyMs > 0) {
      const task = this.scheduler.schedule(this.latencyMs, () => {
        this.delayed.delete(task);
        this.answerApi(req, reply, url);
      });
      this.delayed.set(task, res);
      res.once('close', () => {
        // The client gave up: forget the held answer.
        if (this.delayed.delete(task)) this.scheduler.cancel(task);
      });
      return;
    }
    this.answerApi(req, reply, url);
  }

  private answerApi(req: IncomingMessage, reply: Reply, url: URL): void {
    if (this.errorRate > 0 && this.random() < this.errorRate) {
      return reply.json(500, { statusCode: 500, message: 'Internal server error' });
    }
    if (this.apiKey !== null) {
      const given = req.headers['x-api-key'] ?? url.searchParams.get('x-api-key');
      if (given !== this.apiKey) return reply.json(401, { message: 'Unauthorized', statusCode: 401 });
    }
    void routeWahaApi(
      { actions: this.actions, store: this.store, settings: () => this.current, environment: () => this.environment(), now: () => this.clock.now() },
      req,
      reply,
      url,
    );
  }

  // --- settings -----------------------------------------------------------------------

  get profile(): SimulatorSettings['profile'] {
    return this.current.profile;
  }

  settings(): SimulatorSettings {
    return copySettings(this.current);
  }

  configure(update: SimulatorSettingsUpdate): SimulatorSettings {
    this.current = resolveSettings(this.current, update);
    this.ensureDefaultSession();
    return this.settings();
  }

  // --- WAHA actions as methods (instant: test set-up, not WAHA's HTTP timing) ----------

  createSession(name: string, options: { config?: WahaSessionConfig; start?: boolean } = {}): SimSessionView {
    const single = this.current.quirks.singleSession;
    if (single !== false && name !== DEFAULT_SESSION) throw new SimulatorError('INVALID_NAME', onlyDefaultSession(name, single).message, { session: name });
    return this.view(this.store.create(name, options.config, options.start ?? true));
  }

  startSession(name: string): SimSessionView {
    return this.view(this.store.start(name));
  }

  restartSession(name: string): SimSessionView {
    return this.view(this.store.restart(name));
  }

  logoutSession(name: string): SimSessionView {
    return this.view(this.store.logout(name));
  }

  deleteSession(name: string): boolean {
    return this.store.remove(name);
  }

  requestPairingCode(name: string, phoneNumber: string): string {
    return this.store.requestCode(name, phoneNumber);
  }

  // --- the phone and the network -----------------------------------------------------

  scan(session: string, account?: SimAccount): SimSessionView {
    return this.view(this.store.scan(session, account));
  }

  unlink(session: string): SimSessionView {
    return this.view(this.store.unlink(session));
  }

  fail(session: string, reason?: string): SimSessionView {
    return this.view(this.store.fail(session, reason));
  }

  stopSession(session: string): SimSessionView {
    return this.view(this.store.stop(session));
  }

  flap(session: string, options?: FlapOptions): void {
    this.store.flap(session, options);
  }

  requirePasskey(session: string, options?: PasskeyOptions): SimSessionView {
    if (this.current.engine !== 'GOWS') throw new SimulatorError('INVALID_ARGUMENT', 'passkey statuses exist on the GOWS engine only');
    return this.view(this.store.requirePasskey(session, options));
  }

  setWebhookDelivery(options: Partial<WebhookDeliveryOptions>): WebhookDeliveryOptions {
    return this.webhooks.configure(options);
  }

  webhookDelivery(): WebhookDeliveryOptions {
    return this.webhooks.deliveryOptions();
  }

  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new SimulatorError('INVALID_ARGUMENT', 'latency must be a finite number >= 0');
    this.latencyMs = ms;
  }

  setErrorRate(rate: number): void {
    if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new SimulatorError('INVALID_ARGUMENT', 'error rate must be between 0 and 1');
    this.errorRate = rate;
  }

  // --- inspection --------------------------------------------------------------------

  getSession(name: string): SimSessionView | undefined {
    const record = this.store.find(name);
    return record ? this.view(record) : undefined;
  }

  listSessions(): SimSessionView[] {
    return this.store.all().map((record) => this.view(record));
  }

  requestLog(): readonly RequestLogEntry[] {
    return this.log.map((entry) => ({ ...entry }));
  }

  clearRequestLog(): void {
    this.log.length = 0;
  }

  webhookStats(): WebhookStats {
    return this.webhooks.stats();
  }

  webhooksSettled(): Promise<void> {
    return this.webhooks.settled();
  }

  pendingTimers(): number {
    return this.scheduler.size;
  }

  // --- internals ---------------------------------------------------------------------

  private view(record: SessionRecord): SimSessionView {
    return this.store.view(record);
  }

  private record(entry: RequestLogEntry): void {
    this.log.push(entry);
    if (this.log.length > REQUEST_LOG_LIMIT) this.log.splice(0, this.log.length - REQUEST_LOG_LIMIT);
  }

  private environment(): WahaEnvironment {
    return {
      version: this.current.version,
      engine: this.current.engine,
      tier: 'CORE',
      browser: '',
      platform: `${process.platform}/${process.arch}`,
      worker: { id: null },
    };
  }

  /** Single-session WAHA always has `default` (STOPPED until started), even before anyone creates it. */
  private ensureDefaultSession(): void {
    if (this.current.quirks.singleSession !== false && !this.store.find(DEFAULT_SESSION)) this.store.create(DEFAULT_SESSION, undefined, false);
  }

  private sleep(ms: number): Promise<void> {
    if (!(ms > 0)) return Promise.resolve();
    return new Promise((resolve) => {
      this.scheduler.schedule(ms, resolve);
    });
  }

  private emitStatus(record: SessionRecord): void {
    const targets = webhookTargets(this.webhookUrl, record.config);
    if (targets.length === 0) return;
    const { engine, quirks } = this.current;
    const event = sessionStatusEvent({
      now: this.clock.now(),
      environment: this.environment(),
      engine,
      session: record.name,
      status: record.status,
      statuses: record.statuses,
      me: this.store.webhookMe(record),
      config: record.config,
      legacy: quirks.legacyWebhooks,
    });
    for (const target of targets) this.webhooks.send(target, event, { legacy: quirks.legacyWebhooks, retries: quirks.webhookRetries });
  }
}

/** CORS for the control routes, so a phone panel on another origin can drive them. */
const CONTROL_CORS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': 'content-type',
};
