import type { SimulatorClock } from './clock.js';

/** A WAHA session status, as in WAHA 2026.7.1 (`SessionInfo.status`). */
export type WahaStatus =
  | 'STOPPED'
  | 'STARTING'
  | 'SCAN_QR_CODE'
  | 'PASSKEY_REQUIRED'
  | 'PASSKEY_CONFIRMATION_REQUIRED'
  | 'WORKING'
  | 'FAILED';

/** The WAHA engines the simulator can pretend to be. */
export type WahaEngine = 'NOWEB' | 'WEBJS' | 'GOWS';

/** WAHA's `MeInfo`: the linked WhatsApp account. */
export interface WahaMeInfo {
  /** `"<phone>@c.us"`. */
  id: string;
  /** The name the account shows. */
  pushName: string;
  /** `"<digits>@lid"` (WAHA sends it for NOWEB/GOWS). */
  lid?: string;
  /** The id with the device number, `"<phone>:<device>@s.whatsapp.net"`. */
  jid?: string;
}

/** One entry of a webhook destination in a session's `config.webhooks` (WAHA's `WebhookConfig`, the parts the simulator honours). */
export interface WahaWebhookConfig {
  /** Where to POST. */
  url: string;
  /** Event names; the simulator only emits `session.status` (or everything for `"*"`). */
  events: unknown[];
  /** When set, each delivery carries `X-Webhook-Hmac` (SHA-512 of the body) like WAHA. */
  hmac?: { key?: string | null } | null;
  /** Extra headers sent with each delivery. */
  customHeaders?: { name: string; value: string }[] | null;
  /** WAHA's retry policy of this destination (default: every 2 s, 15 times) when the `webhookRetries` quirk is on. */
  retries?: { delaySeconds?: number | null; attempts?: number | null; policy?: 'constant' | 'linear' | 'exponential' | null } | null;
}

/** WAHA's `SessionConfig`. Kept as given; the simulator reads `webhooks` and `metadata`. */
export interface WahaSessionConfig {
  /** Copied into every webhook envelope as `metadata`. */
  metadata?: Record<string, string>;
  /** Per-session webhook destinations. */
  webhooks?: WahaWebhookConfig[];
  /** Anything else WAHA accepts (proxy, debug, noweb, …) is stored and echoed back. */
  [key: string]: unknown;
}

/** One point of a session's status history (`payload.statuses` of the `session.status` event). */
export interface WahaStatusPoint {
  /** The status entered. */
  status: WahaStatus;
  /** Milliseconds since the epoch, on the simulator's clock. */
  timestamp: number;
}

/**
 * Durations in milliseconds. Defaults imitate WAHA 2026.7.1 on NOWEB (see {@link DEFAULT_TIMINGS});
 * each profile sets its own. `Infinity` means that step never comes. The four request
 * sleeps (`stopMs`, `unpairMs`, `teardownMs`, `qrWaitMs`) are multiplied by the
 * simulator's `latency` factor, so `latency: 0` answers at once with the same timings.
 */
export interface SimulatorTimings {
  /** STARTING → SCAN_QR_CODE (or → WORKING when already linked). Default 2000. */
  startingMs: number;
  /** Lifetime of the first QR. Default 60000. */
  firstQrMs: number;
  /** Lifetime of each next QR. Default 20000. */
  nextQrMs: number;
  /** How many QRs are shown before the session goes FAILED (NOWEB and GOWS: 6; WEBJS rotates without a limit: `Infinity`). */
  maxQrs: number;
  /** WAHA's sleep after stopping a running session (`SESSION_STOP_TIMEOUT`), paid by stop, restart, logout, delete and PUT. Default 3000. */
  stopMs: number;
  /** WAHA's sleep after unpairing the phone of a running session, paid by logout and delete (2025 and later; 0 before). Default 1000. */
  unpairMs: number;
  /** The engine's own teardown before STOPPED (WEBJS closes its browser: 1100, measured; up to 10000 while the browser is still launching). Default 0. */
  teardownMs: number;
  /** How long `GET /api/{session}/auth/qr` waits for SCAN_QR_CODE (polling every 500 ms × latency) before its 422. Default 5000. */
  qrWaitMs: number;
  /** WEBJS reports WORKING before it knows the account: `me` stays null this long, then WORKING is sent again with `me`. Default 0. */
  meDelayMs: number;
  /** A FAILED session (a transient failure, auth kept) restarts itself this long after failing, like WAHA's engines. `Infinity`: never. Default 2000. */
  failedRestartMs: number;
  /** How long a GOWS passkey step waits for the user before FAILED. Default 60000. */
  passkeyTimeoutMs: number;
}

