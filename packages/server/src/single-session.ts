import type { Clock } from './clock.js';
import type { ResolvedWaha } from './config.js';
import { HttpError } from './errors.js';
import type { StoreAccess } from './store-access.js';

/** The one session name a single-session WAHA (WAHA Core before 2026.6.1) accepts. */
export const SINGLE_SESSION_NAME = 'default';

/** How long this process remembers that a WAHA URL accepts only `default`, in ms (WAHA may be upgraded meanwhile). */
const REMEMBER_MS = 10 * 60_000;
/** The most single-session WAHA URLs remembered at once. */
const REMEMBER_MAX = 1_000;

/** What {@link SingleSessionWahas} needs. */
export interface SingleSessionOptions {
  store: StoreAccess;
  clock: Clock;
  /** The normalized WAHA URL an organization is configured with. */
  wahaUrlOf: (orgId: string) => Promise<string>;
  /**
   * The organization the session `default` on `waha` names in its metadata (the one the
   * server created it for), `null` when it names none or does not exist.
   */
  ownerInWaha: (waha: ResolvedWaha) => Promise<string | null>;
}

/**
 * WAHAs that allow only the session `default` (WAHA Core before 2026.6.1, or one WAHA
 * per organization), detected from WAHA's own 422 — no configuration.
 *
 * **Ownership.** The organization that owns such a WAHA is the one whose record in the
 * store holds the session name `default` on that WAHA's URL (when several do, the
 * store's earliest-created record). It is in the store, so it survives restarts and
 * holds across instances. The first organization to meet the WAHA's refusal while
 * nobody owns it claims it; every other organization pointed at that WAHA gets 409
 * `waha_single_session` and never sees or changes the owner's session. A legacy record
 * that holds `default` without a WAHA URL belongs to the WAHA its organization is
 * configured with. Before a claim, the session `default` itself is asked: when its
 * metadata names another organization (the server created it for that one) whose record
 * still holds `default`, the claim is refused too — the same WAHA may be spelled with
 * another URL (host name, IP, a trailing dot), which the store's URL alone cannot tell.
 *
 * This process also remembers, for a while, which URLs are single-session, so that
 * the other organizations are refused without asking WAHA again.
 */
export class SingleSessionWahas {
  readonly #options: SingleSessionOptions;
  readonly #known = new Map<string, number>();

  constructor(options: SingleSessionOptions) {
    this.#options = options;
  }

  /** `true` when `url` refused another name than `default` not long ago. */
  isKnown(url: string): boolean {
    const until = this.#known.get(url);
    if (until === undefined) return false;
    if (until > this.#options.clock.now()) return true;
    this.#known.delete(url);
    return false;
  }

  /** Remembers that `url` accepts only `default`. */
  remember(url: string): void {
    this.#known.delete(url);
    if (this.#known.size >= REMEMBER_MAX) this.#known.delete(this.#known.keys().next().value!);
    this.#known.set(url, this.#options.clock.now() + REMEMBER_MS);
  }

  /**
   * Makes `orgId` the owner of its single-session WAHA `waha` when nobody owns it
   * (and confirms it when it does), or throws 409 `waha_single_session` when another
   * organization owns it. Two organizations claiming at once both write, then both
   * read the owner back: the store's answer is the same for both, and the loser gives
   * its claim back. Resolves `true` when this call made `orgId` the owner.
   */
  async claim(orgId: string, waha: ResolvedWaha): Promise<boolean> {
    const { url } = waha;
    const owner = await this.ownerOf(url);
    if (owner === orgId) return false;
    if (owner !== null) throw refusal();
    const named = await this.#options.ownerInWaha(waha);
    // Still that organization's (its record holds `default`): not cleared by an operator.
    if (named !== null && named !== orgId && (await this.#options.store.get(named))?.sessionName === SINGLE_SESSION_NAME) throw refusal();
    const { store } = this.#options;
    await store.update(orgId, (current) => ({ ...(current ?? { connected: false }), sessionName: SINGLE_SESSION_NAME, wahaUrl: url }));
    if ((await this.ownerOf(url)) === orgId) return true;
    await store.update(orgId, (current) =>
      current?.sessionName === SINGLE_SESSION_NAME && current.wahaUrl === url ? { ...current, sessionName: null } : null,
    );
    throw refusal();
  }

  /** The organization that owns the single-session WAHA at `url`, or `null`. */
  async ownerOf(url: string): Promise<string | null> {
    const { store } = this.#options;
    const candidate = await store.findOrganization(SINGLE_SESSION_NAME, url);
    if (candidate === null) return null;
    const record = await store.get(candidate);
    if (record?.sessionName !== SINGLE_SESSION_NAME) return null;
    if (record.wahaUrl === url) return candidate;
    // The store prefers an exact URL: a record without one means no record names this URL.
    if (record.wahaUrl === null || record.wahaUrl === undefined) {
      return (await this.#options.wahaUrlOf(candidate)) === url ? candidate : null;
    }
    return null;
  }
}

function refusal(): HttpError {
  return new HttpError(
    409,
    'waha_single_session',
    "This organization's WhatsApp service (WAHA) runs a single session, and another organization uses it. Ask an administrator to give this organization its own WAHA.",
  );
}
