/**
 * A WAHA look-alike HTTP server for development, demos and tests: WAHA's session, QR,
 * pairing-code and `me` endpoints with a realistic lifecycle on an injectable clock, a
 * control API that plays the phone, and `session.status` webhooks.
 *
 * @packageDocumentation
 * @module @whatsapp-connector/waha-simulator
 */
export { createWahaSimulator, DEFAULT_API_KEY, REQUEST_LOG_LIMIT } from './simulator.js';
export type { WahaSimulator, RequestLogEntry } from './simulator-types.js';
export { realClock } from './clock.js';
export type { SimulatorClock } from './clock.js';
export { SimulatorError, isSimulatorError } from './errors.js';
export type { SimulatorErrorCode } from './errors.js';
export { DEFAULT_TIMINGS } from './types.js';
export type {
  FlapOptions,
  SimAccount,
  SimSessionView,
  SimulatorOptions,
  SimulatorTimings,
  WahaEngine,
  WahaMeInfo,
  WahaSessionConfig,
  WahaStatus,
  WahaStatusPoint,
  WahaWebhookConfig,
} from './types.js';
export type { SessionStatusEvent, WahaEnvironment, WebhookStats } from './webhooks.js';
export type { WahaSessionDTO, WahaSessionInfo } from './waha-shapes.js';
export { CONTROL_PREFIX } from './control-routes.js';
export { SESSION_NAME_MAX_LENGTH, SESSION_NAME_PATTERN } from './sessions.js';