/** The default {@link SimulatorTimings} (the `core-2026` profile): FAILED 162 s after a start when nobody scans. */
export const DEFAULT_TIMINGS: Readonly<SimulatorTimings> = Object.freeze({
  startingMs: 2000,
  firstQrMs: 60000,
  nextQrMs: 20000,
  maxQrs: 6,
  stopMs: 3000,
  unpairMs: 1000,
  teardownMs: 0,
  qrWaitMs: 5000,
  meDelayMs: 0,
  failedRestartMs: 2000,
  passkeyTimeoutMs: 60000,
});

/**
 * The ways real WAHA differs from a tidy simulator, each switchable (the profile sets
 * them; `quirks` in the options overrides one by one). Where a quirk comes from in
 * WAHA's source is said in the package README.
 */
export interface SimulatorQuirks {
  /** `POST /api/sessions/{session}/start` on a running session → 422 "Session '<name>' is already started." (off: idempotent). */
  alreadyStartedError: boolean;
  /**
   * The QR, `me` and pairing-code routes of a stopped or missing session → 404 "We didn't find a
   * session with name '<name>'…" (off: the QR route answers its 422 with the status, `me` answers null).
   */
  notRunning404: boolean;
  /**
   * WAHA Core that allows only the session `default` (which then exists, STOPPED, from the start).
   * Any other name → 422 "WAHA Core support only 'default' session…"; `GET /api/sessions/{other}`
   * → 404 "Session not found" (`'core-2024'`, WAHA 2024.10) or that 422 with the name in the
   * message (`'core-2025'`). `false`: many sessions.
   */
  singleSession: false | 'core-2024' | 'core-2025';
  /** `POST /api/sessions` without `start` starts the session, as WAHA's docs say (off: it stays STOPPED, as WAHA's code does). */
  startOnCreate: boolean;
  /** `POST /api/{session}/auth/request-code` with a number that is not 7–15 digits → 500 (the engine throws). */
  pairingCode500: boolean;
  /** Failed webhook deliveries are retried (per hook `retries`, default every 2 s, 15 times). */
  webhookRetries: boolean;
  /** WAHA 2024.10's webhooks: no `id`, `timestamp` or `statuses`, no HMAC, no custom headers, no request id. */
  legacyWebhooks: boolean;
}

/**
 * The WAHA deployments the simulator can imitate (see `SIMULATOR_PROFILES` for what each one does):
 * - `core-2026`: WAHA Core 2026.7.1, many sessions, NOWEB — the default;
 * - `core-2025`: WAHA Core before 2026.6.1 (WEBJS): only the session `default`;
 * - `core-2024`: WAHA Core 2024.10.8 (WEBJS), as measured: only `default`, older webhooks;
 * - `webjs`, `gows`: `core-2026` on the WEBJS or GOWS engine;
 * - `fast`: no waits and no surprises, for unit tests that need speed.
 */
export type SimulatorProfileName = 'core-2026' | 'core-2025' | 'core-2024' | 'webjs' | 'gows' | 'fast';

/** Options of {@link createWahaSimulator}. Every field is optional; the profile's values fill the rest. */
export interface SimulatorOptions {
  /** Which WAHA to imitate. Default `'core-2026'` (real latencies); `'fast'` for unit tests. */
  profile?: SimulatorProfileName;
  /** Scale of WAHA's request sleeps (stop, unpair, teardown, QR wait): 1 = WAHA's, 0 = instant. Default: the profile's (1, or 0 for `fast`). */
  latency?: number;
  /** Quirks to switch on or off over the profile's. */
  quirks?: Partial<SimulatorQuirks>;
  /** The key expected in `X-Api-Key` (or `?x-api-key=`). Default `'simulator-key'`; `null` turns auth off. */
  apiKey?: string | null;
  /** Durations over the profile's (missing fields take the profile's). */
  timings?: Partial<SimulatorTimings>;
  /** Time source; default real timers. */
  clock?: SimulatorClock;
  /** POST every `session.status` event here (in addition to each session's `config.webhooks`). */
  webhookUrl?: string;
  /** Engine reported in `SessionInfo.engine` and webhook envelopes. Default: the profile's. */
  engine?: WahaEngine;
  /** Delay added before answering each `/api/*` request, in ms (on the clock): the network, not WAHA. Default 0. */
  latencyMs?: number;
  /** Fraction (0..1) of `/api/*` requests answered with a 500. Default 0. */
  errorRate?: number;
  /** Random source for the error rate, webhook duplicates and retry jitter, `[0, 1)`. Default `Math.random`. */
  random?: () => number;
  /** Expose the `/__simulator/*` control routes over HTTP. Default true. */
  controlApi?: boolean;
  /**
   * Answer like WAHA's code rather than its OpenAPI document: `SessionInfo` then carries
   * `me: null` and `presence: null` when there is no account / presence, and STOPPED
   * sessions `timestamps.activity: null` — what WAHA's session manager returns although
   * its schema types those fields as objects. Default: the profile's (true except for `fast`).
   */
  nullFields?: boolean;
}

