import type { Server } from 'node:http';
import FakeTimers from '@sinonjs/fake-timers';
import { createWahaSimulator, type WahaSimulator } from '@whatsapp-connector/waha-simulator';
import { createMemoryStore, createSessionHandler, type Clock, type LogRecord, type MemorySessionStore, type SessionHandler, type SessionHandlerOptions, type SessionTransition, type WahaDefaults } from '../src/index.js';

/** The simulator's API key in tests; asserted never to leak. */
export const API_KEY = 'sk-test-very-secret-waha-key-0123456789';
export const ENDPOINT = 'http://app.test/api/whatsapp/session';

export type FakeClock = ReturnType<typeof FakeTimers.createClock>;

/** One handler (one server "instance") and its request helpers. */
export interface Instance {
  handler: SessionHandler;
  logs: LogRecord[];
  transitions: SessionTransition[];
  get(org: string | null, path?: string): Promise<Response>;
  post(org: string | null, body: unknown, init?: { contentType?: string; path?: string }): Promise<Response>;
}

export interface Harness extends Instance {
  sim: WahaSimulator;
  wahaUrl: string;
  fake: FakeClock;
  store: MemorySessionStore;
  /** Another handler (another server instance) over the same simulator and store, with the same defaults. Closed with the harness. */
  instance(options?: Partial<SessionHandlerOptions>): Instance;
  /** The simulator requests with a method and path, as `"GET /api/sessions/x"`. */
  calls(): string[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  handler?: Partial<SessionHandlerOptions>;
  store?: MemorySessionStore;
  sim?: Parameters<typeof createWahaSimulator>[0];
  /** Overrides of the handler's WAHA defaults (URL and key point at the simulator). */
  waha?: Partial<WahaDefaults>;
  /** The handler runs on the simulator's fake clock too (its budgets, deadlines and timers); default: real time. */
  sharedClock?: boolean;
  /** Runs before each WAHA request leaves the handler (e.g. to move the fake clock mid-request). */
  beforeWahaFetch?: (url: string, fake: FakeClock) => void;
}

/** A simulator on loopback driven by a fake clock, and a handler pointed at it. */
export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = FakeTimers.createClock(1_800_000_000_000);
  const clock: Clock = { now: () => fake.now, setTimeout: (fn, ms) => fake.setTimeout(fn, ms), clearTimeout: (h) => fake.clearTimeout(h as never) };
  const sim = createWahaSimulator({ profile: 'fast', apiKey: API_KEY, clock, ...options.sim });
  const wahaUrl = await sim.listen(0, '127.0.0.1');
  const store = options.store ?? createMemoryStore();
  const headers = (org: string | null): Record<string, string> => (org === null ? {} : { 'x-org': encodeURIComponent(org) });
  const handlers: SessionHandler[] = [];
  const instance = (overrides: Partial<SessionHandlerOptions> = {}): Instance => {
    const logs: LogRecord[] = [];
    const transitions: SessionTransition[] = [];
    const handler = createSessionHandler({
      getOrganizationId: (request) => {
        const org = request.headers.get('x-org');
        return org === null ? null : decodeURIComponent(org);
      },
      store,
      waha: {
        url: wahaUrl,
        apiKey: API_KEY,
        retry: { attempts: 1 },
        fetch: (input, init) => {
          options.beforeWahaFetch?.(input instanceof Request ? input.url : String(input), fake);
          return fetch(input, init);
        },
        ...options.waha,
      },
      logger: (record) => logs.push(record),
      onTransition: (transition) => transitions.push(transition),
      sessionPrefix: 'eagles',
      ...(options.sharedClock ? { clock } : {}),
      ...options.handler,
      ...overrides,
    });
    handlers.push(handler);
    return {
      handler,
      logs,
      transitions,
      get: (org, path = '') => handler(new Request(ENDPOINT + path, { headers: headers(org) })),
      post: (org, body, init = {}) =>
        handler(
          new Request(ENDPOINT + (init.path ?? ''), {
            method: 'POST',
            headers: { ...headers(org), 'content-type': init.contentType ?? 'application/json' },
            body: typeof body === 'string' ? body : JSON.stringify(body),
          }),
        ),
    };
  };
  return {
    sim,
    wahaUrl,
    fake,
    store,
    ...instance(),
    instance,
    calls: () => sim.requestLog().map((entry) => `${entry.method} ${entry.path}`),
    async close() {
      for (const handler of handlers) handler.close();
      await sim.close();
    },
  };
}

