/** A set of listeners of one kind of value. */
export interface Emitter<T> {
  /** Adds `listener` (once: a `Set`); returns its unsubscribe, which is idempotent. */
  subscribe(listener: (value: T) => void): () => void;
  /** Calls every listener with `value`, in subscription order; one that throws does not stop the others. */
  emit(value: T): void;
  /** Drops every listener (without calling `onEmpty`). */
  clear(): void;
  /** How many listeners are subscribed. */
  readonly size: number;
}

/** Hooks of {@link createEmitter}. */
export interface EmitterHooks<T> {
  /** Told when a listener throws (the others are still called). */
  onError?(error: unknown, value: T): void;
  /** Told when the last listener unsubscribes: work that started with the first one can stop. */
  onEmpty?(): void;
}

/**
 * The one small emitter of the client, its shared registry and the test fakes: a
 * `Set` of listeners whose `subscribe` returns its own unsubscribe.
 */
export function createEmitter<T>(hooks: EmitterHooks<T> = {}): Emitter<T> {
  const listeners = new Set<(value: T) => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        if (listeners.delete(listener) && listeners.size === 0) hooks.onEmpty?.();
      };
    },
    emit(value) {
      // A copy: listeners may subscribe or unsubscribe while being called.
      for (const listener of [...listeners]) {
        try {
          listener(value);
        } catch (error) {
          hooks.onError?.(error, value);
        }
      }
    },
    clear: () => listeners.clear(),
    get size() {
      return listeners.size;
    },
  };
}
