import '../../src/define.js';
import { mount, part, root } from './page.js';
import type { SessionSnapshot } from '@whatsapp-connector/client';
import type { WhatsAppConnector } from '../../src/whatsapp-connector.js';
import { FakeSessionClient } from './fake-client.js';
import type { WacEventName } from '../../src/events.js';

// The helpers that do not load the sources are in page.js (the standalone build's tests use them too).
export { flush, mount, part, resolvesWithin, root, statusText, unmountAll, useGlobalRig, waitFor } from './page.js';

/**
 * {@link mount}s an element speaking English on a fake client that already holds
 * `snapshot`; `setup` sets anything else first (strings, theme).
 */
export async function mountOnFakeClient(
  snapshot: Partial<SessionSnapshot>,
  setup: (element: WhatsAppConnector) => void = () => undefined,
): Promise<{ client: FakeSessionClient; element: WhatsAppConnector }> {
  const client = new FakeSessionClient();
  client.push(snapshot);
  const element = await mount((el) => {
    el.lang = 'en';
    el.client = client;
    setup(el);
  });
  return { client, element };
}

/** All visible text of the element, white space collapsed. */
export function allText(element: WhatsAppConnector): string {
  return (root(element).querySelector('[part~="base"]')?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The labels of every button, in order. */
export function buttonLabels(element: WhatsAppConnector): string[] {
  return [...root(element).querySelectorAll('button')].map((button) => button.textContent?.replace(/\s+/g, ' ').trim() ?? '');
}

/** The button with `part~=name`; throws when missing. */
export function buttonPart(element: WhatsAppConnector, name: string): HTMLButtonElement {
  const found = part(element, name);
  if (!(found instanceof HTMLButtonElement)) throw new Error(`no button part "${name}"`);
  return found;
}

/** A recorded DOM event. */
export interface Recorded {
  readonly type: string;
  readonly detail: unknown;
}

/** Records the given `wac-*` events dispatched at or below `target`; returns the log and the stop function. */
export function record(target: EventTarget, names: readonly WacEventName[]): { log: Recorded[]; stop: () => void } {
  const log: Recorded[] = [];
  const listener = (event: Event) => log.push({ type: event.type, detail: (event as CustomEvent).detail });
  for (const name of names) target.addEventListener(name, listener);
  return { log, stop: () => names.forEach((name) => target.removeEventListener(name, listener)) };
}

/** A short name for an element in failure messages (chai's own printing of live DOM nodes can hang the page). */
export function describeNode(node: Element | null | undefined): string {
  if (!node) return 'nothing';
  const partName = node.getAttribute('part');
  return `<${node.localName}${partName ? ` part="${partName}"` : ''}${node.id ? ` id="${node.id}"` : ''}>`;
}

/** What has focus inside the element, described. */
export function focused(element: WhatsAppConnector): string {
  return describeNode(root(element).activeElement);
}
