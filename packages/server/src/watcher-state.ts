import type { SessionHealth } from './watcher-health.js';

/** A session's saved health and the version a save must expect. */
export interface StoredHealth {
  /** The health. */
  health: SessionHealth;
  /** Bumped by every save; a save naming an older version loses. */
  version: number;
}

/**
 * Where the watcher keeps each watched session's health between listings, so
 * that an instance taking the watch over continues the judgement instead of
 * starting afresh (a session already `FAILED` is not reported again).
 *
 * Saves are compare-and-set: the watcher reports a transition only when its save
 * won, so even two watchers overlapping for a moment report it once. `scope`
 * separates WAHA servers (their base URL).
 */
export interface WatcherHealthStore {
  /** Every saved session of `scope`. */
  load(scope: string): Promise<Map<string, StoredHealth>>;
  /** Saves `health` if the saved version is still `version` (`0`: none yet); resolves the new version, or `null` when it lost. */
  save(scope: string, session: string, health: SessionHealth, version: number): Promise<number | null>;
  /** Forgets sessions no longer listed. */
  remove(scope: string, sessions: readonly string[]): Promise<void>;
}

/** The default {@link WatcherHealthStore}: this process's memory (one instance; forgotten on restart). */
export function createMemoryHealthStore(): WatcherHealthStore {
  const scopes = new Map<string, Map<string, StoredHealth>>();
  const scopeOf = (scope: string) => {
    let sessions = scopes.get(scope);
    if (!sessions) {
      sessions = new Map();
      scopes.set(scope, sessions);
    }
    return sessions;
  };
  const copy = (stored: StoredHealth): StoredHealth => ({ version: stored.version, health: { ...stored.health, drops: [...stored.health.drops] } });
  return {
    async load(scope) {
      return new Map([...scopeOf(scope)].map(([session, stored]) => [session, copy(stored)]));
    },
    async save(scope, session, health, version) {
      const sessions = scopeOf(scope);
      if ((sessions.get(session)?.version ?? 0) !== version) return null;
      sessions.set(session, copy({ health, version: version + 1 }));
      return version + 1;
    },
    async remove(scope, sessions) {
      const saved = scopeOf(scope);
      for (const session of sessions) saved.delete(session);
    },
  };
}
