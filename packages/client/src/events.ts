import type { SessionClientEventMap, SessionClientEventName } from './client-types.js';
import { isTerminalStatus } from './contract/status.js';
import type { MachineEvent } from './machine.js';
import type { SessionSnapshot } from './snapshot.js';

/** One typed client event, ready to be emitted. */
export type ClientEvent = {
  [K in SessionClientEventName]: { readonly name: K; readonly detail: SessionClientEventMap[K] };
}[SessionClientEventName];

/**
 * Derives the typed client events of one transition, in the order they are
 * emitted: `status-change`, `disconnected`, `connected`, `failed`, `qr`,
 * `error`. Pure: the same inputs always give the same events.
 *
 * `error` is emitted for failed requests only (the `failed` event covers a
 * session that the backend reports `FAILED` / `ERROR`).
 */
export function deriveEvents(prev: SessionSnapshot, next: SessionSnapshot, event: MachineEvent): ClientEvent[] {
  if (prev === next) return [];
  const events: ClientEvent[] = [];
  const snapshot = next;
  if (next.status !== null && next.status !== prev.status) {
    events.push({
      name: 'status-change',
      detail: { status: next.status, previousStatus: prev.status, phase: next.phase, snapshot },
    });
    if (prev.status === 'WORKING') {
      events.push({ name: 'disconnected', detail: { me: prev.me, status: next.status, snapshot } });
    }
    if (next.status === 'WORKING') events.push({ name: 'connected', detail: { me: next.me, snapshot } });
    if (isTerminalStatus(next.status) && (prev.status === null || !isTerminalStatus(prev.status))) {
      events.push({ name: 'failed', detail: { status: next.status, error: next.error, snapshot } });
    }
  }
  if ((next.qr !== prev.qr || next.qrImage !== prev.qrImage) && (next.qr !== null || next.qrImage !== null)) {
    events.push({ name: 'qr', detail: { qr: next.qr, qrImage: next.qrImage, snapshot } });
  }
  if (event.type === 'failure' && next.error === event.error && prev.error !== event.error) {
    events.push({ name: 'error', detail: { error: event.error, snapshot } });
  }
  return events;
}
