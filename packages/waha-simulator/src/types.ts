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

/** Lifecycle durations in milliseconds. Defaults imitate WAHA (NOWEB). `Infinity` means that step never comes. */
export interface SimulatorTimings {
  /** STARTING → SCAN_QR_CODE (or → WORKING when already linked). Default 2000. */
  startingMs: number;
  /** Lifetime of the first QR. Default 60000. */
  firstQrMs: number;
  /** Lifetime of each next QR. Default 20000. */
  nextQrMs: number;
  /** How many QRs are shown before the session goes FAILED. Default 6. */
  maxQrs: number;
}

/** The default {@link SimulatorTimings}: FAILED 162 s after a start when nobody scans. */
export const DEFAULT_TIMINGS: Readonly<SimulatorTimings> = Object.freeze({
  startingMs: 2000,
  firstQrMs: 60000,
  nextQrMs: 20000,
  maxQrs: 6,
});

/** Options of {@link createWahaSimulator}. Every field is optional. */
export interface SimulatorOptions {
  /** The key expected in `X-Api-Key` (or `?x-api-key=`). Default `'simulator-key'`; `null` turns auth off. */
  apiKey?: string | null;
  /** Lifecycle durations; missing fields take {@link DEFAULT_TIMINGS}. */
  timings?: Partial<SimulatorTimings>;
  /** Time source; default real timers. */
  clock?: SimulatorClock;
  /** POST every `session.status` event here (in addition to each session's `config.webhooks`). */
  webhookUrl?: string;
  /** Engine reported in `SessionInfo.engine` and webhook envelopes. Default `'NOWEB'`. */
  engine?: WahaEngine;
  /** Delay added before answering each `/api/*` request, in ms (on the clock). Default 0. */
  latencyMs?: number;
  /** Fraction (0..1) of `/api/*` requests answered with a 500. Default 0. */
  errorRate?: number;
  /** Random source for the error rate, `[0, 1)`. Default `Math.random`. */
  random?: () => number;
  /** Expose the `/__simulator/*` control routes over HTTP. Default true. */
  controlApi?: boolean;
  /**
   * Answer like WAHA's code rather than its OpenAPI document: `SessionInfo` then carries
   * `me: null` and `presence: null` when there is no account / presence, and STOPPED
   * sessions `timestamps.activity: null` — what WAHA's session manager returns although
   * its schema types those fields as objects. Default false: answers match the schema.
   * Use it to prove a WAHA client copes with both.
   */
  nullFields?: boolean;
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
  /** The linked account while WORKING, otherwise null. */
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
  /** Why the session is FAILED (`'qr-expired'`, `'unlinked'`, or the reason given to `fail`), otherwise null. */
  failureReason: string | null;
  /** Remaining drops while a {@link WahaSimulator.flap} runs, otherwise 0. */
  flapsLeft: number;
  /** Time of the last status change, on the clock. */
  lastActivity: number;
}
