import type { SessionClient } from '@whatsapp-connector/client';
import { emit } from './events.js';

/**
 * Re-dispatches a client's events from `target` as `wac-*` DOM events (all but
 * `wac-qr`, which the element sends once a QR is actually on screen, and
 * `wac-action`, which belongs to the element's own clicks). Returns the cleanup.
 */
export function bridgeClientEvents(client: SessionClient, target: EventTarget): () => void {
  const offs = [
    client.on('status-change', ({ status, previousStatus, phase }) =>
      emit(target, 'wac-status-change', { status, previousStatus, phase }),
    ),
    client.on('connected', ({ me }) => emit(target, 'wac-connected', { me })),
    client.on('disconnected', ({ me, status }) => emit(target, 'wac-disconnected', { me, status })),
    client.on('failed', ({ status, error }) => emit(target, 'wac-failed', { status, error })),
    // A request cancelled by stop()/dispose() is housekeeping, not a failure to report.
    client.on('error', ({ error }) => {
      if (error.code !== 'aborted') emit(target, 'wac-error', { error });
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
