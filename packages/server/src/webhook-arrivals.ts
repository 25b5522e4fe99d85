import type { Clock, TimerHandle } from './clock.js';
import type { LogInput } from './logger.js';

/**
 * How long a verified webhook may take to follow a status change the server saw by
 * reading WAHA, before it says once that none arrives. WAHA retries a failed
 * delivery every 2 s, 15 times: 30 s covers a route that heals within its retries.
 */
export const WEBHOOK_GRACE_MS = 30_000;

/** Status changes remembered per organization, at most (the oldest are forgotten first). */
const MAX_REMEMBERED = 10_000;

/** What {@link WebhookArrivals} needs. */
export interface WebhookArrivalsOptions {
  clock: Clock;
  log: (input: LogInput) => void;
  /** The URL WAHA is told to call (`webhook.url`), for the warning; `undefined` when WAHA is configured by hand. */
  webhookUrl: string | undefined;
  /** The handler's webhook path for an organization, for the warning. */
  webhookPath: (orgId: string) => string;
  /** The stream refresh interval, for the warning. */
  refreshMs: number;
}

/** A URL without its query and fragment (a token may sit in a query); unparsable text is left out. */
function withoutQuery(url: string): string | null {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return null;
  }
}

/**
 * Which WAHAs have proven that their webhooks reach this handler. Until a verified
 * webhook arrives from an organization's WAHA, its open streams keep refreshing by
 * reading WAHA (a webhook route that answers 404 must not leave the browser without
 * its QR); after, WAHA's events do that job.
 *
 * Known per process, not across instances: an instance that has not yet received a
 * webhook keeps reading WAHA for its own streams — a few reads too many, never a
 * frozen QR — and with the webhooks load-balanced over the instances each one soon
 * receives its own. Sharing it would put a field in every store and bus for that.
 */
export class WebhookArrivals {
  readonly #options: WebhookArrivalsOptions;
  readonly #proven = new Set<string>();
  readonly #warned = new Set<string>();
  readonly #pending = new Map<string, TimerHandle>();
  /** The status each organization's refresh last saw, by WAHA and organization. */
  readonly #seen = new Map<string, string>();

  constructor(options: WebhookArrivalsOptions) {
    this.#options = options;
  }

  /** `true` once a verified webhook arrived from the WAHA at `wahaUrl` (normalized). */
  proven(wahaUrl: string): boolean {
    return this.#proven.has(wahaUrl);
  }

  /** A verified webhook arrived from the WAHA at `wahaUrl` (normalized). */
  verified(wahaUrl: string): void {
    this.#proven.add(wahaUrl);
    const pending = this.#pending.get(wahaUrl);
    if (pending !== undefined) this.#options.clock.clearTimeout(pending);
    this.#pending.delete(wahaUrl);
    for (const key of this.#seen.keys()) if (key.startsWith(`${wahaUrl}\u0000`)) this.#seen.delete(key);
  }

  /**
   * A stream (opening, or refreshing) read `orgId`'s session on the WAHA at `wahaUrl`
   * and found `status`. A change since the stream's previous read is one WAHA
   * announced by webhook too: when no verified webhook from that WAHA follows within
   * {@link WEBHOOK_GRACE_MS}, warn once for it.
   */
  observed(wahaUrl: string, orgId: string, status: string): void {
    if (this.#proven.has(wahaUrl)) return;
    const key = `${wahaUrl}\u0000${orgId}`;
    const before = this.#seen.get(key);
    this.#seen.delete(key);
    this.#seen.set(key, status);
    if (this.#seen.size > MAX_REMEMBERED) this.#seen.delete(this.#seen.keys().next().value!);
    if (before === undefined || before === status) return;
    if (this.#warned.has(wahaUrl) || this.#pending.has(wahaUrl)) return;
    const timer = this.#options.clock.setTimeout(() => {
      this.#pending.delete(wahaUrl);
      if (this.#proven.has(wahaUrl) || this.#warned.has(wahaUrl)) return;
      this.#warned.add(wahaUrl);
      this.#warn(orgId);
    }, WEBHOOK_GRACE_MS);
    this.#pending.set(wahaUrl, timer);
  }

  /** Clears the pending timers (handler shutdown). */
  close(): void {
    for (const timer of this.#pending.values()) this.#options.clock.clearTimeout(timer);
    this.#pending.clear();
  }

  #warn(orgId: string): void {
    const { webhookUrl, refreshMs } = this.#options;
    const target = webhookUrl === undefined ? null : withoutQuery(webhookUrl);
    let webhookPath = '<basePath>/webhook';
    try {
      webhookPath = this.#options.webhookPath(orgId);
    } catch {
      // A base path function that fails is reported by the requests themselves.
    }
    this.#options.log({
      level: 'warn',
      event: 'webhook.none_received',
      message:
        `No verified webhook has arrived from the WAHA of this organization although its session changed ${WEBHOOK_GRACE_MS / 1000} s ago; ` +
        `its streams keep reading WAHA every ${refreshMs / 1000} s. ` +
        (target
          ? `WAHA is told to call ${target}: check that it reaches this handler's ${webhookPath} and carries the token.`
          : `Configure WAHA to call this handler's ${webhookPath} with the token.`),
      orgId,
      webhookUrl: target,
    });
  }
}
