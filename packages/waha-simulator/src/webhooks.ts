import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ClientRequest } from 'node:http';
import { SimulatorError } from './errors.js';
import { newRequestId } from './identifiers.js';
import type { Scheduler } from './scheduler.js';
import type { SessionStatusEvent, WebhookTarget } from './webhook-events.js';

/** Delivery counters (fire-and-forget: failures are counted, never thrown). */
export interface WebhookStats {
  /** POST attempts started (first tries and retries). */
  sent: number;
  /** Attempts answered with a 2xx. */
  delivered: number;
  /** Attempts that failed (network error or non-2xx). */
  failed: number;
  /** Retries scheduled after a failed attempt. */
  retried: number;
  /** Deliveries abandoned: failed with no retry left. */
  gaveUp: number;
  /** Deliveries refused because {@link WEBHOOK_PENDING_LIMIT} were already pending. */
  dropped: number;
  /** Deliveries not finished yet: in flight, waiting for a retry, delayed or held for reordering. */
  pending: number;
}

/** How deliveries are disturbed, to test a receiver against late, doubled and reordered events. */
export interface WebhookDeliveryOptions {
  /** Every delivery leaves this long after its event (on the clock). Default 0. */
  delayMs: number;
  /** Fraction (0..1) of events delivered twice (the same body and request id, as after a lost answer). Default 0. */
  duplicate: number;
  /**
   * Deliveries are held this long (on the clock), then sent newest first, one after the
   * other (each once the previous one got its answer), so they arrive in reverse order.
   * Default 0: each leaves at once.
   */
  reorderWindowMs: number;
}

/** Most deliveries pending at once; more are dropped (and counted). */
export const WEBHOOK_PENDING_LIMIT = 1000;

/**
 * WAHA's retry defaults (src/core/integrations/webhooks/WebhookSender.ts:
 * `DEFAULT_RETRY_ATTEMPTS = 15`, `DEFAULT_RETRY_DELAY_SECONDS = 2`, no policy → constant delay;
 * axios-retry with `retryCondition: () => true`, so any error or non-2xx is retried).
 */
export const WAHA_WEBHOOK_RETRIES = Object.freeze({ attempts: 15, delaySeconds: 2, policy: 'constant' as const });

/** More retries than this per delivery are not honoured (WAHA has no cap; the simulator keeps its work bounded). */
const MAX_RETRIES = 100;

interface Delivery {
  readonly url: string;
  readonly body: string;
  readonly headers: Record<string, string>;
  /** Retries still allowed. */
  retriesLeft: number;
  /** 1 for the first retry, 2 for the second… */
  retryNumber: number;
  readonly delayFor: (retryNumber: number) => number;
  /** Called once, when the first attempt has its outcome (a reordered batch sends its next one then). */
  afterFirstAttempt?: (() => void) | undefined;
}

/** What a sender needs. */
export interface WebhookSenderDeps {
  scheduler: Scheduler;
  /** `[0, 1)`: duplicates and exponential jitter. */
  random(): number;
}

/**
 * Posts each event on its own, never awaited, like WAHA: a failed attempt is retried on
 * the clock (when asked), so events can arrive late, twice and out of order. Each
 * delivery uses its own connection (`agent: false`) so a receiver can close without
 * lingering keep-alive sockets. Work is bounded by {@link WEBHOOK_PENDING_LIMIT}.
 */
export class WebhookSender {
  private readonly deps: WebhookSenderDeps;
  private readonly counters = { sent: 0, delivered: 0, failed: 0, retried: 0, gaveUp: 0, dropped: 0 };
  private readonly inFlight = new Set<ClientRequest>();
  private readonly settledWaiters: (() => void)[] = [];
  private options: WebhookDeliveryOptions = { delayMs: 0, duplicate: 0, reorderWindowMs: 0 };
  private held: Delivery[] = [];
  private releaseScheduled = false;
  private live = 0;
  private closed = false;

  constructor(deps: WebhookSenderDeps) {
    this.deps = deps;
  }

  /** The counters. */
  stats(): WebhookStats {
    return { ...this.counters, pending: this.live };
  }

  /** The current delivery disturbances. */
  deliveryOptions(): WebhookDeliveryOptions {
    return { ...this.options };
  }

  /** Changes the delivery disturbances (missing fields are kept). Throws `INVALID_ARGUMENT`. */
  configure(update: Partial<WebhookDeliveryOptions>): WebhookDeliveryOptions {
    const next = { ...this.options, ...Object.fromEntries(Object.entries(update).filter(([, value]) => value !== undefined)) };
    if (!(Number.isFinite(next.delayMs) && next.delayMs >= 0)) throw new SimulatorError('INVALID_ARGUMENT', 'delayMs must be a finite number >= 0');
    if (!(next.duplicate >= 0 && next.duplicate <= 1)) throw new SimulatorError('INVALID_ARGUMENT', 'duplicate must be between 0 and 1');
    if (!(Number.isFinite(next.reorderWindowMs) && next.reorderWindowMs >= 0)) throw new SimulatorError('INVALID_ARGUMENT', 'reorderWindowMs must be a finite number >= 0');
    this.options = next;
    return this.deliveryOptions();
  }

  /** Starts one delivery (two with `duplicate`); never throws. */
  send(target: WebhookTarget, event: SessionStatusEvent, how: { legacy: boolean; retries: boolean }): void {
    if (this.closed) return;
    const body = JSON.stringify(event);
    const delivery = (): Delivery => ({
      url: target.url,
      body,
      headers: deliveryHeaders(target, event, body, how.legacy),
      retriesLeft: how.retries ? retriesOf(target) : 0,
      retryNumber: 0,
      delayFor: retryDelay(target, this.deps.random),
    });
    const first = delivery();
    this.admit(first);
    if (this.options.duplicate > 0 && this.deps.random() < this.options.duplicate) this.admit({ ...first, headers: { ...first.headers } });
  }

