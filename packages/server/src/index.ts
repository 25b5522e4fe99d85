/**
 * `@whatsapp-connector/server`: the session endpoints of `<whatsapp-connector>`
 * over WAHA, as a Fetch-API handler (Next.js, Hono, Bun, Deno; Node/Express via
 * `@whatsapp-connector/server/node`), plus a typed WAHA client, a session
 * watcher and Prometheus metrics.
 *
 * @module @whatsapp-connector/server
 */
export { createSessionHandler, ORG_METADATA_KEY } from './handler.js';
export type {
  ActionOptions,
  FetchHandler,
  OrganizationResolver,
  SessionHandler,
  SessionHandlerOptions,
  WahaDefaults,
} from './handler.js';
export type { SessionTransition } from './service.js';
export type { WahaConfig, WahaConfigResolver } from './config.js';
export { createMemoryStore, updateRecord } from './store.js';
export type {
  MemorySessionStore,
  SessionRecord,
  SessionRecordUpdate,
  SessionRecordUpdateResult,
  SessionStore,
  StoredSession,
} from './store.js';
export { createMemoryBus } from './bus.js';
export type { AnswerListener, MemorySessionBus, SessionBus } from './bus.js';
export { createMemoryLock, LockBusyError, isLockBusyError } from './lock.js';
export type { ActionLock, LockRunOptions, MemoryLockOptions } from './lock.js';
export type { StreamOptions } from './stream.js';
export { DEFAULT_AUTH_TIMEOUT_MS } from './auth.js';
export { DEFAULT_BASE_PATH } from './routes.js';
export type { BasePath } from './routes.js';
export type { StreamUrl } from './stream-url.js';
export { DEFAULT_STREAM_TICKET_TTL_MS, MIN_STREAM_TICKET_SECRET_LENGTH } from './stream-ticket.js';
export type { StreamTicketOptions } from './stream-ticket.js';
export type { WebhookOptions } from './webhook.js';
export { MIN_ORGANIZATION_SECRET_LENGTH, organizationWebhookSecrets } from './webhook-secrets.js';
export type { OrganizationWebhookSecrets, WebhookRootSecrets } from './webhook-secrets.js';
export type { ErrorCode } from './errors.js';
export { MAX_BODY_BYTES } from './body.js';
export {
  canonicalSessionName,
  isValidSessionName,
  needsHealing,
  DEFAULT_SESSION_PREFIX,
  MAX_ORGANIZATION_ID_LENGTH,
  MAX_SESSION_NAME_LENGTH,
} from './session-name.js';
export type { HealingOptions } from './session-name.js';
export { QR_EXPIRED_MESSAGE, phoneFromId } from './answer.js';
export { jsonConsoleLogger, silentLogger } from './logger.js';
export type { LogLevel, LogRecord, Logger } from './logger.js';
export { systemClock } from './clock.js';
export type { Clock, TimerHandle } from './clock.js';
export { createMetrics, TIME_TO_CONNECT_BUCKETS_S } from './metrics.js';
export type { HistogramBucket, MetricsSnapshot, ServerMetrics, TimeToConnectHistogram, WahaErrorMetricKind } from './metrics.js';
export { createWahaClient, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_LIST_BODY_BYTES, DEFAULT_WAHA_TIMEOUTS } from './waha/client.js';
export type { WahaCallOptions, WahaClient, WahaClientOptions, WahaTimeouts } from './waha/client.js';
export { WahaError, isWahaError, isAlreadyStartedError, isSingleSessionError, MAX_WAHA_MESSAGE_LENGTH } from './waha/errors.js';
export type { WahaErrorInit, WahaErrorKind } from './waha/errors.js';
export { backoffDelay, DEFAULT_RETRY } from './waha/retry.js';
export type { RetryOptions, ResolvedRetryOptions } from './waha/retry.js';
export type {
  WahaCreateSessionRequest,
  WahaMeInfo,
  WahaQrValue,
  WahaSessionConfig,
  WahaSessionDTO,
  WahaSessionInfo,
  WahaSessionStatusEvent,
  WahaStatus,
  WahaWebhookConfig,
} from './waha/types.js';
export { watchSessions } from './watcher.js';
export { createMemoryLease } from './watcher-lease.js';
export { reduceHealth, sameHealth, healthStatus } from './watcher-health.js';
export type { HealthChange, HealthRules, HealthStep, SessionHealth } from './watcher-health.js';
export { createMemoryHealthStore } from './watcher-state.js';
export type { StoredHealth, WatcherHealthStore } from './watcher-state.js';
export type { WatcherLease } from './watcher-lease.js';
export type {
  HealthTransition,
  HealthTransitionType,
  SessionHealthState,
  FlappingOptions,
  SessionWatcher,
  WatchedSession,
  WatcherWahaConfig,
  WatcherCounters,
  WatchSessionsOptions,
} from './watcher.js';
export { createMetricsHandler, toPrometheus, escapeLabel, PROMETHEUS_CONTENT_TYPE } from './prometheus.js';
export type { MetricsHandlerOptions, PrometheusOptions } from './prometheus.js';
