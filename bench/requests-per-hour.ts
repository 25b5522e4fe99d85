// Requests per hour: the real headless client on a fake clock, against a counting
// fake fetch, over exactly one simulated hour [0, 3 600 000 ms). No sockets, no
// waiting: @sinonjs/fake-timers advances time and lets each answer settle.
import FakeTimers from '@sinonjs/fake-timers';
import {
  acquireSessionClient,
  createSessionClient,
  type SessionClientOptions,
  type TimerProvider,
  type VisibilitySource,
} from '@whatsapp-connector/client';
import { emit, measured, progress, type Figure } from './lib/figure.js';

const HOUR_MS = 3_600_000;
const ENDPOINT = 'http://127.0.0.1:9/api/whatsapp/session';
const GROUP = 'requests per hour (simulated hour, fake timers)';

/** A scripted backend: a fixed answer for every GET, and a log of when each GET came. */
interface Backend {
  readonly fetch: typeof globalThis.fetch;
  /** Clock times of the GETs received. */
  readonly gets: number[];
}

function backend(clock: { readonly now: number }, answer: { status: number; body: unknown }): Backend {
  const gets: number[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    if (method === 'GET') gets.push(clock.now);
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof globalThis.fetch;
  return { fetch, gets };
}

function timersOf(clock: FakeTimers.NodeClock): TimerProvider {
  return {
    setTimeout: (callback, ms) => clock.setTimeout(callback, ms),
    clearTimeout: (handle) => clock.clearTimeout(handle as FakeTimers.NodeTimer),
    now: () => clock.now,
  };
}

const hiddenPage: VisibilitySource = { isVisible: () => false, subscribe: () => () => {} };

function session(status: string, extra: Record<string, unknown> = {}) {
  return { status: 200, body: { status, sessionName: 'wac_42', connected: status === 'WORKING', ...extra } };
}

const ME = { me: { id: '5215512345678@c.us', pushName: 'Ana' } };

interface Scenario {
  readonly id: string;
  readonly label: string;
  readonly answer: { status: number; body: unknown };
  readonly widgets: number;
  readonly visibility?: VisibilitySource;
  /** Expected count and where the expectation comes from. */
  readonly target: { readonly value: number; readonly text: string } | null;
  readonly options?: Partial<SessionClientOptions>;
}

const scenarios: Scenario[] = [
  { id: 'working', label: 'one widget, WORKING', answer: session('WORKING', ME), widgets: 1, target: { value: 120, text: '120 (30 s cadence)' } },
  { id: 'scan_qr', label: 'one widget, SCAN_QR', answer: session('SCAN_QR', { qr: '2@abc' }), widgets: 1, target: { value: 450, text: '450 (8 s cadence)' } },
  { id: 'starting', label: 'one widget, STARTING', answer: session('STARTING'), widgets: 1, target: { value: 450, text: '450 (8 s cadence)' } },
  { id: 'stopped', label: 'one widget, STOPPED', answer: session('STOPPED'), widgets: 1, target: { value: 450, text: '450 (8 s, never restarts)' } },
  { id: 'failed', label: 'one widget, FAILED', answer: session('FAILED', { error: 'broken' }), widgets: 1, target: { value: 1, text: '1 (polling stops)' } },
  { id: 'unknown', label: 'one widget, unknown status', answer: session('SOMETHING_NEW'), widgets: 1, target: { value: 450, text: '450 (waiting cadence)' } },
  {
    id: 'hidden',
    label: 'one widget, WORKING, hidden tab',
    answer: session('WORKING', ME),
    widgets: 1,
    visibility: hiddenPage,
    target: { value: 0, text: '0' },
  },
  { id: 'five_widgets', label: 'five widgets on one page, WORKING', answer: session('WORKING', ME), widgets: 5, target: { value: 120, text: '120 (one shared poller)' } },
  {
    id: 'backend_down',
    label: 'one widget, backend answers 503',
    answer: { status: 503, body: { error: { code: 'unavailable', message: 'down' } } },
    widgets: 1,
    // Full jitter drawn at the middle of each window: 1, 2, 4, 8, 16, then 30 s each.
    options: { random: () => 0.5 },
    target: null,
  },
];

async function run(scenario: Scenario): Promise<number> {
  const clock = FakeTimers.createClock(0) as FakeTimers.NodeClock;
  const server = backend(clock, scenario.answer);
  const options: SessionClientOptions = {
    endpoint: ENDPOINT,
    fetch: server.fetch,
    timers: timersOf(clock),
    visibility: scenario.visibility ?? { isVisible: () => true, subscribe: () => () => {} },
    stream: false,
    ...scenario.options,
  };
  const releases: Array<() => void> = [];
  if (scenario.widgets === 1) {
    const client = createSessionClient(options);
    client.start();
    releases.push(() => client.dispose());
  } else {
    // What the element does: every widget acquires the page's shared client
    // (same endpoint and credentials; the first acquirer's fetch and timers apply).
    for (let i = 0; i < scenario.widgets; i++) {
      const lease = acquireSessionClient(options);
      lease.client.subscribe(() => {});
      releases.push(() => lease.release());
    }
  }
  // Fires every timer due up to and including HOUR_MS, letting each answer settle.
  await clock.tickAsync(HOUR_MS);
  for (const release of releases) release();
  const inHour = server.gets.filter((at) => at < HOUR_MS).length;
  if (clock.countTimers() !== 0) throw new Error(`${scenario.id}: ${clock.countTimers()} timers left after dispose`);
  return inHour;
}

const figures: Figure[] = [];
const details: Record<string, number> = {};
for (const scenario of scenarios) {
  const count = await run(scenario);
  details[scenario.id] = count;
  progress(`${scenario.label}: ${count} GET/h`);
  const target = scenario.target;
  figures.push(
    measured(
      {
        id: `rph.${scenario.id}`,
        group: GROUP,
        label: scenario.label,
        value: count,
        unit: 'req/h',
        target: target?.text ?? null,
      },
      target === null ? undefined : (value) => value === target.value,
    ),
  );
}
emit({ name: 'requests-per-hour', figures, details: { hourMs: HOUR_MS, counts: details } });
