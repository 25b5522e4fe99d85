import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';

/** Receives an organization's session answers as they change. */
export type AnswerListener = (answer: SessionAnswerWire) => void;

/**
 * Fans session answers out to the listeners of each organization (the SSE
 * streams). Each listener decides itself whether an answer is new to it.
 */
export class SessionHub {
  readonly #listeners = new Map<string, Set<AnswerListener>>();

  /** Adds a listener of `orgId`; returns its own unsubscribe. */
  subscribe(orgId: string, listener: AnswerListener): () => void {
    let set = this.#listeners.get(orgId);
    if (!set) {
      set = new Set();
      this.#listeners.set(orgId, set);
    }
    set.add(listener);
    return () => {
      const current = this.#listeners.get(orgId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.#listeners.delete(orgId);
    };
  }

  /** Number of listeners of `orgId` (all organizations without an argument). */
  listenerCount(orgId?: string): number {
    if (orgId !== undefined) return this.#listeners.get(orgId)?.size ?? 0;
    let total = 0;
    for (const set of this.#listeners.values()) total += set.size;
    return total;
  }

  /** Sends `answer` to every listener of `orgId`. */
  publish(orgId: string, answer: SessionAnswerWire): void {
    const set = this.#listeners.get(orgId);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(answer);
      } catch {
        // One broken stream must not starve the others.
      }
    }
  }
}
