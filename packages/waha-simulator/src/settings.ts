import { SimulatorError } from './errors.js';
import { REALISTIC_PROFILE, SIMULATOR_PROFILES, isProfileName } from './profiles.js';
import type { SimulatorProfileName, SimulatorQuirks, SimulatorSettings, SimulatorSettingsUpdate, SimulatorTimings, WahaEngine } from './types.js';

const ENGINES: readonly WahaEngine[] = ['NOWEB', 'WEBJS', 'GOWS'];
const SINGLE_SESSION_MODES: readonly SimulatorQuirks['singleSession'][] = [false, 'core-2024', 'core-2025'];

/** The settings of a profile with `update` applied over them. Throws `INVALID_ARGUMENT` on a bad value. */
export function resolveSettings(base: SimulatorSettings | null, update: SimulatorSettingsUpdate): SimulatorSettings {
  const name: SimulatorProfileName = update.profile ?? base?.profile ?? REALISTIC_PROFILE;
  if (!isProfileName(name)) throw new SimulatorError('INVALID_ARGUMENT', `unknown profile '${String(name)}'`);
  const from = update.profile !== undefined || base === null ? fromProfile(name) : base;
  const settings: SimulatorSettings = {
    profile: name,
    version: from.version,
    engine: update.engine ?? from.engine,
    latency: update.latency ?? from.latency,
    nullFields: update.nullFields ?? from.nullFields,
    quirks: { ...from.quirks, ...definedOnly(update.quirks ?? {}) },
    timings: { ...from.timings, ...definedOnly(update.timings ?? {}) },
  };
  validate(settings);
  return settings;
}

/** A detached copy, for callers. */
export function copySettings(settings: SimulatorSettings): SimulatorSettings {
  return { ...settings, quirks: { ...settings.quirks }, timings: { ...settings.timings } };
}

function fromProfile(name: SimulatorProfileName): SimulatorSettings {
  const p = SIMULATOR_PROFILES[name];
  return { profile: name, version: p.version, engine: p.engine, latency: p.latency, nullFields: p.nullFields, quirks: { ...p.quirks }, timings: { ...p.timings } };
}

function validate(settings: SimulatorSettings): void {
  if (!ENGINES.includes(settings.engine)) throw new SimulatorError('INVALID_ARGUMENT', `engine must be one of ${ENGINES.join(', ')}`);
  if (typeof settings.latency !== 'number' || !(Number.isFinite(settings.latency) && settings.latency >= 0)) throw new SimulatorError('INVALID_ARGUMENT', 'latency must be a finite number >= 0');
  if (typeof settings.nullFields !== 'boolean') throw new SimulatorError('INVALID_ARGUMENT', 'nullFields must be a boolean');
  const { quirks, timings } = settings;
  for (const key of ['alreadyStartedError', 'notRunning404', 'startOnCreate', 'pairingCode500', 'webhookRetries', 'legacyWebhooks'] as const) {
    if (typeof quirks[key] !== 'boolean') throw new SimulatorError('INVALID_ARGUMENT', `quirks.${key} must be a boolean`);
  }
  if (!SINGLE_SESSION_MODES.includes(quirks.singleSession)) {
    throw new SimulatorError('INVALID_ARGUMENT', "quirks.singleSession must be false, 'core-2024' or 'core-2025'");
  }
  for (const key of TIMING_KEYS) {
    // Infinity is allowed: that step never comes (e.g. a QR that never expires in a demo).
    if (typeof timings[key] !== 'number' || !(timings[key] >= 0)) throw new SimulatorError('INVALID_ARGUMENT', `timings.${key} must be >= 0`);
  }
  if (typeof timings.maxQrs !== 'number' || !(timings.maxQrs >= 1 && (Number.isInteger(timings.maxQrs) || timings.maxQrs === Number.POSITIVE_INFINITY))) {
    throw new SimulatorError('INVALID_ARGUMENT', 'timings.maxQrs must be an integer >= 1 or Infinity');
  }
}

const TIMING_KEYS = [
  'startingMs',
  'firstQrMs',
  'nextQrMs',
  'stopMs',
  'unpairMs',
  'teardownMs',
  'qrWaitMs',
  'meDelayMs',
  'failedRestartMs',
  'passkeyTimeoutMs',
] as const satisfies readonly Exclude<keyof SimulatorTimings, 'maxQrs'>[];

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
