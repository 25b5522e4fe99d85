import { createSessionClient } from './client.js';
import type { SessionClient } from './client-types.js';
import { resolveCredentials, resolveEndpoint } from './config.js';
import { createEmitter, type Emitter } from './emitter.js';
import type { SessionClientOptions } from './options.js';

/** A shared client and the way to give it back. */
export interface SessionClientLease {
  /** The shared client. Do not call `dispose()` on it: call {@link SessionClientLease.release}. */
  readonly client: SessionClient;
  /** Gives the client back; the last release stops and disposes it. Idempotent. */
  release(): void;
}

/** Hands out one client per endpoint + credentials, counting its users. */
export interface SessionClientRegistry {
  /**
   * Returns the client for `options.endpoint` + `options.credentials`, creating
   * and starting it for the first acquirer. Later acquirers get the same client:
   * their other options are ignored (the first acquirer's options win).
   */
  acquire(options?: SessionClientOptions): SessionClientLease;
  /** How many shared clients are alive. */
  readonly size: number;
}

/** Makes a registry (tests, or one registry per app instead of the page-wide default). */
export function createSessionClientRegistry(
  create: (options: SessionClientOptions) => SessionClient = createSessionClient,
): SessionClientRegistry {
  const entries = new Map<string, { client: SessionClient; users: Emitter<never> }>();

  return {
    acquire(options = {}) {
      const key = `${resolveCredentials(options.credentials)} ${resolveEndpoint(options.endpoint)}`;
      let entry = entries.get(key);
      if (entry === undefined) {
        const client = create(options);
        // Each lease is one subscriber: the client lives from the first to the last. Empty once (a new
        // lease finds the entry until it is deleted here), so the key is still this client's; dispose() stops it.
        const users = createEmitter<never>({
          onEmpty() {
            entries.delete(key);
            client.dispose();
          },
        });
        entry = { client, users };
        entries.set(key, entry);
        client.start();
      }
      return { client: entry.client, release: entry.users.subscribe(() => {}) };
    },
    get size() {
      return entries.size;
    },
  };
}

// Created on first use: a module-level call would be a side effect that bundlers keep.
let pageRegistry: SessionClientRegistry | undefined;

/**
 * Shares one client among several UI elements that use the same endpoint (and
 * credentials mode), so a page with three widgets polls once. The client starts
 * with the first acquirer and is stopped and disposed when the last one
 * releases it. Options other than `endpoint` / `credentials` come from the
 * first acquirer.
 *
 * @example
 * ```ts
 * // in a component's connect / mount
 * const lease = acquireSessionClient({ endpoint: '/api/whatsapp/session' });
 * const off = lease.client.subscribe(render);
 * // in its disconnect / unmount
 * off();
 * lease.release();
 * ```
 */
export function acquireSessionClient(options: SessionClientOptions = {}): SessionClientLease {
  return (pageRegistry ??= createSessionClientRegistry()).acquire(options);
}
