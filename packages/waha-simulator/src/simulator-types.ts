import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  FlapOptions,
  PasskeyOptions,
  SimAccount,
  SimSessionView,
  SimulatorProfileName,
  SimulatorSettings,
  SimulatorSettingsUpdate,
  SimulatorTimings,
  WahaSessionConfig,
} from './types.js';
import type { WebhookDeliveryOptions, WebhookStats } from './webhooks.js';

/** One request the simulator answered (for tests: what was called, when, with what result). */
export interface RequestLogEntry {
  /** HTTP method. */
  method: string;
  /** Path without the query string. */
  path: string;
  /** The query string without `?` (`''` when none), e.g. `'all=true'`. */
  query: string;
  /** Arrival time on the simulator's clock. */
  at: number;
  /** The status answered; 0 while pending (latency, WAHA's sleeps) or when the client went away first. */
  status: number;
  /** When the answer was written, on the simulator's clock; null while pending. */
  answeredAt: number | null;
}

/**
 * A WAHA look-alike: the HTTP surface plus control methods that play the phone.
 * Every control method is also reachable over HTTP under `/__simulator/*`.
 */
export interface WahaSimulator {
  /** Starts listening (default port 0 = any free port, host `127.0.0.1`); resolves the base URL, e.g. `http://127.0.0.1:34567`. */
  listen(port?: number, host?: string): Promise<string>;
  /** The base URL while listening, otherwise null. */
  readonly url: string | null;
  /** The API key expected in `X-Api-Key`, or null when auth is off. */
  readonly apiKey: string | null;
  /** The effective durations (a copy). */
  readonly timings: Readonly<SimulatorTimings>;
  /** The profile the settings started from. */
  readonly profile: SimulatorProfileName;
  /** The effective settings: profile, version, engine, latency, quirks, timings (a copy). */
  settings(): SimulatorSettings;
  /**
   * Changes the settings at run time (also `POST /__simulator/profile`). A `profile` resets
   * everything to it first; the other fields apply over. Sessions keep their state; the new
   * durations apply to their next steps. Throws `INVALID_ARGUMENT`.
   */
  configure(update: SimulatorSettingsUpdate): SimulatorSettings;
  /** Closes the server and every connection, cancels every timer and in-flight webhook. Idempotent and final: the simulator cannot listen again. */
  close(): Promise<void>;
  /** The request handler, to mount in another Node server (e.g. the demo). */
  handle(req: IncomingMessage, res: ServerResponse): void;

  // The WAHA actions below are instant set-up helpers: WAHA's sleeps, lock and refusals
  // ("already started", 404 races) belong to its HTTP routes only.

  /** Creates a session like `POST /api/sessions` (default `start: true`). Throws `SESSION_EXISTS` / `INVALID_NAME` (also for a name single-session WAHA refuses). */
  createSession(name: string, options?: { config?: WahaSessionConfig; start?: boolean }): SimSessionView;
  /** Starts a session like `POST /api/sessions/{name}/start`. */
  startSession(name: string): SimSessionView;
  /** Restarts like `POST /api/sessions/{name}/restart`. */
  restartSession(name: string): SimSessionView;
  /** Logs out like `POST /api/sessions/{name}/logout`. */
  logoutSession(name: string): SimSessionView;
  /** Deletes like `DELETE /api/sessions/{name}`; false when it did not exist. */
  deleteSession(name: string): boolean;
  /** Hands out a pairing code like `POST /api/{name}/auth/request-code`; needs SCAN_QR_CODE. */
  requestPairingCode(name: string, phoneNumber: string): string;

  /**
   * The phone scans the QR (or finishes a passkey step): SCAN_QR_CODE / PASSKEY_* → WORKING with
   * `me = {id: phone@c.us, pushName}` (on WEBJS `me` follows `meDelayMs` later). Throws `INVALID_STATUS` otherwise.
   */
  scan(session: string, account?: SimAccount): SimSessionView;
  /** The phone removed the linked device: WORKING → FAILED, auth dropped. Throws `INVALID_STATUS` unless WORKING. */
  unlink(session: string): SimSessionView;
  /** Forces FAILED (auth kept, so a restart may recover); the session restarts itself `failedRestartMs` later unless that is `Infinity`. */
  fail(session: string, reason?: string): SimSessionView;
  /** Stops like `POST /api/sessions/{name}/stop` → STOPPED, no timer left for it. */
  stopSession(session: string): SimSessionView;
  /** WORKING ↔ STOPPED (or `via`) `times` times, `intervalMs` in each state, ending WORKING. Throws `INVALID_STATUS` unless WORKING. */
  flap(session: string, options?: FlapOptions): void;
  /** GOWS: WhatsApp asks for a passkey after the scan: SCAN_QR_CODE → PASSKEY_REQUIRED (→ PASSKEY_CONFIRMATION_REQUIRED with `confirmation`). Throws `INVALID_ARGUMENT` on another engine. */
  requirePasskey(session: string, options?: PasskeyOptions): SimSessionView;
  /** Delays, doubles or reorders webhook deliveries from now on (missing fields are kept); returns the new settings. */
  setWebhookDelivery(options: Partial<WebhookDeliveryOptions>): WebhookDeliveryOptions;
  /** The current webhook delivery disturbances. */
  webhookDelivery(): WebhookDeliveryOptions;
  /** Delay before answering each `/api/*` request, in ms (on the clock). */
  setLatency(ms: number): void;
  /** Fraction (0..1) of `/api/*` requests answered with a 500. */
  setErrorRate(rate: number): void;

  /** A snapshot of one session, or undefined. */
  getSession(name: string): SimSessionView | undefined;
  /** Snapshots of every session, in creation order. */
  listSessions(): SimSessionView[];
  /** Requests answered so far (`/api/*`, `/ping` and unknown routes; not the control routes). Capped at the last 10,000. */
  requestLog(): readonly RequestLogEntry[];
  /** Empties the request log. */
  clearRequestLog(): void;
  /** Webhook delivery counters. */
  webhookStats(): WebhookStats;
  /** Resolves once no webhook POST is in flight (retries waiting on the clock do not count). */
  webhooksSettled(): Promise<void>;
  /**
   * Number of pending delayed steps (session lifecycle steps, WAHA's request sleeps, answers
   * held by the latency, webhook retries): 0 after `close()`. They all share ONE clock
   * timer, whatever their number.
   */
  pendingTimers(): number;
}
