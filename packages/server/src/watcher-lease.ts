/**
 * Who runs the watcher: with several instances, exactly one of them at a time
 * lists WAHA and reports health transitions. The holder renews the lease well
 * within its time to live; when it dies, the lease expires and another instance
 * takes it over.
 */
export interface WatcherLease {
  /** Takes the lease, or renews it, for `ttlMs`; resolves whether this instance holds it now. */
  acquire(ttlMs: number): Promise<boolean>;
  /** Gives the lease up, so that another instance may take it at once. Never rejects. */
  release(): Promise<void>;
}

/**
 * The default {@link WatcherLease}: always held. Right for one instance; with
 * several, each would watch and alert (use `createPostgresLease` from
 * `@whatsapp-connector/server/postgres`).
 */
export function createMemoryLease(): WatcherLease {
  return {
    acquire: async () => true,
    release: async () => {},
  };
}
