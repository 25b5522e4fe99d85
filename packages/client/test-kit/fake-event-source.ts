import type { EventSourceLike } from '../src/options.js';

type Listener = (event: { data?: unknown }) => void;

/** A controllable `EventSource`: every instance is recorded; the test fires its events. */
export class FakeEventSource implements EventSourceLike {
  static instances: FakeEventSource[] = [];
  /** When set, the constructor throws it (a broken polyfill). */
  static throwOnCreate: Error | null = null;

  readonly url: string;
  readonly withCredentials: boolean;
  closed = false;
  private readonly listeners = new Map<string, Listener[]>();

  constructor(url: string, init?: { withCredentials?: boolean }) {
    if (FakeEventSource.throwOnCreate) throw FakeEventSource.throwOnCreate;
    this.url = url;
    this.withCredentials = init?.withCredentials ?? false;
    FakeEventSource.instances.push(this);
  }

  static reset(): void {
    FakeEventSource.instances = [];
    FakeEventSource.throwOnCreate = null;
  }

  /** The most recent instance. */
  static get last(): FakeEventSource | undefined {
    return FakeEventSource.instances.at(-1);
  }

  /** Instances not closed yet. */
  static get openInstances(): FakeEventSource[] {
    return FakeEventSource.instances.filter((instance) => !instance.closed);
  }

  addEventListener(type: 'message' | 'error' | 'open', listener: Listener): void {
    const list = this.listeners.get(type) ?? [];
    list.push(listener);
    this.listeners.set(type, list);
  }

  close(): void {
    this.closed = true;
  }

  emit(type: 'message' | 'error' | 'open', data?: unknown): void {
    for (const listener of this.listeners.get(type) ?? []) listener(type === 'message' ? { data } : {});
  }

  open(): void {
    this.emit('open');
  }

  message(body: unknown): void {
    this.emit('message', typeof body === 'string' ? body : JSON.stringify(body));
  }

  error(): void {
    this.emit('error');
  }
}
