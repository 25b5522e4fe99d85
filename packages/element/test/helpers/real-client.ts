import { alwaysVisible, createSessionClient, type SessionClient, type SessionClientOptions } from '@whatsapp-connector/client';
import { ScriptedBackend } from './backend.js';
import { ManualClock } from './clock.js';


/** A real client on a scripted backend and a private fake clock. */
export interface RealClientRig {
  readonly backend: ScriptedBackend;
  readonly clock: ManualClock;
  readonly client: SessionClient;
}

/**
 * Makes the real `createSessionClient` talk to a {@link ScriptedBackend}, with
 * its timers on a private fake clock (exact cadences, no sleeping) and the page
 * always visible. The push stream is off; jitter is fixed.
 */
export function realClient(backend = new ScriptedBackend(), options: SessionClientOptions = {}): RealClientRig {
  const clock = new ManualClock();
  const client = createSessionClient({
    endpoint: '/api/whatsapp/session',
    fetch: backend.fetch,
    timers: clock,
    visibility: alwaysVisible,
    random: () => 0.5,
    stream: false,
    ...options,
  });
  return { backend, clock, client };
}