/** What {@link WahaSimulator.configure} changes at run time. A `profile` resets everything to that profile first. */
export interface SimulatorSettingsUpdate {
  /** Switch to this profile (its engine, latency, quirks, timings and nullFields). */
  profile?: SimulatorProfileName;
  /** Scale of WAHA's request sleeps. */
  latency?: number;
  /** Quirks to switch on or off. */
  quirks?: Partial<SimulatorQuirks>;
  /** Durations to change. */
  timings?: Partial<SimulatorTimings>;
  /** Engine to report. */
  engine?: WahaEngine;
  /** See {@link SimulatorOptions.nullFields}. */
  nullFields?: boolean;
}

/** The simulator's effective settings (a detached copy). */
export interface SimulatorSettings {
  /** The profile they started from. */
  profile: SimulatorProfileName;
  /** The WAHA version reported (`/api/server/version`, webhook `environment.version`). */
  version: string;
  /** The engine reported. */
  engine: WahaEngine;
  /** Scale of WAHA's request sleeps. */
  latency: number;
  /** See {@link SimulatorOptions.nullFields}. */
  nullFields: boolean;
  /** Effective quirks. */
  quirks: SimulatorQuirks;
  /** Effective durations. */
  timings: SimulatorTimings;
}

/** Options of {@link WahaSimulator.requirePasskey}. */
export interface PasskeyOptions {
  /** After the passkey, WhatsApp also asks to compare a code (PASSKEY_CONFIRMATION_REQUIRED). Default false. */
  confirmation?: boolean;
}

/** The linked account given to {@link WahaSimulator.scan}. */
export interface SimAccount {
  /** Digits only, international format. Default `'12132132130'`. */
  phone?: string;
  /** Display name. Default `'Simulated Phone'`. */
  pushName?: string;
}

/** Options of {@link WahaSimulator.flap}. */
export interface FlapOptions {
  /** How many times the session drops. Default 3. */
  times?: number;
  /** Time spent in each state, in ms. Default 1000. */
  intervalMs?: number;
  /** The status the session drops to. Default `'STOPPED'`. */
  via?: 'STOPPED' | 'STARTING' | 'FAILED';
}

/** A read-only snapshot of one simulated session, for tests and the demo's phone panel. */
export interface SimSessionView {
  /** Session name. */
  name: string;
  /** Current WAHA status. */
  status: WahaStatus;
  /** The linked account while WORKING (on WEBJS only once `meDelayMs` has passed), otherwise null. */
  me: WahaMeInfo | null;
  /** True when the session holds a phone's auth (survives stop/restart; dropped by logout/unlink). */
  linked: boolean;
  /** The current raw QR value while SCAN_QR_CODE, otherwise null. */
  qr: string | null;
  /** 1-based number of the current QR while SCAN_QR_CODE (1 … maxQrs), otherwise 0. */
  qrIndex: number;
  /** When the current QR is replaced (or the session fails), on the clock; null when nothing is scheduled for the QR. */
  qrExpiresAt: number | null;
  /** The last pairing code handed out in this SCAN_QR_CODE phase, otherwise null. */
  pairingCode: string | null;
  /** The stored session config, as WAHA echoes it. */
  config: WahaSessionConfig | undefined;
  /** Status history (most recent last, capped). */
  statuses: WahaStatusPoint[];
  /** The code to compare while PASSKEY_CONFIRMATION_REQUIRED, otherwise null. */
  passkeyCode: string | null;
  /** Why the session is FAILED (`'qr-expired'`, `'unlinked'`, `'passkey-timeout'`, or the reason given to `fail`), otherwise null. */
  failureReason: string | null;
  /** Remaining drops while a {@link WahaSimulator.flap} runs, otherwise 0. */
  flapsLeft: number;
  /** Time of the last status change, on the clock. */
  lastActivity: number;
}
