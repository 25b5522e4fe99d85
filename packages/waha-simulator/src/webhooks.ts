import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ClientRequest } from 'node:http';
import { newEventId } from './identifiers.js';
import type { WahaEngine, WahaMeInfo, WahaSessionConfig, WahaStatus, WahaStatusPoint } from './types.js';

/** The `environment` block WAHA puts in every webhook envelope. */
export interface WahaEnvironment {
  version: string;
  engine: string;
  tier: string;
  browser: string;
  platform: string;
  worker: { id: string | null };
}

/** The `session.status` webhook body, as WAHA sends it. */
export interface SessionStatusEvent {
  /** `evt_` + lower-case ULID. */
  id: string;
  /** Milliseconds since the epoch, on the simulator's clock. */
  timestamp: number;
  event: 'session.status';
  session: string;
  /** The session's `config.metadata`, when set. */
  metadata?: Record<string, string>;
  /** The linked account, when the session has one. */
  me?: WahaMeInfo;
  engine: WahaEngine;
  environment: WahaEnvironment;
  payload: { name: string; status: WahaStatus; statuses: WahaStatusPoint[] };
}

/** Delivery counters (fire-and-forget: failures are counted, never thrown). */
export interface WebhookStats {
  /** Deliveries started. */
  sent: number;
  /** Deliveries answered with a 2xx. */
  delivered: number;
  /** Deliveries that failed (network error or non-2xx). */
  failed: number;
}

/** The version the simulator reports in `environment.version`: the WAHA OpenAPI it imitates. */
export const SIMULATED_WAHA_VERSION = '2026.7.1';

/** Builds a `session.status` envelope. */
export function sessionStatusEvent(input: {
  now: number;
  engine: WahaEngine;
  session: string;
  status: WahaStatus;
  statuses: readonly WahaStatusPoint[];
  me: WahaMeInfo | null;
  config: WahaSessionConfig | undefined;
}): SessionStatusEvent {
  const event: SessionStatusEvent = {
    id: newEventId(input.now),
    timestamp: input.now,
    event: 'session.status',
    session: input.session,
    engine: input.engine,
    environment: {
      version: SIMULATED_WAHA_VERSION,
      engine: input.engine,
      tier: 'CORE',
      browser: '',
      platform: `${process.platform}/${process.arch}`,
      worker: { id: null },
    },
    payload: { name: input.session, status: input.status, statuses: input.statuses.map((point) => ({ ...point })) },
  };
  if (input.config?.metadata) event.metadata = { ...input.config.metadata };
  if (input.me) event.me = { ...input.me };
  return event;
}

/** One place a webhook goes to. */
export interface WebhookTarget {
  url: string;
  hmacKey?: string | undefined;
  headers?: { name: string; value: string }[] | undefined;
}

/** The targets of a session's `session.status` events: the global URL plus matching `config.webhooks`. */
export function webhookTargets(globalUrl: string | undefined, config: WahaSessionConfig | undefined): WebhookTarget[] {
  const targets: WebhookTarget[] = [];
  if (globalUrl) targets.push({ url: globalUrl });
  for (const hook of config?.webhooks ?? []) {
    if (!hook || typeof hook.url !== 'string') continue;
    const events = Array.isArray(hook.events) ? hook.events : [];
    if (!events.includes('session.status') && !events.includes('*')) continue;
    targets.push({ url: hook.url, hmacKey: hook.hmac?.key ?? undefined, headers: hook.customHeaders ?? undefined });
  }
  return targets;
}

/**
 * Posts events without waiting (like WAHA without retries). Each delivery uses its own
 * connection (`agent: false`) so a receiver can close without lingering keep-alive sockets.
 */
export class WebhookSender {
  readonly stats: WebhookStats = { sent: 0, delivered: 0, failed: 0 };
  private readonly inFlight = new Set<ClientRequest>();
  private readonly settledWaiters: (() => void)[] = [];

  /** Starts one delivery; never throws. */
  send(target: WebhookTarget, event: SessionStatusEvent): void {
    const body = JSON.stringify(event);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'x-webhook-request-id': event.id,
      'x-webhook-timestamp': String(event.timestamp),
    };
    for (const header of target.headers ?? []) headers[header.name.toLowerCase()] = header.value;
    if (target.hmacKey) {
      headers['x-webhook-hmac'] = createHmac('sha512', target.hmacKey).update(body).digest('hex');
      headers['x-webhook-hmac-algorithm'] = 'sha512';
    }
    this.stats.sent += 1;
    let url: URL;
    try {
      url = new URL(target.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('unsupported protocol');
    } catch {
      this.stats.failed += 1;
      return;
    }
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: 'POST', headers, agent: false });
    this.inFlight.add(request);
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      if (ok) this.stats.delivered += 1;
      else this.stats.failed += 1;
      this.inFlight.delete(request);
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
    request.end(body);
  }

  /** Resolves when no delivery is in flight. */
  settled(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** Aborts every delivery in flight (counted as failed). */
  abortAll(): void {
    for (const request of [...this.inFlight]) request.destroy();
  }
}
