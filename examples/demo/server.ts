import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DEFAULT_SESSION_PREFIX,
  canonicalSessionName,
  createMemoryStore,
  createSessionHandler,
  type ActionLock,
  type LogRecord,
  type ServerMetrics,
  type SessionBus,
  type SessionHandler,
  type SessionStore,
} from '@whatsapp-connector/server';
import { toNodeHandler, type NodeHandler } from '@whatsapp-connector/server/node';
import {
  CONTROL_PREFIX,
  createWahaSimulator,
  type SimulatorProfileName,
  type SimulatorTimings,
  type WahaSimulator,
} from '@whatsapp-connector/waha-simulator';
import { bundlePage } from './bundle.js';
import { demoOrganization, orgCookie, requestedOrg } from './demo-auth.js';
import { loadPublicFiles, send, sendJson } from './static.js';

/** Where the widget finds its backend (the element's default). */
export const SESSION_ENDPOINT = '/api/whatsapp/session';
/** What the page asks to learn the mode and its session name. */
export const CONFIG_PATH = '/demo/config';

/** Simulator timings that make the demo lively: a short boot, WAHA's own QR rotation. */
export const DEMO_TIMINGS: Readonly<Partial<SimulatorTimings>> = Object.freeze({ startingMs: 1500 });

/** Options of {@link startDemo}. */
export interface DemoOptions {
  /** Port of the demo server (default 0: any free port). */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** A real WAHA's base URL; without it the embedded simulator plays WAHA. */
  wahaUrl?: string;
  /** The real WAHA's API key (stays on the server). */
  wahaApiKey?: string;
  /** Simulator lifecycle timings (default {@link DEMO_TIMINGS}); ignored with a real WAHA. */
  simulatorTimings?: Partial<SimulatorTimings>;
  /** Which WAHA the simulator imitates (default: the realistic `core-2026`, WAHA's own latencies); ignored with a real WAHA. */
  simulatorProfile?: SimulatorProfileName;
  /** Receives one human-readable line per backend event (default: dropped). */
  log?: (line: string) => void;
  /**
   * Where the backend keeps its truth (default: in memory, this process only).
   * `npm start` passes PostgreSQL's (`examples/demo/postgres.ts`) when `DATABASE_URL` is set.
   */
  shared?: { store: SessionStore; bus?: SessionBus; lock?: ActionLock; metrics?: ServerMetrics };
}

/** What the page learns from `GET /demo/config`. */
export interface DemoConfig {
  /** `simulator`: the phone panel drives the embedded simulator; `waha`: a real WAHA, no phone panel. */
  mode: 'simulator' | 'waha';
  /** The caller's organization (the demo's stand-in for authentication). */
  organization: string;
  /** The WAHA session of that organization. */
  sessionName: string;
  /** URL prefix of the simulator's control routes, in simulator mode. */
  simulatorControl: string | null;
  /** The origin of the real WAHA, in WAHA mode. */
  wahaOrigin: string | null;
}

/** A running demo. */
export interface RunningDemo {
  /** The page, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  /** `simulator` or `waha`. */
  readonly mode: DemoConfig['mode'];
  /** The embedded simulator, or `null` against a real WAHA. */
  readonly simulator: WahaSimulator | null;
  /** How long bundling the page script took, in ms. */
  readonly bundleMs: number;
  /** Ends open streams, closes the servers and cancels the simulator's timers. Idempotent. */
  close(): Promise<void>;
}

