import { HttpError } from './errors.js';

/** Streams one organization may hold open at once, by default. */
export const DEFAULT_MAX_STREAMS_PER_ORGANIZATION = 20;

/** Streams one server process may hold open at once, by default. */
export const DEFAULT_MAX_STREAMS = 2_000;

/** Bytes a stream may have waiting for a slow reader before it is dropped, by default (64 KiB). */
export const DEFAULT_MAX_QUEUED_BYTES = 64 * 1024;

/** The `Retry-After` of a refused stream, in seconds: the client polls meanwhile. */
export const STREAM_RETRY_AFTER_SECONDS = 30;

/** How many streams may be open. */
export interface StreamLimits {
  /** Per organization. */
  perOrganization: number;
  /** In this process, all organizations together. */
  total: number;
}

/** The 429 of a stream beyond a cap. */
function tooMany(message: string): HttpError {
  return new HttpError(429, 'rate_limited', message, { 'retry-after': String(STREAM_RETRY_AFTER_SECONDS) });
}

/**
 * Counts open streams per organization and in total, and refuses the ones beyond
 * the caps. A slot is taken synchronously, before any await, so a burst of
 * connections cannot all pass the check together; it is given back exactly once.
 */
export class StreamSlots {
  readonly #limits: StreamLimits;
  readonly #perOrganization = new Map<string, number>();
  #total = 0;

  constructor(limits: StreamLimits) {
    this.#limits = limits;
  }

  /** Throws the 429 when the process is full, before the caller is even authenticated. */
  checkTotal(): void {
    if (this.#total >= this.#limits.total) throw tooMany('Too many open session streams on this server. Try again later.');
  }

  /** Takes a slot for `orgId` or throws the 429; returns the slot's release (idempotent). */
  acquire(orgId: string): () => void {
    this.checkTotal();
    const held = this.#perOrganization.get(orgId) ?? 0;
    if (held >= this.#limits.perOrganization) throw tooMany('Too many open session streams for this organization. Close other tabs or try again later.');
    this.#perOrganization.set(orgId, held + 1);
    this.#total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total--;
      const left = (this.#perOrganization.get(orgId) ?? 1) - 1;
      if (left > 0) this.#perOrganization.set(orgId, left);
      else this.#perOrganization.delete(orgId);
    };
  }

  /** Open streams of `orgId`, or of every organization without an argument. */
  count(orgId?: string): number {
    return orgId === undefined ? this.#total : (this.#perOrganization.get(orgId) ?? 0);
  }
}
