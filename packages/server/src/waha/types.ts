/**
 * The WAHA objects the server package reads and writes, as published in WAHA's
 * OpenAPI document (version 2026.7.1). Only the fields we use are typed; WAHA
 * may send more.
 *
 * @module
 */

/** A session status as WAHA spells it (`ERROR` is not a WAHA status). Newer versions may add more. */
export type WahaStatus =
  | 'STOPPED'
  | 'STARTING'
  | 'SCAN_QR_CODE'
  | 'PASSKEY_REQUIRED'
  | 'PASSKEY_CONFIRMATION_REQUIRED'
  | 'WORKING'
  | 'FAILED'
  | (string & {});

/** `MeInfo`: the linked account. */
export interface WahaMeInfo {
  /** WhatsApp id, e.g. `5215512345678@c.us`. */
  id: string;
  /** The name set in WhatsApp. */
  pushName?: string | null;
  /** Linked id, e.g. `123123@lid`. */
  lid?: string;
  /** Id with device number. */
  jid?: string;
}

/** `SessionInfo`: `GET /api/sessions/{session}` and the items of `GET /api/sessions`. */
export interface WahaSessionInfo {
  /** Session name. */
  name: string;
  /** Current status. */
  status: WahaStatus;
  /** The linked account, once known. */
  me?: WahaMeInfo | null;
  /** Session configuration (metadata, webhooks, …). */
  config?: WahaSessionConfig | null;
  /** Engine details (some versions). */
  engine?: {
    /** `NOWEB`, `WEBJS`, `GOWS`, … */
    engine?: string;
  } | null;
}

/** `SessionDTO`: the answer to create / start / stop / logout. */
export interface WahaSessionDTO {
  /** Session name. */
  name: string;
  /** Status right after the call. */
  status: WahaStatus;
  /** Session configuration. */
  config?: WahaSessionConfig | null;
}

/** A webhook as configured on a WAHA session (`WebhookConfig`, the subset we send). */
export interface WahaWebhookConfig {
  /** Where WAHA posts the events. */
  url: string;
  /** Events to send, e.g. `["session.status"]`. */
  events: string[];
  /** Extra headers WAHA adds to each webhook call. */
  customHeaders?: Array<{
    /** Header name. */
    name: string;
    /** Header value. */
    value: string;
  }>;
  /** When set, WAHA signs each call: `X-Webhook-Hmac` = hex HMAC-SHA512 of the body. */
  hmac?: {
    /** The signing key. */
    key: string;
  };
}

/** `SessionConfig`, the subset we send on create. */
export interface WahaSessionConfig {
  /** Free key/value strings echoed back in every webhook. */
  metadata?: Record<string, string>;
  /** Webhooks of this session. */
  webhooks?: WahaWebhookConfig[];
}

/** `SessionCreateRequest`: the body of `POST /api/sessions`. */
export interface WahaCreateSessionRequest {
  /** Session name, `[A-Za-z0-9_-]`, at most 54 characters. */
  name: string;
  /** Start right after creation (WAHA's default is `true`; we always send it). */
  start?: boolean;
  /** Optional configuration. */
  config?: WahaSessionConfig;
}

/** `QRCodeValue`: `GET /api/{session}/auth/qr?format=raw`. */
export interface WahaQrValue {
  /** The raw QR payload, to be rendered by the browser. */
  value: string;
}

/** The body WAHA's `session.status` webhook/websocket event carries (`WAHAWebhookSessionStatus`). */
export interface WahaSessionStatusEvent {
  /** Event id. */
  id?: string;
  /** Unix time in ms. */
  timestamp?: number;
  /** Always `session.status` for this event. */
  event: string;
  /** The session name. */
  session: string;
  /** The session's metadata (from its config). */
  metadata?: Record<string, string> | null;
  /** The linked account, when known. */
  me?: WahaMeInfo | null;
  /** The new status, with recent history. */
  payload: {
    /** The session name. */
    name?: string;
    /** The new status. */
    status: WahaStatus;
    /** Recent statuses, oldest first. */
    statuses?: Array<{
      /** A status. */
      status: WahaStatus;
      /** When it began (Unix ms). */
      timestamp: number;
    }>;
  };
}
