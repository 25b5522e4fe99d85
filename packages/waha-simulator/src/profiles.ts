import { DEFAULT_TIMINGS } from './types.js';
import type { SimulatorProfileName, SimulatorQuirks, SimulatorTimings, WahaEngine } from './types.js';

/** One WAHA deployment the simulator imitates: what {@link SimulatorProfileName} stands for. */
export interface SimulatorProfile {
  /** Its name. */
  readonly name: SimulatorProfileName;
  /** One line: which WAHA, which engine, what differs. */
  readonly description: string;
  /** The WAHA version reported by `/api/server/version` and in webhooks. */
  readonly version: string;
  /** The engine reported. */
  readonly engine: WahaEngine;
  /** Scale of WAHA's request sleeps (1 = WAHA's, 0 = instant). */
  readonly latency: number;
  /** Whether `SessionInfo` carries WAHA's nulls (see `SimulatorOptions.nullFields`). */
  readonly nullFields: boolean;
  /** Its quirks. */
  readonly quirks: Readonly<SimulatorQuirks>;
  /** Its durations. */
  readonly timings: Readonly<SimulatorTimings>;
}

/** What WAHA 2026.7.1 does (read in its source; see the README's quirk table). */
const WAHA_QUIRKS: Readonly<SimulatorQuirks> = Object.freeze({
  alreadyStartedError: true,
  notRunning404: true,
  singleSession: false,
  startOnCreate: false,
  pairingCode500: true,
  webhookRetries: true,
  legacyWebhooks: false,
});

/**
 * WEBJS drives a browser: closing it takes ~1.1 s (WEBJS stop measured at 4.1 s = 1.1 + 3),
 * it rotates the QR without a limit, and it reports WORKING on AUTHENTICATED, before READY
 * tells it the account (`me` null meanwhile; 1.5 s is the simulator's pick, WhatsApp Web
 * takes "a moment" that varies with the account).
 */
const WEBJS_TIMINGS: Partial<SimulatorTimings> = { maxQrs: Number.POSITIVE_INFINITY, teardownMs: 1100, meDelayMs: 1500 };

function profile(
  name: SimulatorProfileName,
  description: string,
  fields: { version?: string; engine: WahaEngine; latency?: number; nullFields?: boolean; quirks?: Partial<SimulatorQuirks>; timings?: Partial<SimulatorTimings> },
): SimulatorProfile {
  return Object.freeze({
    name,
    description,
    version: fields.version ?? '2026.7.1',
    engine: fields.engine,
    latency: fields.latency ?? 1,
    nullFields: fields.nullFields ?? true,
    quirks: Object.freeze({ ...WAHA_QUIRKS, ...fields.quirks }),
    timings: Object.freeze({ ...DEFAULT_TIMINGS, ...fields.timings }),
  });
}

/**
 * Every profile by name. Iterate {@link SIMULATOR_PROFILE_NAMES} to run a suite against each.
 *
 * @example
 * ```ts
 * for (const profile of SIMULATOR_PROFILE_NAMES) {
 *   describe(`against ${profile}`, () => { … createWahaSimulator({ profile, clock }) … });
 * }
 * ```
 */
export const SIMULATOR_PROFILES: Readonly<Record<SimulatorProfileName, SimulatorProfile>> = Object.freeze({
  'core-2026': profile(
    'core-2026',
    'WAHA Core 2026.7.1 on NOWEB: many sessions, stop 3 s, unpair 1 s, QR wait 5 s then 422, 404 for a stopped session, "already started" 422, six QRs then FAILED, webhooks retried every 2 s.',
    { engine: 'NOWEB' },
  ),
  'core-2025': profile(
    'core-2025',
    "WAHA Core before 2026.6.1 on WEBJS (its default engine): only the session 'default' (422 naming the session; GET of another name 422 too), WEBJS teardown, me null right after WORKING, QR without a limit.",
    { version: '2026.5.1', engine: 'WEBJS', quirks: { singleSession: 'core-2025' }, timings: WEBJS_TIMINGS },
  ),
  'core-2024': profile(
    'core-2024',
    "WAHA Core 2024.10.8 on WEBJS, as measured: only the session 'default' (422; GET of another name 404), no unpair step, webhooks without id/timestamp/HMAC and never retried.",
    {
      version: '2024.10.8',
      engine: 'WEBJS',
      quirks: { singleSession: 'core-2024', legacyWebhooks: true, webhookRetries: false },
      timings: { ...WEBJS_TIMINGS, unpairMs: 0 },
    },
  ),
  webjs: profile(
    'webjs',
    'core-2026 on WEBJS: stop 4.1 s (browser teardown), me null for a moment after WORKING, QR rotating without a limit.',
    { engine: 'WEBJS', timings: WEBJS_TIMINGS },
  ),
  gows: profile(
    'gows',
    'core-2026 on GOWS: like NOWEB, plus the passkey statuses (PASSKEY_REQUIRED, PASSKEY_CONFIRMATION_REQUIRED) and their routes.',
    { engine: 'GOWS' },
  ),
  fast: profile(
    'fast',
    'For unit tests: no request sleeps, idempotent start, the QR route answers at once, no 404 races, FAILED stays FAILED, webhooks never retried, answers shaped like the OpenAPI document.',
    {
      engine: 'NOWEB',
      latency: 0,
      nullFields: false,
      quirks: { alreadyStartedError: false, notRunning404: false, startOnCreate: true, pairingCode500: false, webhookRetries: false },
      timings: { failedRestartMs: Number.POSITIVE_INFINITY },
    },
  ),
});

/** Every profile name, the realistic default first. */
export const SIMULATOR_PROFILE_NAMES: readonly SimulatorProfileName[] = Object.freeze(['core-2026', 'core-2025', 'core-2024', 'webjs', 'gows', 'fast']);

/**
 * The profile `createWahaSimulator()` uses when none is given: WAHA Core 2026.7.1 on NOWEB.
 * Core, because most self-hosters run the free image; 2026.7.1, because it is the WAHA whose
 * OpenAPI document the repository keeps and the first Core with many sessions (one per
 * organization); NOWEB, because it is the browser-less engine such deployments run, and the
 * one whose six-QR limit the widget must survive.
 */
export const REALISTIC_PROFILE: SimulatorProfileName = 'core-2026';

/** The profile for unit tests that need speed: today's instant simulator. */
export const FAST_PROFILE: SimulatorProfileName = 'fast';

/** True for a known profile name (e.g. from a command line). */
export function isProfileName(value: unknown): value is SimulatorProfileName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SIMULATOR_PROFILES, value);
}
