import type { WahaSimulator } from '../../src/index.js';

/** A decoded answer. */
export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, else undefined. */
  json: unknown;
  /** Raw body. */
  bytes: Buffer;
}

/** Options of one request. */
export interface CallOptions {
  /** JSON body. */
  body?: unknown;
  /** Raw body (sent as is, with content-type application/json). */
  rawBody?: string;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** API key to send; `null` sends none. Default: the simulator's key. */
  key?: string | null;
}

/** Calls the simulator over real loopback HTTP. */
export async function call(sim: WahaSimulator, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  if (!sim.url) throw new Error('simulator is not listening');
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? sim.apiKey : options.key;
  if (key !== null) headers['x-api-key'] = key;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${sim.url}${path}`, { method, headers, body });
  const bytes = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type') ?? '';
  const json = type.includes('application/json') && bytes.length > 0 ? (JSON.parse(bytes.toString('utf8')) as unknown) : undefined;
  return { status: response.status, headers: response.headers, json, bytes };
}
