import { acquireSessionClient } from '@whatsapp-connector/client';
import type { HeadersInput, SessionClient } from '@whatsapp-connector/client';

/** The element's client configuration at one moment. */
export interface ClientSource {
  /** A client the integrator injected; wins over everything else. */
  readonly client: SessionClient | undefined;
  /** The session endpoint. */
  readonly endpoint: string;
  /** The `credentials` mode of requests. */
  readonly credentials: RequestCredentials;
  /** Extra request headers. */
  readonly headers: HeadersInput | undefined;
  /** Polling interval while waiting (ms). */
  readonly waitingMs: number;
  /** Polling interval while connected (ms). */
  readonly connectedMs: number;
}

/** A client in use and the way to give it back. */
export interface ClientLease {
  /** The client. */
  readonly client: SessionClient;
  /** Gives it back: a shared client is disposed when its last user releases it; an injected one is left alone. */
  release(): void;
}

/** `true` when both configurations lead to the same client. */
export function sameSource(a: ClientSource, b: ClientSource): boolean {
  return (
    a.client === b.client &&
    a.endpoint === b.endpoint &&
    a.credentials === b.credentials &&
    a.headers === b.headers &&
    a.waitingMs === b.waitingMs &&
    a.connectedMs === b.connectedMs
  );
}

/**
 * The client to use: the injected one (never stopped or disposed by the
 * element), else the shared client of this endpoint and configuration, so that
 * several elements on one page send one request per cadence tick.
 */
export function leaseClient(source: ClientSource): ClientLease {
  if (source.client) return { client: source.client, release: () => undefined };
  return acquireSessionClient({
    endpoint: source.endpoint,
    credentials: source.credentials,
    ...(source.headers ? { headers: source.headers } : {}),
    cadence: { waitingMs: source.waitingMs, connectedMs: source.connectedMs },
  });
}
