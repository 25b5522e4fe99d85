import type { SessionClient, SessionClientEventMap } from '@whatsapp-connector/client';
import { emit, type WacEventMap } from './events.js';

/**
 * The client events the element passes on, each as `wac-<name>` with the client's detail less its snapshot.
 * Never `qr`: the element sends `wac-qr` itself, and its own client in the standalone build derives none
 * (ELEMENT_OWNED in the client's events.ts).
 */
const FORWARDED = ['status-change', 'connected', 'disconnected', 'failed', 'error'] as const satisfies ReadonlyArray<Exclude<keyof SessionClientEventMap, 'qr'>>;

/**
 * Re-dispatches a client's events from `target` as `wac-*` DOM events (all but
 * `wac-qr`, which the element sends once a QR is actually on screen, and
 * `wac-action`, which belongs to the element's own clicks). Returns the cleanup.
 * A request that `stop()` / `dispose()` aborted is housekeeping: the client
 * sends no `error` for it, so the element sends no `wac-error`.
 */
export function bridgeClientEvents(client: SessionClient, target: EventTarget): () => void {
  const offs = FORWARDED.map((name) =>
    client.on(name, ({ snapshot: _snapshot, ...detail }: SessionClientEventMap[typeof name]) =>
      emit(target, `wac-${name}`, detail as WacEventMap[`wac-${typeof name}`]['detail']),
    ),
  );
  return () => {
    for (const off of offs) off();
  };
}
