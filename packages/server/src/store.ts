/**
 * What the server persists per organization: everything a second instance, or the
 * same one after a restart, needs to answer exactly as this one would.
 *
 * Only `sessionName` and `connected` are required, so a two-column table (the
 * original `ai_agent_config`) still fits; every other field is optional and a store
 * that cannot keep it simply leaves it out (the server then knows less after a
 * restart, and says so in the docs).
 */
export interface SessionRecord {
  /** The organization's WAHA session name (`null` before the first request). */
  sessionName: string | null;
  /** `true` while a phone is linked: `WORKING`, and the `STOPPED` / `STARTING` that follow it (stopping does not unlink). */
  connected: boolean;
  /** The WAHA the session lives on (its base URL, normalized), or `null` when unknown. */
  wahaUrl?: string | null;
  /** The last status observed (wire spelling, e.g. `SCAN_QR`), or `null`. */
  status?: string | null;
  /** Epoch ms since which `status` has been observed. */
  statusSince?: number | null;
  /** The status before the current run of `status` (explains a FAILED that followed a QR). */
  previousStatus?: string | null;
  /** Why the session is in its status, when the server knows more than WAHA says (e.g. `qr_expired`). */
  reason?: string | null;
  /** Epoch ms at which the current link attempt started (a create, a reconnect, a change of number). */
  attemptStartedAt?: number | null;
  /** Epoch ms at which the first QR of the current attempt was seen. */
  qrSeenAt?: number | null;
  /** Epoch ms at which the phone was linked (`WORKING` reached) for the current link. */
  linkedAt?: number | null;
  /** The last failure the server met for this organization (an error code such as `waha_timeout`), or `null`. */
  lastError?: string | null;
  /** WAHA's `timestamp` (epoch ms) of the newest event applied, so that a late event never rolls state back. */
  eventAt?: number | null;
  /** WAHA's `id` of the newest event applied, so that a duplicate delivery is recognized. */
  eventId?: string | null;
}

/** One organization's record, as listed by {@link SessionStore.list}. */
export interface StoredSession {
  /** The organization. */
  orgId: string;
  /** Its record. */
  record: SessionRecord;
}

/**
 * A pure change of one record: receives the current record (`null` when there is
 * none) and returns the record to save, or `null` to leave the store unchanged.
 * It may run more than once (a store retries it after a conflicting write), so it
 * must not have side effects.
 */
export type SessionRecordUpdate = (current: SessionRecord | null) => SessionRecord | null;

/** What {@link SessionStore.update} did. */
export interface SessionRecordUpdateResult {
  /** The record before the update (`null` when there was none). */
  before: SessionRecord | null;
  /** The record after it (equal to `before` when the update returned `null`). */
  after: SessionRecord | null;
  /** `true` when the update wrote a record. */
  written: boolean;
}

/**
 * Where the server keeps each organization's {@link SessionRecord}.
 *
 * `get` and `set` are required, so any database fits. The optional methods make
 * the server correct with several instances on one store:
 * - `update` applies a change atomically (no lost update between two instances);
 *   without it the server reads, changes and writes (fine for one instance);
 * - `findOrganization` routes a webhook to its organization after a restart or on
 *   another instance; without it only the session metadata WAHA echoes is used;
 * - `list` lets the watcher find every WAHA the organizations live on.
 */
export interface SessionStore {
  /** The organization's record, or `null` when there is none yet. */
  get(orgId: string): Promise<SessionRecord | null>;
  /** Saves the organization's record (insert or update). */
  set(orgId: string, record: SessionRecord): Promise<void>;
  /** Atomically replaces the record with what `change` returns for the current one. */
  update?(orgId: string, change: SessionRecordUpdate): Promise<SessionRecordUpdateResult>;
  /**
   * The organization whose record holds `sessionName` (on `wahaUrl`, when given; a
   * record whose `wahaUrl` is unknown matches too), or `null`. When several match, the
   * answer must be the same on every instance: a record on exactly `wahaUrl` before one
   * whose URL is unknown, then the earliest created — it decides who owns a
   * single-session WAHA.
   */
  findOrganization?(sessionName: string, wahaUrl?: string | null): Promise<string | null>;
  /** Every organization's record. */
  list?(): Promise<StoredSession[]>;
}

/** An in-memory {@link SessionStore} (the default): fine for one process and for tests; lost on restart. */
export interface MemorySessionStore extends Required<SessionStore> {
  /** A copy of every record, by organization. */
  entries(): Map<string, SessionRecord>;
}

const copy = (record: SessionRecord): SessionRecord => ({ ...record });

/**
 * Applies `change` through `store.update` when the store has it, else by reading,
 * changing and writing (not atomic across instances: fine for one process).
 */
export async function updateRecord(store: SessionStore, orgId: string, change: SessionRecordUpdate): Promise<SessionRecordUpdateResult> {
  if (store.update) return store.update(orgId, change);
  const before = await store.get(orgId);
  const next = change(before === null ? null : copy(before));
  if (next === null) return { before, after: before, written: false };
  await store.set(orgId, next);
  return { before, after: next, written: true };
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
  const records = new Map<string, SessionRecord>(Object.entries(seed).map(([org, record]) => [org, copy(record)]));
  return {
    async get(orgId) {
      const record = records.get(orgId);
      return record ? copy(record) : null;
    },
    async set(orgId, record) {
      records.set(orgId, copy(record));
    },
    async update(orgId, change) {
      // Synchronous between the read and the write: atomic within this process.
      const current = records.get(orgId);
      const before = current ? copy(current) : null;
      const next = change(current ? copy(current) : null);
      if (next === null) return { before, after: before, written: false };
      records.set(orgId, copy(next));
      return { before, after: copy(next), written: true };
    },
    async findOrganization(sessionName, wahaUrl) {
      // Insertion order is creation order: the earliest record wins, an exact WAHA first.
      let unknownWaha: string | null = null;
      for (const [orgId, record] of records) {
        if (record.sessionName !== sessionName) continue;
        if (!wahaUrl || record.wahaUrl === wahaUrl) return orgId;
        if (!record.wahaUrl) unknownWaha ??= orgId;
      }
      return unknownWaha;
    },
    async list() {
      return [...records].map(([orgId, record]) => ({ orgId, record: copy(record) }));
    },
    entries() {
      return new Map([...records].map(([org, record]) => [org, copy(record)]));
    },
  };
}
