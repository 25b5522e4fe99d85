/** One request the kit sent and what came back, kept for assertions and details. */
export interface Exchange {
  /** `GET`, `POST`, … */
  readonly method: string;
  /** The HTTP status. */
  readonly status: number;
  /** The response headers. */
  readonly headers: Headers;
  /** The `Content-Type` media type, lower-cased without parameters (`''` when absent). */
  readonly mediaType: string;
  /** The body as text. */
  readonly text: string;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  readonly json: unknown;
  /** `true` when the body parsed as JSON. */
  readonly isJson: boolean;
}

/** What one request is made of. */
export interface RequestSpec {
  method: string;
  /** A body sent as is (strings are sent verbatim, so broken JSON can be tested). */
  body?: string;
  /** Extra headers for this request only. */
  headers?: Record<string, string>;
  /** Send without the credentials headers given to the kit (for `auth.401`). */
  anonymous?: boolean;
  /** Override the URL (the stream check). */
  url?: string;
}

/** A request failed before an HTTP answer (network, timeout). */
export class TransportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportError';
  }
}

/** Sends requests to the endpoint under test. */
export interface HttpAgent {
  /** Sends one request and reads the whole answer; throws a `TransportError` (an `Error`) when no answer arrives. */
  send(spec: RequestSpec): Promise<Exchange>;
}

/** Settings of {@link createHttpAgent}. */
export interface HttpAgentOptions {
  url: string;
  headers: Record<string, string>;
  fetch: typeof fetch;
  timeoutMs: number;
}

/** The media type of a `Content-Type` value, lower-cased, parameters dropped. */
export function mediaTypeOf(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Merges header sets case-insensitively, later ones winning (a user's `Accept`
 * replaces the default `accept` instead of being joined to it).
 */
export function mergeHeaders(...sets: readonly Readonly<Record<string, string>>[]): Headers {
  const headers = new Headers();
  for (const set of sets) for (const [name, value] of Object.entries(set)) headers.set(name, value);
  return headers;
}

/** Creates the agent every check talks through, so timeouts and credentials are handled once. */
export function createHttpAgent(options: HttpAgentOptions): HttpAgent {
  return {
    async send(spec) {
      const url = spec.url ?? options.url;
      const headers = mergeHeaders({ accept: 'application/json' }, spec.anonymous ? {} : options.headers, spec.headers ?? {});
      const signal = AbortSignal.timeout(options.timeoutMs);
      let response: Response;
      let text: string;
      try {
        response = await options.fetch(url, { method: spec.method, headers, body: spec.body, signal, redirect: 'manual' });
        text = await response.text();
      } catch (cause) {
        if (signal.aborted) {
          throw new TransportError(`${spec.method} ${url}: no answer within ${options.timeoutMs} ms`, { cause });
        }
        const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
        throw new TransportError(`${spec.method} ${url}: the request failed (${reason})`, { cause });
      }
      let json: unknown;
      let isJson = false;
      try {
        json = JSON.parse(text);
        isJson = true;
      } catch {
        json = undefined;
      }
      return {
        method: spec.method,
        status: response.status,
        headers: response.headers,
        mediaType: mediaTypeOf(response.headers.get('content-type')),
        text,
        json,
        isJson,
      };
    },
  };
}

/** A short, single-line preview of a body for failure details (HTML stays visible as text). */
export function preview(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(empty body)';
  return flat.length > max ? `${JSON.stringify(flat.slice(0, max))}…` : JSON.stringify(flat);
}

/** `HTTP 400 application/json {"error":…}` — how details describe an answer. */
export function describeExchange(exchange: Exchange): string {
  return `HTTP ${exchange.status} ${exchange.mediaType || '(no content-type)'} ${preview(exchange.text)}`;
}
