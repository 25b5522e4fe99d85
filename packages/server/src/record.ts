import { normalizeStatus } from '@whatsapp-connector/client/contract';
import type { SessionRecord } from './store.js';

/** `SessionRecord.reason` of a `FAILED` that followed an unscanned QR (WAHA gave up after its last code). */
export const REASON_QR_EXPIRED = 'qr_expired';

/**
 * One look at an organization's WAHA session (a GET, an action, a confirmed webhook),
 * to be folded into its {@link SessionRecord}.
 */
export interface Observation {
  /** The session name the observation is about. */
  sessionName: string;
  /** The WAHA it lives on (normalized). */
  wahaUrl: string;
  /** The status seen (wire spelling: `SCAN_QR`, not `SCAN_QR_CODE`). */
  status: string;
  /** Epoch ms of the observation. */
  at: number;
  /**
   * Epoch ms at which the WAHA read behind it began. A status change recorded after
   * that moment (by another request or instance) is newer than this observation, which
   * then must not overwrite it.
   */
  readSince?: number;
  /** This request created the session (anew): a new link attempt, no phone linked. */
  created?: boolean;
  /** This request logged the phone out. */
  unlinked?: boolean;
  /** This request started or restarted the session: a new link attempt, the phone's auth kept. */
  restarted?: boolean;
  /** The WAHA event this observation comes from (webhooks). */
  event?: { id: string | null; timestamp: number | null };
}

/**
 * `true` when `current` holds a status change recorded after `observation`'s WAHA
 * read began: the observation is older news and must not roll the record back.
 */
export function isStale(current: SessionRecord | null, observation: Observation): boolean {
  if (!current || observation.readSince === undefined) return false;
  const since = current.statusSince;
  return typeof since === 'number' && since > observation.readSince && current.status !== observation.status;
}

/**
 * The newest WAHA event applied to `record` that counts for events from the WAHA at
 * `wahaUrl`: event order is per WAHA (each stamps with its own clock), so a record last
 * fed by another WAHA (the organization moved) has none.
 */
export function newestEventOn(record: SessionRecord, wahaUrl: string): { eventAt: number | null; eventId: string | null } {
  if (typeof record.wahaUrl === 'string' && record.wahaUrl !== wahaUrl) return { eventAt: null, eventId: null };
  return { eventAt: record.eventAt ?? null, eventId: record.eventId ?? null };
}

/**
 * The record after `observation` (pure): status and since when, the status before it
 * (which explains a `FAILED` that followed a QR), the linked flag, attempt / QR / link
 * times, and the newest applied WAHA event. `lastError` is cleared: WAHA answered.
 *
 * The linked flag: `WORKING` links; a `STOPPED` or `STARTING` keeps a link that
 * existed (stopping or restarting does not unlink the phone: WAHA keeps its auth);
 * anything else — a QR, a failure, a new session, a logout — ends it.
 */
export function foldObservation(current: SessionRecord | null, observation: Observation): SessionRecord {
  const base: SessionRecord = current ?? { sessionName: null, connected: false };
  const { status, at } = observation;
  const changed = base.status !== status;
  const previousStatus = changed ? (base.status ?? null) : (base.previousStatus ?? null);
  const keepsLink = (status === 'STOPPED' || status === 'STARTING') && !observation.created && !observation.unlinked;
  const connected = status === 'WORKING' || (keepsLink && base.connected === true);
  const newAttempt = observation.created === true || observation.restarted === true;
  const attemptStartedAt = newAttempt ? at : (base.attemptStartedAt ?? null);
  const qrOfThisAttempt = typeof base.qrSeenAt === 'number' && (attemptStartedAt === null || base.qrSeenAt >= attemptStartedAt);
  const qrSeenAt = qrOfThisAttempt ? base.qrSeenAt! : status === 'SCAN_QR' ? at : null;
  const linkedAt = !connected ? null : base.connected && typeof base.linkedAt === 'number' ? base.linkedAt : at;
  const event = observation.event;
  const { eventAt: priorAt, eventId: priorId } = newestEventOn(base, observation.wahaUrl);
  const newerEvent = event !== undefined && event.timestamp !== null && (typeof priorAt !== 'number' || event.timestamp >= priorAt);
  return {
    ...base,
    sessionName: observation.sessionName,
    wahaUrl: observation.wahaUrl,
    connected,
    status,
    statusSince: changed ? at : (base.statusSince ?? at),
    previousStatus,
    reason: status === 'FAILED' && normalizeStatus(previousStatus) === 'SCAN_QR' ? REASON_QR_EXPIRED : null,
    attemptStartedAt,
    qrSeenAt,
    linkedAt,
    lastError: null,
    eventAt: newerEvent ? event.timestamp : priorAt,
    eventId: newerEvent ? event.id : priorId,
  };
}

const FIELDS = [
  'sessionName',
  'connected',
  'wahaUrl',
  'status',
  'statusSince',
  'previousStatus',
  'reason',
  'attemptStartedAt',
  'qrSeenAt',
  'linkedAt',
  'lastError',
  'eventAt',
  'eventId',
] as const satisfies ReadonlyArray<keyof SessionRecord>;

/** `true` when both records hold the same values (a missing optional field equals `null`). */
export function sameRecord(a: SessionRecord | null, b: SessionRecord | null): boolean {
  if (a === null || b === null) return a === b;
  return FIELDS.every((field) => (a[field] ?? null) === (b[field] ?? null));
}

/**
 * The change to hand to `SessionStore.update` for `observation`: the folded record,
 * or `null` (no write) when nothing would change or the observation is stale.
 */
export function observationChange(observation: Observation): (current: SessionRecord | null) => SessionRecord | null {
  return (current) => {
    if (isStale(current, observation)) return null;
    const next = foldObservation(current, observation);
    return sameRecord(current, next) ? null : next;
  };
}

/**
 * What to do with a WAHA event (webhook) given the stored record. WAHA posts each event
 * on its own and retries failures every 2 s, so events arrive late, twice and out of
 * order:
 * - `duplicate`: the newest applied event again (same `id`) — ignored;
 * - `stale`: older than the newest applied event (by WAHA's `timestamp`) — ignored, it
 *   never rolls the state back;
 * - `confirm`: it says something else than the record (or cannot be placed in time,
 *   e.g. WAHA 2024's events without id and timestamp) — one read of the session in
 *   WAHA decides what is applied;
 * - `apply`: it agrees with the record (a QR rotation within SCAN_QR, WEBJS's second
 *   WORKING carrying `me`) — applied as it is.
 */
export function judgeEvent(record: SessionRecord, event: { id: string | null; timestamp: number | null; status: string }): 'duplicate' | 'stale' | 'confirm' | 'apply' {
  if (event.id !== null && event.id === record.eventId) return 'duplicate';
  const newest = record.eventAt;
  if (event.timestamp !== null && typeof newest === 'number' && event.timestamp < newest) return 'stale';
  if (event.timestamp === null || record.status !== event.status) return 'confirm';
  return 'apply';
}
