import { acquireSessionClient, resolveCadence, resolveCredentials, resolveEndpoint } from '@whatsapp-connector/client';
import type { CadenceOptions, HeadersInput, SessionClient, SessionClientOptions } from '@whatsapp-connector/client';

/** The element's properties that choose its client. */
export interface ClientSettings {
  /** A client the integrator injected; wins over everything else. */
  readonly client: SessionClient | undefined;
  /** The session endpoint, as set. */
  readonly endpoint: string;
  /** The `credentials` mode, as set. */
  readonly credentials: RequestCredentials;
  /** Extra request headers. */
  readonly headers: HeadersInput | undefined;
  /** Polling interval while waiting (ms), as set. */
  readonly qrInterval: number;
  /** Polling interval while connected (ms), as set. */
  readonly connectedInterval: number;
}

/** The element's client configuration at one moment, as the client will use it (its cadence resolved). */
export interface ClientSource extends CadenceOptions {
  readonly client: SessionClient | undefined;
  readonly endpoint: string;
  readonly credentials: RequestCredentials;
  readonly headers: HeadersInput | undefined;
}

/** A client in use and the way to give it back. */
export interface ClientLease {
  /** The client. */
  readonly client: SessionClient;
  /** Gives it back: a shared client is disposed when its last user releases it; an injected one is left alone. */
  release(): void;
}

/**
 * What `settings` mean to the client: its own defaults, floor and checks (the
 * element restates none of them), so that equal meanings compare equal.
 */
export function sourceOf(settings: ClientSettings): ClientSource {
  return {
    client: settings.client,
    endpoint: resolveEndpoint(settings.endpoint),
    credentials: resolveCredentials(settings.credentials),
    headers: settings.headers,
    ...resolveCadence({ waitingMs: settings.qrInterval, connectedMs: settings.connectedInterval }),
  };
}

/** `true` when both configurations lead to the same client. */
export function sameSource(a: ClientSource, b: ClientSource): boolean {
  return (Object.keys(a) as Array<keyof ClientSource>).every((key) => a[key] === b[key]);
}

/**
 * The client to use: the injected one (never stopped or disposed by the
 * element), else the shared client of this endpoint and configuration, so that
 * several elements on one page send one request per cadence tick.
 */
export function leaseClient(source: ClientSource): ClientLease {
  if (source.client) return { client: source.client, release: () => undefined };
  // The source is a CadenceOptions too: its waitingMs and connectedMs are the cadence. Only these
  // four: the standalone build leaves out the code of every other option (ELEMENT_OWNED in the client).
  const options = { endpoint: source.endpoint, credentials: source.credentials, headers: source.headers, cadence: source } satisfies Pick<SessionClientOptions, 'endpoint' | 'credentials' | 'headers' | 'cadence'>;
  return acquireSessionClient(options);
}
