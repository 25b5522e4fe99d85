/** What the server persists per organization. */
export interface SessionRecord {
  /** The organization's WAHA session name (`null` before the first request). */
  sessionName: string | null;
  /** `true` while a phone is linked: `WORKING`, and the `STOPPED` / `STARTING` that follow it (stopping does not unlink). */
  connected: boolean;
}

/**
 * Where the server keeps each organization's {@link SessionRecord}. Two methods,
 * so any database fits; see the package README for an SQL-backed example over
 * the original `ai_agent_config` table.
 */
export interface SessionStore {
  /** The organization's record, or `null` when there is none yet. */
  get(orgId: string): Promise<SessionRecord | null>;
  /** Saves the organization's record (insert or update). */
  set(orgId: string, record: SessionRecord): Promise<void>;
}

/** An in-memory {@link SessionStore} (the default): fine for one process and for tests; lost on restart. */
export interface MemorySessionStore extends SessionStore {
  /** A copy of every record, by organization. */
  entries(): Map<string, SessionRecord>;
}

/**
 * Creates an in-memory {@link SessionStore}, optionally seeded.
 *
 * @example
 * ```ts
 * const store = createMemoryStore({ '42': { sessionName: 'default', connected: false } });
 * ```
 */
export function createMemoryStore(seed: Record<string, SessionRecord> = {}): MemorySessionStore {
  const records = new Map<string, SessionRecord>(Object.entries(seed).map(([org, record]) => [org, { ...record }]));
  return {
    async get(orgId) {
      const record = records.get(orgId);
      return record ? { ...record } : null;
    },
    async set(orgId, record) {
      records.set(orgId, { sessionName: record.sessionName, connected: record.connected });
    },
    entries() {
      return new Map([...records].map(([org, record]) => [org, { ...record }]));
    },
  };
}
