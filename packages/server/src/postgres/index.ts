/**
 * `@whatsapp-connector/server/postgres`: the server on PostgreSQL, for several
 * instances behind a load balancer (and restarts that forget nothing): a
 * `SessionStore` over its own table or over yours, a `SessionBus` on
 * `LISTEN` / `NOTIFY`, an `ActionLock` on advisory locks, the watcher's lease,
 * and the schema migration.
 *
 * Needs node-postgres (`npm install pg`, an optional peer dependency: the
 * memory defaults of `@whatsapp-connector/server` need nothing). Every function
 * takes your `pg.Pool`.
 *
 * @module @whatsapp-connector/server/postgres
 */
export { createPostgresStore } from './store.js';
export type { PostgresSessionStore, PostgresStoreOptions } from './store.js';
export { migrate, checkSchema, SCHEMA_VERSION } from './migrate.js';
export type { MigrateResult } from './migrate.js';
export { DEFAULT_TIMEOUT_MS } from './connection.js';
export type { PostgresOptions } from './connection.js';
export { PostgresError, isPostgresError } from './errors.js';
export type { PostgresErrorKind } from './errors.js';
export type { PgNotification, PgPool, PgPoolClient, PgQueryConfig, PgQueryResult, PgRow } from './pg.js';
export { createOwnTableStore } from './own-table.js';
export type { OwnTableColumns, OwnTableStore, OwnTableStoreOptions } from './own-table.js';
export { createPostgresBus, MAX_INLINE_PAYLOAD_BYTES } from './bus.js';
export type { PostgresBusOptions, PostgresSessionBus } from './bus.js';
export { createPostgresLock } from './lock.js';
export type { PostgresLockOptions } from './lock.js';
export { createPostgresLease } from './lease.js';
export type { PostgresLease, PostgresLeaseOptions } from './lease.js';
export { createPostgresHealthStore } from './health-store.js';
export { createPostgresMetrics } from './metrics.js';
export type { PostgresMetrics, PostgresMetricsOptions } from './metrics.js';
export { createPostgresDeployment } from './deployment.js';
export type { PostgresDeployment, PostgresDeploymentOptions } from './deployment.js';
