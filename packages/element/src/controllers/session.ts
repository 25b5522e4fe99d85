import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SessionClient, SessionSnapshot } from '@whatsapp-connector/client';
import { leaseClient, sameSource, type ClientLease, type ClientSource } from '../client-source.js';

/**
 * Subscribes its host to a session client while the host is in the document.
 *
 * The client is resolved on the host's first update after connecting (not in
 * `connectedCallback`), so properties set right after `append()` are used
 * before any request is sent; it is swapped when the source changes and
 * released when the host leaves the document.
 */
export class SessionController implements ReactiveController {
  /** The latest snapshot, or `null` before a client is attached. */
  snapshot: SessionSnapshot | null = null;

  readonly #host: ReactiveControllerHost;
  readonly #readSource: () => ClientSource;
  readonly #onAttach: (client: SessionClient) => () => void;
  #connected = false;
  #lease: ClientLease | null = null;
  #source: ClientSource | null = null;
  #cleanup: Array<() => void> = [];

  /**
   * @param host the element.
   * @param readSource reads the element's current client configuration.
   * @param onAttach wires extra listeners (events) to a newly attached client; returns their cleanup.
   */
  constructor(
    host: ReactiveControllerHost,
    readSource: () => ClientSource,
    onAttach: (client: SessionClient) => () => void,
  ) {
    this.#host = host;
    this.#readSource = readSource;
    this.#onAttach = onAttach;
    host.addController(this);
  }

  /** The attached client, or `null` while the host is out of the document. */
  get client(): SessionClient | null {
    return this.#lease?.client ?? null;
  }

  hostConnected(): void {
    this.#connected = true;
    // A re-attached element has no pending update of its own: ask for one so hostUpdate attaches.
    this.#host.requestUpdate();
  }

  hostUpdate(): void {
    if (!this.#connected) return;
    const source = this.#readSource();
    if (this.#lease && this.#source && sameSource(source, this.#source)) return;
    this.#detach();
    this.#attach(source);
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#detach();
  }

  #attach(source: ClientSource): void {
    const lease = leaseClient(source);
    const { client } = lease;
    this.#lease = lease;
    this.#source = source;
    this.#cleanup = [client.subscribe((snapshot) => this.#take(snapshot)), this.#onAttach(client)];
    client.start();
    this.snapshot = client.getSnapshot();
  }

  #detach(): void {
    for (const cleanup of this.#cleanup) cleanup();
    this.#cleanup = [];
    this.#lease?.release();
    this.#lease = null;
    this.#source = null;
  }

  #take(snapshot: SessionSnapshot): void {
    // The client hands out the same object until something changes.
    if (snapshot === this.snapshot) return;
    this.snapshot = snapshot;
    this.#host.requestUpdate();
  }
}
