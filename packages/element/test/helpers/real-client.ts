import { alwaysVisible, createSessionClient, type SessionAnswerWire, type SessionClient, type SessionClientOptions } from '@whatsapp-connector/client';
import type { WhatsAppConnector } from '../../src/whatsapp-connector.js';
import { FakeBackend, FakeClock } from '../../../client/test-kit/index.js';
import { flush, mount, waitFor } from './dom.js';

/** The kit's backend whose POSTs move the session as a real backend would (one rule, in the kit). */
export const plausibleBackend = (session?: SessionAnswerWire): FakeBackend => FakeBackend.withPlausiblePosts(session);

/** A real client on a scripted backend and a private fake clock. */
export interface RealClientRig {
  readonly backend: FakeBackend;
  readonly clock: FakeClock;
  readonly client: SessionClient;
}

/**
 * Makes the real `createSessionClient` talk to a {@link FakeBackend}, with
 * its timers on a private fake clock (exact cadences, no sleeping) and the page
 * always visible. The push stream is off; jitter is fixed.
 */
export function realClient(backend = plausibleBackend(), options: SessionClientOptions = {}): RealClientRig {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
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

/** An element mounted on a {@link realClient} rig. */
export interface MountedOnRealClient {
  readonly rig: RealClientRig;
  readonly element: WhatsAppConnector;
}

/**
 * Mounts an English `<whatsapp-connector>` on a real client whose scripted backend
 * serves `session`, and waits until the first answer is rendered.
 */
export async function mountOnRealClient(session: SessionAnswerWire): Promise<MountedOnRealClient> {
  const rig = realClient(plausibleBackend(session));
  const element = await mount((el) => {
    el.lang = 'en';
    el.client = rig.client;
  });
  await waitFor(() => rig.backend.gets.length === 1 && element.snapshot?.status !== null, 'the first answer');
  await flush(element);
  return { rig, element };
}

/** Serves `session` on the next poll, runs the rig's clock `ms` to it, and waits for the render. */
export async function nextPoll({ rig, element }: MountedOnRealClient, session: SessionAnswerWire, ms: number): Promise<void> {
  rig.backend.session = session;
  const before = rig.backend.gets.length;
  await rig.clock.advance(ms);
  await waitFor(() => rig.backend.gets.length === before + 1, 'the next poll');
  await flush(element);
}
