/**
 * The headless WhatsApp session client: the state machine, the polling
 * cadence and the manual-action rules, without any UI.
 *
 * Start with {@link createSessionClient} (one client) or
 * {@link acquireSessionClient} (one client shared by every widget of a page).
 * The pure pieces (`reduce`, `nextPollDelay`, `backoffDelay`) are exported for
 * integrators who drive their own loop or test their own UI.
 *
 * @packageDocumentation
 * @module @whatsapp-connector/client
 */
export * from './contract/index.js';
export type * from './snapshot.js';
export type * from './options.js';
export type * from './client-types.js';
export type { SessionMetrics } from './metrics.js';
export { createSessionClient } from './client.js';
export { acquireSessionClient, createSessionClientRegistry } from './shared.js';
export type { SessionClientLease, SessionClientRegistry } from './shared.js';
export {
  reduce,
  initialState,
  initialSnapshot,
  isStale,
  phaseForStatus,
  healthFor,
  isFlapTransition,
  stalledAt,
  FLAP_WINDOW_MS,
  FLAP_THRESHOLD,
  STATUS_CONTINUITY_MS,
  STALLED_AFTER_MS,
} from './machine.js';
export type {
  MachineEvent,
  MachineEventType,
  MachineState,
  AnswerSource,
  StartEvent,
  StopEvent,
  RequestEvent,
  AnswerEvent,
  FailureEvent,
  ScheduleEvent,
  StreamEvent,
  TickEvent,
} from './machine.js';
export { nextPollDelay, DEFAULT_CADENCE, DEFAULT_STREAM_FALLBACK_MS } from './cadence.js';
export type { CadenceConfig, PollDelay, PollDelayReason } from './cadence.js';
export { backoffDelay, backoffCap, DEFAULT_BACKOFF } from './backoff.js';
export { DEFAULT_TIMEOUT_MS, MIN_INTERVAL_MS, resolveCadence, resolveCredentials, resolveEndpoint } from './config.js';
export { defaultTimers } from './timers.js';
export { documentVisibility, alwaysVisible } from './visibility.js';
export type { VisibilityDocument } from './visibility.js';
