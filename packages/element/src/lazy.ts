/** A value that is loaded the first time it is needed (a module behind a dynamic `import()`). */
export interface Lazy<T> {
  /** The value once loaded, else `undefined`. */
  readonly value: T | undefined;
  /**
   * Starts the load, or joins the one under way; `null` once the value is
   * there. A failed load is forgotten, so the next call tries again (the
   * standalone build's `import()` asks under a new URL then: see
   * scripts/rollup/retryable-chunks.mjs).
   */
  load(): Promise<T> | null;
}

/** Wraps `load` (called at most once at a time) in a {@link Lazy}. */
export function lazy<T>(load: () => Promise<T>): Lazy<T> {
  let value: T | undefined;
  let pending: Promise<T> | undefined;
  return {
    get value() {
      return value;
    },
    load() {
      if (value !== undefined) return null;
      pending ??= load().then(
        (loaded) => (value = loaded),
        (error: unknown) => {
          pending = undefined;
          throw error;
        },
      );
      return pending;
    },
  };
}