  /** Resolves when no POST is in flight (retries waiting on the clock do not count). */
  settled(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** Aborts every POST in flight and forgets held deliveries; nothing is sent afterwards. */
  abortAll(): void {
    this.closed = true;
    this.held = [];
    for (const request of [...this.inFlight]) request.destroy();
  }

  private admit(delivery: Delivery): void {
    if (this.live >= WEBHOOK_PENDING_LIMIT) {
      this.counters.dropped += 1;
      return;
    }
    this.live += 1;
    const { reorderWindowMs } = this.options;
    if (reorderWindowMs === 0) {
      this.dispatch(delivery);
      return;
    }
    this.held.push(delivery);
    if (this.releaseScheduled) return;
    this.releaseScheduled = true;
    this.deps.scheduler.schedule(reorderWindowMs, () => {
      this.releaseScheduled = false;
      const batch = this.held.reverse();
      this.held = [];
      this.sendInTurn(batch);
    });
  }

  /** Sends the first delivery of `batch`, the next once it has its outcome, and so on. */
  private sendInTurn(batch: Delivery[]): void {
    const next = batch.shift();
    if (!next) return;
    next.afterFirstAttempt = () => this.sendInTurn(batch);
    this.dispatch(next);
  }

  private dispatch(delivery: Delivery): void {
    const { delayMs } = this.options;
    if (delayMs > 0) this.deps.scheduler.schedule(delayMs, () => this.attempt(delivery));
    else this.attempt(delivery);
  }

  private attempt(delivery: Delivery): void {
    if (this.closed) return;
    this.counters.sent += 1;
    let url: URL;
    try {
      url = new URL(delivery.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('unsupported protocol');
    } catch {
      this.outcome(delivery, false);
      return;
    }
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: 'POST',
      headers: { ...delivery.headers, 'content-length': String(Buffer.byteLength(delivery.body)) },
      agent: false,
    });
    this.inFlight.add(request);
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      this.inFlight.delete(request);
      this.outcome(delivery, ok);
      if (this.inFlight.size === 0) for (const resolve of this.settledWaiters.splice(0)) resolve();
    };
    // The answer's status decides; 'close' also covers connections dropped mid-answer.
    let answeredOk: boolean | null = null;
    request.on('response', (response) => {
      answeredOk = (response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 300;
      response.on('end', () => finish(answeredOk === true));
      response.on('error', () => finish(false));
      response.resume();
    });
    request.on('error', () => finish(false));
    request.on('close', () => finish(answeredOk === true));
    request.end(delivery.body);
  }

  private outcome(delivery: Delivery, ok: boolean): void {
    const after = delivery.afterFirstAttempt;
    delivery.afterFirstAttempt = undefined;
    after?.();
    if (ok) {
      this.counters.delivered += 1;
      this.live -= 1;
      return;
    }
    this.counters.failed += 1;
    if (this.closed || delivery.retriesLeft === 0) {
      this.counters.gaveUp += 1;
      this.live -= 1;
      return;
    }
    delivery.retriesLeft -= 1;
    delivery.retryNumber += 1;
    this.counters.retried += 1;
    this.deps.scheduler.schedule(delivery.delayFor(delivery.retryNumber), () => this.attempt(delivery));
  }
}

/**
 * WAHA's headers: `content-type`, `User-Agent: WAHA/<version>`, the hook's custom headers,
 * then `X-Webhook-Request-Id` (one per event, kept across retries), `X-Webhook-Timestamp`
 * and, with an HMAC key, `X-Webhook-Hmac` (hex HMAC-SHA512 of the raw body) +
 * `X-Webhook-Hmac-Algorithm: sha512`. WAHA 2024.10 Core sent only the first two.
 */
function deliveryHeaders(target: WebhookTarget, event: SessionStatusEvent, body: string, legacy: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': `WAHA/${event.environment.version}`,
  };
  if (legacy) return headers;
  for (const header of target.headers ?? []) {
    if (header && typeof header.name === 'string' && typeof header.value === 'string') headers[header.name.toLowerCase()] = header.value;
  }
  headers['content-type'] = 'application/json';
  headers['x-webhook-request-id'] = newRequestId(event.timestamp ?? 0);
  headers['x-webhook-timestamp'] = String(event.timestamp ?? '');
  if (target.hmacKey) {
    headers['x-webhook-hmac'] = createHmac('sha512', target.hmacKey).update(body).digest('hex');
    headers['x-webhook-hmac-algorithm'] = 'sha512';
  }
  return headers;
}

function retriesOf(target: WebhookTarget): number {
  const attempts = target.retries?.attempts;
  if (typeof attempts !== 'number' || !Number.isFinite(attempts) || attempts < 0) return WAHA_WEBHOOK_RETRIES.attempts;
  return Math.min(Math.floor(attempts), MAX_RETRIES);
}

/** WAHA's `buildRetryDelay`: no delay for 0 s, else constant (default), linear or exponential (+0–20 % jitter). */
function retryDelay(target: WebhookTarget, random: () => number): (retryNumber: number) => number {
  const seconds = target.retries?.delaySeconds;
  const delayMs = (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? seconds : WAHA_WEBHOOK_RETRIES.delaySeconds) * 1000;
  if (delayMs === 0) return () => 0;
  switch (target.retries?.policy) {
    case 'linear':
      return (n) => delayMs * n;
    case 'exponential':
      return (n) => 2 ** n * delayMs * (1 + 0.2 * random());
    default:
      return () => delayMs;
  }
}