function formatRecord(record: LogRecord): string {
  const where = [record.orgId && `org ${record.orgId}`, record.session].filter(Boolean).join(', ');
  return `${record.level.padEnd(5)} ${record.event}: ${record.message}${where ? ` (${where})` : ''}`;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * Starts the demo: one HTTP server serving the page (bundled at startup), the
 * reference session backend of `@whatsapp-connector/server` at
 * `/api/whatsapp/session`, and, without `wahaUrl`, the embedded WAHA simulator
 * with its control routes at `/__simulator/*` for the page's phone panel.
 *
 * @example
 * ```ts
 * const demo = await startDemo({ port: 3000 });
 * console.log(demo.url); // http://127.0.0.1:3000
 * await demo.close();
 * ```
 */
export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const log = options.log ?? (() => {});
  const [bundle, publicFiles] = await Promise.all([
    bundlePage(new URL('public/demo.ts', import.meta.url).pathname),
    loadPublicFiles(),
  ]);

  const simulator = options.wahaUrl
    ? null
    : createWahaSimulator({ profile: options.simulatorProfile, timings: { ...DEMO_TIMINGS, ...options.simulatorTimings } });
  const wahaUrl = simulator ? await simulator.listen(0, '127.0.0.1') : options.wahaUrl!;
  const wahaApiKey = simulator ? simulator.apiKey : (options.wahaApiKey ?? null);

  let session: { handler: SessionHandler; node: NodeHandler } | null = null;
  const server = createServer((req, res) => route(req, res));

  // The demo's own store, so that the page learns the session name the backend uses.
  const store = options.shared?.store ?? createMemoryStore();

  async function config(req: IncomingMessage): Promise<DemoConfig> {
    const organization = demoOrganization(req.headers.cookie);
    // A single-session WAHA (`--profile core-2024`) names its one session `default`.
    const singleSession = simulator !== null && simulator.settings().quirks.singleSession !== false;
    const stored = (await store.get(organization))?.sessionName;
    return {
      mode: simulator ? 'simulator' : 'waha',
      organization,
      sessionName: stored || (singleSession ? 'default' : canonicalSessionName(DEFAULT_SESSION_PREFIX, organization)),
      simulatorControl: simulator ? CONTROL_PREFIX : null,
      wahaOrigin: simulator ? null : originOf(wahaUrl),
    };
  }

  function route(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === SESSION_ENDPOINT || path.startsWith(`${SESSION_ENDPOINT}/`)) {
      if (!session) return sendJson(res, 503, { error: { code: 'starting', message: 'The demo is starting.' } });
      return session.node(req, res);
    }
    if (simulator && (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`))) return simulator.handle(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed.\n', { allow: 'GET, HEAD' });
    }
    if (path === CONFIG_PATH) {
      void config(req).then((body) => sendJson(res, 200, body));
      return;
    }
    const asset = bundle.files.get(path);
    if (asset) return send(res, 200, 'text/javascript; charset=utf-8', asset);
    const file = publicFiles.get(path === '/index.html' ? '/' : path);
    if (!file) return send(res, 404, 'text/plain; charset=utf-8', 'Not found.\n');
    const org = path === '/' ? requestedOrg(req) : null;
    return send(res, 200, file.contentType, file.body, org ? { 'set-cookie': orgCookie(org) } : {});
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // E.g. the port is taken: leave nothing running behind.
    await simulator?.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  // With the simulator, WAHA's session.status webhooks reach this server and the
  // widget hears about them over Server-Sent Events at once. A real WAHA usually
  // cannot reach a laptop's loopback, so there the widget polls.
  const handler = createSessionHandler({
    // The demo's stand-in for authentication; see demo-auth.ts for what a real host does.
    getOrganizationId: (request) => demoOrganization(request.headers.get('cookie')),
    store,
    ...(options.shared?.bus ? { bus: options.shared.bus } : {}),
    ...(options.shared?.lock ? { lock: options.shared.lock } : {}),
    ...(options.shared?.metrics ? { metrics: options.shared.metrics } : {}),
    waha: { url: wahaUrl, apiKey: wahaApiKey },
    ...(simulator
      ? { stream: true, webhook: { token: randomUUID(), url: `${url}${SESSION_ENDPOINT}/webhook` } }
      : {}),
    logger: (record) => {
      if (record.level !== 'debug') log(formatRecord(record));
    },
  });
  session = { handler, node: toNodeHandler(handler) };

  let closing: Promise<void> | null = null;
  return {
    url,
    mode: simulator ? 'simulator' : 'waha',
    simulator,
    bundleMs: bundle.durationMs,
    close() {
      closing ??= (async () => {
        handler.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await simulator?.close();
      })();
      return closing;
    },
  };
}
