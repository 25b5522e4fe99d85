import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import type { SessionClient, SessionSnapshot } from '@whatsapp-connector/client';
import { bridgeClientEvents } from '../bridge.js';
import { leaseClient, sameSource, sourceOf, type ClientSettings, type ClientSource } from '../client-source.js';

type Host = ReactiveControllerHost & HTMLElement & ClientSettings & { readonly deferHydration: boolean };

/**
 * Subscribes its host to a session client while the host is in the document,
 * and re-dispatches the client's events from it as `wac-*` DOM events.
 *
 * The client is resolved on the host's first update after connecting (not in
 * `connectedCallback`), so properties set right after `append()` are used
 * before any request is sent. While the host carries `defer-hydration` (a
 * server-rendered page whose framework has not set the properties yet) nothing
 * is resolved. The client is swapped when the settings change and released
 * when the host leaves the document.
 */
export class SessionController implements ReactiveController {
  /** The latest snapshot, or `null` before a client is attached. */
  snapshot: SessionSnapshot | null = null;

  readonly #host: Host;
  #client: SessionClient | null = null;
  #source: ClientSource | null = null;
  /** Undoes the attachment: the subscriptions, then the lease. */
  #cleanup: Array<() => void> = [];

  constructor(host: Host) {
    this.#host = host;
    host.addController(this);
  }

  /** The attached client, or `null` while the host is out of the document. */
  get client(): SessionClient | null {
    return this.#client;
  }

  /**
   * The client, once attached. Called right after `append()`, it waits for
   * `updated` (the first update attaches it); out of the document there is none.
   */
  attached(updated: () => Promise<unknown>): SessionClient | null | Promise<SessionClient | null> {
    const client = this.client;
    return client || !this.#host.isConnected ? client : updated().then(() => this.client);
  }

  hostConnected(): void {
    // A re-attached element has no pending update of its own: ask for one so hostUpdate attaches.
    this.#host.requestUpdate();
  }

  hostUpdate(): void {
    // An update may also run out of the document (a property set after removal): it attaches nothing.
    if (!this.#host.isConnected || this.#host.deferHydration) return;
    const source = sourceOf(this.#host);
    if (this.#source && sameSource(source, this.#source)) return;
    this.#detach();
    this.#attach(source);
  }

  hostDisconnected(): void {
    this.#detach();
  }

  #attach(source: ClientSource): void {
    const { client, release } = leaseClient(source);
    this.#client = client;
    this.#source = source;
    this.#cleanup = [client.subscribe((snapshot) => this.#take(snapshot)), bridgeClientEvents(client, this.#host), release];
    client.start();
    this.snapshot = client.getSnapshot();
  }

  #detach(): void {
    for (const cleanup of this.#cleanup) cleanup();
    this.#cleanup = [];
    this.#client = null;
    this.#source = null;
  }

  #take(snapshot: SessionSnapshot): void {
    // The client hands out the same object until something changes.
    if (snapshot === this.snapshot) return;
    this.snapshot = snapshot;
    this.#host.requestUpdate();
  }
}
