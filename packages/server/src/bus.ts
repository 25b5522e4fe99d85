import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';

/** Receives an organization's session answers as they change. */
export type AnswerListener = (answer: SessionAnswerWire) => void;

/**
 * Carries every organization's session answers to every instance's SSE streams.
 *
 * The default ({@link createMemoryBus}) reaches the streams of this process only;
 * with several instances behind a load balancer use a shared one (for example
 * `createPostgresBus` from `@whatsapp-connector/server/postgres`), so that a webhook
 * received by one instance reaches a browser streaming from another.
 *
 * Published answers are the organization's state, never a request's: they carry no
 * stream URL or ticket (each stream adds its own).
 */
export interface SessionBus {
  /** Delivers `answer` to every subscriber of `orgId`, on every instance. Never rejects. */
  publish(orgId: string, answer: SessionAnswerWire): Promise<void>;
  /** Adds a listener of `orgId`; returns its own unsubscribe. */
  subscribe(orgId: string, listener: AnswerListener): () => void;
  /**
   * Adds a listener called after the bus lost its connection and got it back:
   * answers may have been missed, so subscribers re-read the current state.
   * Returns its own unsubscribe.
   */
  onResync(listener: () => void): () => void;
  /** Stops delivering and releases the bus's resources. Idempotent. */
  close(): Promise<void>;
}

/** An in-process {@link SessionBus}: one instance, no connection to lose. */
export interface MemorySessionBus extends SessionBus {
  /** Number of listeners of `orgId` (all organizations without an argument). */
  listenerCount(orgId?: string): number;
}

/** Creates the in-process {@link SessionBus} (the default). */
export function createMemoryBus(): MemorySessionBus {
  const listeners = new Map<string, Set<AnswerListener>>();
  let closed = false;
  return {
    async publish(orgId, answer) {
      if (closed) return;
      for (const listener of [...(listeners.get(orgId) ?? [])]) {
        try {
          listener(answer);
        } catch {
          // One broken stream must not starve the others.
        }
      }
    },
    subscribe(orgId, listener) {
      let set = listeners.get(orgId);
      if (!set) {
        set = new Set();
        listeners.set(orgId, set);
      }
      set.add(listener);
      return () => {
        const current = listeners.get(orgId);
        if (!current) return;
        current.delete(listener);
        if (current.size === 0) listeners.delete(orgId);
      };
    },
    onResync: () => () => {},
    async close() {
      closed = true;
      listeners.clear();
    },
    listenerCount(orgId) {
      if (orgId !== undefined) return listeners.get(orgId)?.size ?? 0;
      let total = 0;
      for (const set of listeners.values()) total += set.size;
      return total;
    },
  };
}
