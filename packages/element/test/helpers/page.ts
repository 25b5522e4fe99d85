// Helpers that work on whichever <whatsapp-connector> the page has defined: they do not
// load the sources (dom.ts does, and re-exports these), so the standalone build's tests use them too.
import sinon from 'sinon';
import type { SessionAnswerWire } from '@whatsapp-connector/client';
import { FakeBackend, settle } from '../../../client/test-kit/index.js';
import type { WhatsAppConnector } from '../../src/whatsapp-connector.js';

const created: HTMLElement[] = [];

/** Creates a `<whatsapp-connector>`, lets `setup` configure it, appends it and waits for its first render. */
export async function mount(setup: (element: WhatsAppConnector) => void = () => undefined, parent: HTMLElement = document.body): Promise<WhatsAppConnector> {
  const element = document.createElement('whatsapp-connector');
  setup(element);
  parent.append(element);
  created.push(element);
  await element.updateComplete;
  return element;
}

/** Removes every element {@link mount} created (call in `afterEach`). */
export function unmountAll(): void {
  for (const element of created.splice(0)) element.remove();
}

/** Lets pending promise jobs and macrotasks (fetch answers, renders) run, without advancing fake time. */
export async function flush(element?: WhatsAppConnector, rounds = 6): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    await settle(1);
  }
  await element?.updateComplete;
}

/** Waits (in real time, up to `timeoutMs`) until `predicate` holds. */
export async function waitFor(predicate: () => boolean, what = 'condition', timeoutMs = 3000): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await flush(undefined, 1);
  }
}

/** The element's shadow root. */
export function root(element: WhatsAppConnector): ShadowRoot {
  const shadow = element.shadowRoot;
  if (!shadow) throw new Error('no shadow root');
  return shadow;
}

/** The element with `part~=name`, or `null`. */
export function part(element: WhatsAppConnector, name: string): HTMLElement | null {
  return root(element).querySelector<HTMLElement>(`[part~="${name}"]`);
}

/** The text of the persistent status region. */
export function statusText(element: WhatsAppConnector): string {
  return root(element).querySelector('[role="status"]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

/**
 * Whether `promise` resolves within `ms` real milliseconds (`false` if not yet; a rejection
 * is thrown). The timer is cleared either way.
 */
export async function resolvesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The page's fetch and timers replaced for each test of a suite: see {@link useGlobalRig}. */
export interface GlobalRig {
  /** This test's backend, answering the page's `fetch`, its POSTs moving the session as a real backend would. */
  readonly backend: FakeBackend;
  /** This test's fake clock (the page's timers and `Date`). */
  readonly clock: sinon.SinonFakeTimers;
  /** An English element, which `setup` configures before it is connected. */
  widget(setup?: (element: WhatsAppConnector) => void): Promise<WhatsAppConnector>;
  /** Moves the fake clock `ms` ahead and lets what it fired run. */
  tick(ms: number): Promise<void>;
}

/**
 * For elements that make their own clients, which nothing can hand a fetch or timers:
 * around each test of the calling suite, the page's `fetch` answers from a fresh
 * {@link FakeBackend} serving `session`, and its timers run on a sinon fake clock, so
 * cadences are exact to the millisecond. Everything is put back after each test.
 */
export function useGlobalRig(session: SessionAnswerWire): GlobalRig {
  let backend: FakeBackend;
  let clock: sinon.SinonFakeTimers;
  let restoreFetch: () => void;
  beforeEach(() => {
    backend = FakeBackend.withPlausiblePosts(session);
    restoreFetch = backend.install();
    clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    unmountAll();
    clock.restore();
    restoreFetch();
  });
  return {
    get backend() {
      return backend;
    },
    get clock() {
      return clock;
    },
    widget: (setup = () => undefined) =>
      mount((element) => {
        element.lang = 'en';
        setup(element);
      }),
    async tick(ms) {
      await clock.tickAsync(ms);
      await flush();
    },
  };
}
