import type { ActionLock } from '../lock.js';
import type { Logger } from '../logger.js';
import type { WatcherHealthStore } from '../watcher-state.js';
import { createPostgresBus, type PostgresSessionBus } from './bus.js';
import type { PostgresOptions } from './connection.js';
import { createPostgresHealthStore } from './health-store.js';
import { createPostgresLease, type PostgresLease } from './lease.js';
import { createPostgresLock } from './lock.js';
import { createPostgresMetrics, type PostgresMetrics } from './metrics.js';
import { createPostgresStore, type PostgresSessionStore } from './store.js';

/** Options of {@link createPostgresDeployment}. */
export interface PostgresDeploymentOptions extends PostgresOptions {
  /** This instance's name in the lease table (default: a random id). */
  instanceName?: string;
  /** Structured log records of the bus and the metrics. */
  logger?: Logger;
}

/** Everything one instance needs to share its truth with the others, on one pool. */
export interface PostgresDeployment {
  /** For `createSessionHandler({ store })` and `watchSessions({ store })`. */
  store: PostgresSessionStore;
  /** For `createSessionHandler({ bus })`. */
  bus: PostgresSessionBus;
  /** For `createSessionHandler({ lock })`. */
  lock: ActionLock;
  /** For `createSessionHandler({ metrics })`, `watchSessions({ metrics })` and `createMetricsHandler`. */
  metrics: PostgresMetrics;
  /** For `watchSessions({ lease })`. */
  lease: PostgresLease;
  /** For `watchSessions({ healthStore })`. */
  healthStore: WatcherHealthStore;
  /** Closes the bus and writes the last metrics (the pool stays yours). */
  close(): Promise<void>;
}

/**
 * The store, bus, lock, metrics, lease and health store of one instance, all on
 * `pool`: the whole wiring of a multi-instance deployment in one call. Run
 * `migrate` first (or the `wac-postgres-migrate` command at deploy time).
 *
 * @example
 * ```ts
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
 * await migrate({ pool });
 * const { store, bus, lock, metrics, lease, healthStore } = createPostgresDeployment({ pool });
 * const handler = createSessionHandler({ getOrganizationId, stream: true, store, bus, lock, metrics });
 * const watcher = watchSessions({ waha, store, lease, healthStore, metrics });
 * ```
 */
export function createPostgresDeployment(options: PostgresDeploymentOptions): PostgresDeployment {
  const base: PostgresOptions = {
    pool: options.pool,
    ...(options.schema === undefined ? {} : { schema: options.schema }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
  const logged = options.logger ? { logger: options.logger } : {};
  const bus = createPostgresBus({ ...base, ...logged });
  const metrics = createPostgresMetrics({ ...base, ...logged });
  return {
    store: createPostgresStore(base),
    bus,
    lock: createPostgresLock(base),
    metrics,
    lease: createPostgresLease({ ...base, ...(options.instanceName ? { holder: options.instanceName } : {}) }),
    healthStore: createPostgresHealthStore(base),
    async close() {
      await Promise.all([bus.close(), metrics.close()]);
    },
  };
}
