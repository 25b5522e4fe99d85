interface Lane {
  tail: Promise<unknown>;
  pending: number;
  read: Promise<unknown> | undefined;
}

/**
 * One queue per key (organization): work for a key runs one task at a time, in
 * arrival order, so two actions never interleave their WAHA calls. Reads are
 * coalesced: a read asked for while another read of the same key is waiting or
 * running shares that read's result (one WAHA round trip for a burst of GETs).
 */
export class KeyedLanes {
  readonly #lanes = new Map<string, Lane>();

  /** Runs `task` after every earlier task of `key`. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let lane = this.#lanes.get(key);
    if (!lane) {
      lane = { tail: Promise.resolve(), pending: 0, read: undefined };
      this.#lanes.set(key, lane);
    }
    const current = lane;
    current.pending++;
    const result = current.tail.then(task);
    current.tail = result.then(
      () => this.#settle(key, current),
      () => this.#settle(key, current),
    );
    return result;
  }

  /** Like {@link run}, but shares a read of `key` that has not finished yet. */
  read<T>(key: string, task: () => Promise<T>): Promise<T> {
    const shared = this.#lanes.get(key)?.read;
    if (shared) return shared as Promise<T>;
    const result = this.run(key, task);
    const lane = this.#lanes.get(key)!;
    lane.read = result;
    const clear = () => {
      if (lane.read === result) lane.read = undefined;
    };
    result.then(clear, clear);
    return result;
  }

  /** Number of keys with queued or running work (for tests and diagnostics). */
  get size(): number {
    return this.#lanes.size;
  }

  #settle(key: string, lane: Lane): void {
    lane.pending--;
    if (lane.pending === 0 && this.#lanes.get(key) === lane) this.#lanes.delete(key);
  }
}