/** Reads a JSON body. */
export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** The simulator calls that change a session (anything but reads). */
export function mutatingCalls(calls: string[]): string[] {
  return calls.filter((call) => !call.startsWith('GET '));
}

/** Closes a test's HTTP server, its open connections (streams, keep-alive) included. */
export async function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** WAHA Core's refusal of any session name but `default` (`OnlyDefaultSessionIsAllowed`, src/core/manager.core.ts). */
const ONLY_DEFAULT = {
  statusCode: 422,
  message: "WAHA Core support only 'default' session. If you want to run more then one WhatsApp account - please get WAHA PLUS version. Check this out: https://waha.devlike.pro/docs/how-to/plus-version/",
  error: 'Unprocessable Entity',
};

/**
 * WAHA options whose `fetch` makes the simulator a single-session WAHA (WAHA Core
 * before 2026.6.1): a create or any call naming another session than `default` is
 * refused with WAHA's 422, and `GET /api/sessions/<other>` answers a plain 404
 * (`getSessionInfo` returns null for any name but `default`). Each refusal is pushed to
 * `refusals` as `"POST /api/sessions 422"` (the simulator never sees them).
 */
export function singleSessionWaha(refusals: string[] = []): Pick<WahaDefaults, 'fetch'> {
  return {
    fetch: async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const method = (input instanceof Request ? input.method : init?.method) ?? 'GET';
      const reply = (status: number, body: unknown) => {
        refusals.push(`${method} ${url.pathname} ${status}`);
        return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
      };
      if (method === 'POST' && url.pathname === '/api/sessions') {
        // ky hands fetch a Request (body inside it); a bare fetch call passes the body in init.
        const text = input instanceof Request ? await input.clone().text() : String(init?.body ?? '');
        const name = (JSON.parse(text || '{}') as { name?: unknown }).name;
        if (name !== 'default') return reply(422, ONLY_DEFAULT);
      }
      const named = /^\/api\/sessions\/([^/]+)(\/.*)?$/.exec(url.pathname) ?? /^\/api\/([^/]+)\/auth\//.exec(url.pathname);
      if (named && named[1] !== 'default') {
        if (method === 'GET' && url.pathname === `/api/sessions/${named[1]}`) return reply(404, { statusCode: 404, message: 'Session not found', error: 'Not Found' });
        return reply(422, ONLY_DEFAULT);
      }
      return fetch(input, init);
    },
  };
}

/**
 * Moves the fake clock `ms` forward in `stepMs` steps, letting real I/O (the HTTP
 * exchanges with the simulator) run between steps, so that WAHA's sleeps and the
 * handler's timers happen in order, to within a step.
 */
export async function advance(fake: FakeClock, ms: number, stepMs = 100): Promise<void> {
  for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
    await fake.tickAsync(Math.min(stepMs, ms - elapsed));
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** What {@link until} treats as "not yet". */
type NotYet = undefined | null | false | 0 | '';

export interface UntilOptions {
  /** Real time to wait before failing; default 5 s. */
  timeoutMs?: number;
  /** Real time between probes; 0 probes once per turn of the event loop (setImmediate). Default 10 ms. */
  intervalMs?: number;
}

/**
 * Polls `probe` (sync or async) in real time until it returns something truthy, and
 * resolves that value. Past `timeoutMs` it fails with what was awaited, so a test that
 * never gets there says why instead of hanging. A probe that throws fails at once.
 */
export async function until<T>(what: string, probe: () => T | Promise<T>, { timeoutMs = 5_000, intervalMs = 10 }: UntilOptions = {}): Promise<Exclude<T, NotYet>> {
  const deadline = Date.now() + timeoutMs;
  for (let probes = 1; ; probes++) {
    const value = await probe();
    if (value) return value as Exclude<T, NotYet>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${probes} probes, the last gave ${String(value)})`);
    await new Promise((resolve) => (intervalMs === 0 ? setImmediate(resolve) : setTimeout(resolve, intervalMs)));
  }
}

/** Advances the fake clock (as {@link advance}) until `promise` settles; resolves its value and the fake time it took. */
export async function settleOnClock<T>(fake: FakeClock, promise: Promise<T>, limitMs = 120_000, stepMs = 100): Promise<{ value: T; tookMs: number }> {
  const started = fake.now;
  let done = false;
  const watched = promise.finally(() => {
    done = true;
  });
  while (!done) {
    if (fake.now - started > limitMs) throw new Error(`did not settle within ${limitMs} ms of fake time`);
    await advance(fake, stepMs, stepMs);
  }
  return { value: await watched, tookMs: fake.now - started };
}
