import { newEventId } from './identifiers.js';
import type { WahaEngine, WahaMeInfo, WahaSessionConfig, WahaStatus, WahaStatusPoint, WahaWebhookConfig } from './types.js';

/** The `environment` block WAHA puts in every webhook envelope (and answers on `/api/server/version`). */
export interface WahaEnvironment {
  version: string;
  engine: string;
  tier: string;
  browser: string;
  platform: string;
  worker: { id: string | null };
}

/**
 * The `session.status` webhook body, as WAHA sends it. WAHA 2024.10 (the `legacyWebhooks`
 * quirk) sends no `id`, `timestamp` or `payload.statuses`.
 */
export interface SessionStatusEvent {
  /** `evt_` + lower-case ULID; absent from WAHA 2024.10's webhooks. */
  id?: string;
  /** Milliseconds since the epoch, on the simulator's clock; absent from WAHA 2024.10's webhooks. */
  timestamp?: number;
  event: 'session.status';
  session: string;
  /** The session's `config.metadata`, when set. */
  metadata?: Record<string, string>;
  /** The account the engine knows, `null` when it knows none (WAHA sends `null`, not nothing). */
  me: WahaMeInfo | null;
  engine: WahaEngine;
  environment: WahaEnvironment;
  payload: { name: string; status: WahaStatus; statuses?: WahaStatusPoint[] };
}

/** The version the simulator reports by default: the WAHA whose OpenAPI it imitates. */
export const SIMULATED_WAHA_VERSION = '2026.7.1';

/** Builds a `session.status` envelope (WAHA's `populateSessionInfo`, or 2024.10's shape when `legacy`). */
export function sessionStatusEvent(input: {
  now: number;
  environment: WahaEnvironment;
  engine: WahaEngine;
  session: string;
  status: WahaStatus;
  statuses: readonly WahaStatusPoint[];
  me: WahaMeInfo | null;
  config: WahaSessionConfig | undefined;
  legacy: boolean;
}): SessionStatusEvent {
  const payload: SessionStatusEvent['payload'] = { name: input.session, status: input.status };
  if (!input.legacy) payload.statuses = input.statuses.map((point) => ({ ...point }));
  const event: SessionStatusEvent = {
    ...(input.legacy ? {} : { id: newEventId(input.now), timestamp: input.now }),
    event: 'session.status',
    session: input.session,
    me: input.me ? { ...input.me } : null,
    engine: input.engine,
    environment: { ...input.environment, worker: { ...input.environment.worker } },
    payload,
  };
  if (input.config?.metadata) event.metadata = { ...input.config.metadata };
  return event;
}

/** One place a webhook goes to. */
export interface WebhookTarget {
  url: string;
  hmacKey?: string | undefined;
  headers?: { name: string; value: string }[] | undefined;
  retries?: WahaWebhookConfig['retries'];
}

/** The targets of a session's `session.status` events: each matching `config.webhooks` entry, then the global URL (WAHA's order). */
export function webhookTargets(globalUrl: string | undefined, config: WahaSessionConfig | undefined): WebhookTarget[] {
  const targets: WebhookTarget[] = [];
  for (const hook of config?.webhooks ?? []) {
    if (!hook || typeof hook.url !== 'string') continue;
    const events = Array.isArray(hook.events) ? hook.events : [];
    if (!events.includes('session.status') && !events.includes('*')) continue;
    targets.push({ url: hook.url, hmacKey: hook.hmac?.key ?? undefined, headers: hook.customHeaders ?? undefined, retries: hook.retries });
  }
  if (globalUrl) targets.push({ url: globalUrl });
  return targets;
}
