import { normalizeStatus, type SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { REASON_QR_EXPIRED } from './record.js';
import type { SessionView } from './rules.js';
import type { WahaMeInfo } from './waha/types.js';

/** The reason given for a FAILED session that followed an unscanned QR (WAHA gives up after ~6 codes). */
export const QR_EXPIRED_MESSAGE = 'The QR code expired before it was scanned. Ask for a new code.';

/** Phone digits of a WhatsApp id such as `5215512345678@c.us` or `5215512345678:12@s.whatsapp.net`; `null` for LIDs and anything else. */
export function phoneFromId(id: string): string | null {
  const match = /^(\d{6,20})(?::\d+)?@(c\.us|s\.whatsapp\.net)$/.exec(id);
  return match ? match[1]! : null;
}

/**
 * The longest unknown status kept, in characters (WAHA's longest, `PASSKEY_CONFIRMATION_REQUIRED`,
 * has 29): a WAHA an organization names chooses it, and it reaches the store, the logs and the metrics.
 */
export const MAX_STATUS_LENGTH = 40;

/** The wire `status`: WAHA's spelling with `SCAN_QR_CODE` → `SCAN_QR` (the contract's canonical spelling); unknown strings pass through, cut to {@link MAX_STATUS_LENGTH}. */
export function wireStatus(status: string | null): string {
  if (status === null) return 'STOPPED';
  const normalized = normalizeStatus(status);
  return normalized === 'UNKNOWN' ? status.slice(0, MAX_STATUS_LENGTH) : normalized;
}

/**
 * The most characters of a QR payload: a QR code holds at most 4 296 (version 40,
 * alphanumeric); WhatsApp's are about 250. A longer "QR" from WAHA is no QR, and is not
 * passed on (to the browser, the streams, another instance's bus).
 */
const MAX_QR_LENGTH = 4_296;
/** The longest account id passed on (WhatsApp's ids have a few dozen characters). */
const MAX_ME_ID_LENGTH = 128;
/** The longest profile name passed on (WhatsApp allows 25 characters), cut beyond. */
const MAX_PUSH_NAME_LENGTH = 100;

function wireMe(me: WahaMeInfo): NonNullable<SessionAnswerWire['me']> {
  const phone = phoneFromId(me.id);
  return {
    id: me.id,
    ...(typeof me.pushName === 'string' ? { pushName: me.pushName.slice(0, MAX_PUSH_NAME_LENGTH) } : {}),
    ...(phone ? { phone } : {}),
  };
}

/** Everything an answer needs besides the {@link SessionView}. */
export interface AnswerContext {
  /** The session name. */
  sessionName: string;
  /** The persisted flag after this request. */
  connected: boolean;
  /** Why the session is in its status, as the record says (`qr_expired` explains a FAILED). */
  reason: string | null;
}

/**
 * Builds the session answer of an organization. Only whitelisted fields: nothing of
 * WAHA's internals, and nothing of a request's (the stream URL is added per request).
 */
export function toAnswer(view: SessionView, context: AnswerContext): SessionAnswerWire {
  const status = wireStatus(view.status);
  const answer: SessionAnswerWire = { status, sessionName: context.sessionName, connected: context.connected };
  if (status === 'SCAN_QR' && view.qr && view.qr.length <= MAX_QR_LENGTH) answer.qr = view.qr;
  if (status === 'WORKING' && typeof view.me?.id === 'string' && view.me.id !== '' && view.me.id.length <= MAX_ME_ID_LENGTH) answer.me = wireMe(view.me);
  // `error` carries a reason only when there is one to tell. A generic "it failed" would
  // be shown by the widget under its own translated text, in English, saying nothing more.
  if (status === 'FAILED' && context.reason === REASON_QR_EXPIRED) {
    answer.error = QR_EXPIRED_MESSAGE;
    answer.reason = REASON_QR_EXPIRED;
  }
  if (view.pairingCode) answer.pairingCode = view.pairingCode;
  return answer;
}
