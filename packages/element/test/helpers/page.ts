// Helpers that work on whichever <whatsapp-connector> the page has defined: they do not
// load the sources (dom.ts does, and re-exports these), so the standalone build's tests use them too.
import { settle } from '../../../client/test-kit/index.js';
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
