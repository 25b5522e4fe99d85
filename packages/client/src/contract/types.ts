import type { SessionStatus } from './status.js';

/**
 * The phone account linked to a session, as WAHA reports it in `WORKING`.
 */
export interface SessionMe {
  /** WhatsApp id, e.g. `5215512345678@c.us`. */
  readonly id: string;
  /** The name the user set in WhatsApp, when known. */
  readonly pushName?: string;
  /** The phone number in international digits (e.g. `5215512345678`), when the backend sends it. */
  readonly phone?: string;
}

/**
 * The actions a person can ask the backend to perform.
 *
 * - `reconnect`: delete a broken (`FAILED` / `ERROR` / `STOPPED` / missing) session and create it anew; a healthy one is left alone.
 * - `change_number`: log the phone out, delete the session and create a fresh one (a new QR follows).
 * - `logout`: unlink the phone.
 * - `request_code`: optional extension; ask for a pairing code to link by phone number instead of a QR.
 */
export type SessionAction = 'reconnect' | 'logout' | 'change_number' | 'request_code';

/** The JSON body of `POST <endpoint>`. */
export type SessionActionRequest =
  | {
      /** The action to perform. */
      readonly action: 'reconnect' | 'logout' | 'change_number';
    }
  | {
      /** Ask for a pairing code (optional extension). */
      readonly action: 'request_code';
      /** The phone number in international digits, e.g. `5215512345678`. */
      readonly phoneNumber: string;
    };

/**
 * A session answer as a backend sends it over the wire (`GET` and `POST` of the
 * session endpoint). Backends build this; the client reads it tolerantly with
 * {@link parseSessionAnswer}. Unknown extra fields are allowed and ignored.
 */
export interface SessionAnswerWire {
  /** `STARTING`, `SCAN_QR` or `SCAN_QR_CODE`, `WORKING`, `STOPPED`, `FAILED`, `ERROR`, `PASSKEY_*`, or anything newer. */
  status: string;
  /** The WAHA session name, e.g. `eagles_42`. */
  sessionName: string;
  /** The backend's persisted "linked" flag. */
  connected: boolean;
  /** The raw QR payload while `SCAN_QR` (the client renders it). */
  qr?: string | null;
  /** A ready-made QR image as a `data:image/png;base64,…` (or `data:image/svg+xml;base64,…`) URL. */
  qrImage?: string | null;
  /** The linked account while `WORKING`. */
  me?: {
    /** WhatsApp id, e.g. `5215512345678@c.us`. */
    id: string;
    /** The name the user set in WhatsApp. */
    pushName?: string | null;
    /** The phone number in international digits. */
    phone?: string | null;
  } | null;
  /** A human-readable reason for `FAILED` / `ERROR`. */
  error?: string | null;
  /**
   * Optional extension: a machine-readable reason for `FAILED` / `ERROR`.
   * `qr_expired`: the QR expired unscanned, so the widget offers "show a new code"
   * even on a page that never saw the QR. Other values are ignored.
   */
  reason?: string | null;
  /** Optional extension: the pairing code answered to `request_code`, e.g. `ABCD-EFGH`. */
  pairingCode?: string | null;
  /** Optional extension: a URL of a Server-Sent Events stream of this session. */
  stream?: string | null;
}

/**
 * A session answer after tolerant parsing: statuses normalized, invalid optional
 * fields dropped, nothing left untyped.
 */
export interface SessionAnswer {
  /** The normalized status. */
  readonly status: SessionStatus;
  /** The status string exactly as the backend sent it (useful for `UNKNOWN`). */
  readonly rawStatus: string;
  /** The WAHA session name, or `null` when the backend did not send a usable one. */
  readonly sessionName: string | null;
  /** The backend's persisted flag; when absent it is derived as `status === 'WORKING'`. */
  readonly connected: boolean;
  /** The raw QR payload, or `null`. */
  readonly qr: string | null;
  /** A QR image data URL that passed the safe-prefix check, or `null`. */
  readonly qrImage: string | null;
  /** The linked account, or `null`. */
  readonly me: SessionMe | null;
  /** The backend's reason for `FAILED` / `ERROR`, or `null`. */
  readonly error: string | null;
  /** The machine-readable reason (optional extension) when it is one this version knows, else `null`. */
  readonly reason: SessionFailureReason | null;
  /** A pairing code (optional extension), or `null`. */
  readonly pairingCode: string | null;
  /** The URL of a Server-Sent Events stream (optional extension), or `null`. */
  readonly stream: string | null;
}

/** The machine-readable failure reasons this version knows (see {@link SessionAnswerWire.reason}). */
export type SessionFailureReason = 'qr_expired';

/** The default session endpoint path. */
export const DEFAULT_ENDPOINT = '/api/whatsapp/session';
