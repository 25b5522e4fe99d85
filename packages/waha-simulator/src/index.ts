/**
 * A WAHA look-alike HTTP server for development, demos and tests: WAHA's session, QR,
 * pairing-code and `me` endpoints with WAHA's own latencies and quirks on an injectable
 * clock (profiles from WAHA Core 2024.10 to 2026.7.1, plus a fast one for unit tests), a
 * control API that plays the phone, and `session.status` webhooks delivered like WAHA's.
 *
 * @packageDocumentation
 * @module @whatsapp-connector/waha-simulator
 */
export { createWahaSimulator, DEFAULT_API_KEY, REQUEST_LOG_LIMIT } from './simulator.js';
export type { WahaSimulator, RequestLogEntry } from './simulator-types.js';
export { FAST_PROFILE, REALISTIC_PROFILE, SIMULATOR_PROFILE_NAMES, SIMULATOR_PROFILES, isProfileName } from './profiles.js';
export type { SimulatorProfile } from './profiles.js';
export { realClock } from './clock.js';
export type { SimulatorClock } from './clock.js';
export { SimulatorError, isSimulatorError } from './errors.js';
export type { SimulatorErrorCode } from './errors.js';
export { DEFAULT_TIMINGS } from './types.js';
export type {
  FlapOptions,
  PasskeyOptions,
  SimAccount,
  SimSessionView,
  SimulatorOptions,
  SimulatorProfileName,
  SimulatorQuirks,
  SimulatorSettings,
  SimulatorSettingsUpdate,
  SimulatorTimings,
  WahaEngine,
  WahaMeInfo,
  WahaSessionConfig,
  WahaStatus,
  WahaStatusPoint,
  WahaWebhookConfig,
} from './types.js';
export { WAHA_WEBHOOK_RETRIES, WEBHOOK_PENDING_LIMIT } from './webhooks.js';
export type { WebhookDeliveryOptions, WebhookStats } from './webhooks.js';
export type { SessionStatusEvent, WahaEnvironment } from './webhook-events.js';
export type { WahaSessionDTO, WahaSessionInfo } from './waha-shapes.js';
export { CONTROL_PREFIX } from './control-routes.js';
export { SESSION_NAME_MAX_LENGTH, SESSION_NAME_PATTERN } from './sessions.js';
