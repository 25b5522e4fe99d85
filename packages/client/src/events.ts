import type { SessionClientEventMap, SessionClientEventName } from './client-types.js';
import { isTerminalStatus } from './contract/status.js';
import { ELEMENT_OWNED } from './element-owned.js';
import type { MachineEvent } from './machine.js';
import type { SessionSnapshot } from './snapshot.js';

/** One typed client event, ready to be emitted. */
export type ClientEvent = {
  [K in SessionClientEventName]: { readonly name: K; readonly detail: SessionClientEventMap[K] };
}[SessionClientEventName];

/**
 * Derives the typed client events of one transition, in the order they are
 * emitted: `status-change`, `disconnected`, `connected`, `failed`, `qr`,
 * `error`, appended to `events` (a new array by default), which it returns. The same
 * inputs always give the same events.
 *
 * `error` is emitted for failed requests only (the `failed` event covers a
 * session that the backend reports `FAILED` / `ERROR`).
 */
export function deriveEvents(prev: SessionSnapshot, next: SessionSnapshot, event: MachineEvent, events: ClientEvent[] = []): ClientEvent[] {
  // Every detail carries the snapshot after the change.
  const add = <K extends SessionClientEventName>(name: K, detail: Omit<SessionClientEventMap[K], 'snapshot'>) =>
    events.push({ name, detail: { ...detail, snapshot: next } } as unknown as ClientEvent);
  const { status, qr, qrImage, error } = next;
  if (status !== null && status !== prev.status) {
    add('status-change', { status, previousStatus: prev.status, phase: next.phase });
    if (prev.status === 'WORKING') add('disconnected', { me: prev.me, status });
    if (status === 'WORKING') add('connected', { me: next.me });
    if (isTerminalStatus(status) && !isTerminalStatus(prev.status)) add('failed', { status, error });
  }
  // Nothing listens to the `qr` of the element's own client (see ELEMENT_OWNED): the element sends `wac-qr` itself, once drawn.
  if (!ELEMENT_OWNED && (qr !== prev.qr || qrImage !== prev.qrImage) && (qr ?? qrImage) !== null) add('qr', { qr, qrImage });
  // A failed request whose error is now the snapshot's (and was not before).
  if (event.type === 'failure' && error === event.error && error !== prev.error) add('error', { error });
  return events;
}
