import type { SessionError, SessionMe, SessionPhase, SessionStatus } from '@whatsapp-connector/client';

/** The manual actions the element offers; `refresh` is the "Try again" poll. */
export type WacActionName = 'refresh' | 'reconnect' | 'change_number' | 'logout' | 'request_code';

/** Detail of `wac-status-change`. */
export interface WacStatusChangeDetail {
  /** The new normalized status. */
  readonly status: SessionStatus;
  /** The status before, or `null` for the first answer. */
  readonly previousStatus: SessionStatus | null;
  /** What the element shows now. */
  readonly phase: SessionPhase;
}

/** Detail of `wac-connected`. */
export interface WacConnectedDetail {
  /** The linked account, when the backend reported it. */
  readonly me: SessionMe | null;
}

/** Detail of `wac-disconnected`. */
export interface WacDisconnectedDetail {
  /** The account that was linked, when known. */
  readonly me: SessionMe | null;
  /** The status the session moved to. */
  readonly status: SessionStatus | null;
}

/** Detail of `wac-failed`. */
export interface WacFailedDetail {
  /** `FAILED` or `ERROR`. */
  readonly status: SessionStatus;
  /** The backend's reason, when it gave one. */
  readonly error: SessionError | null;
}

/** Detail of `wac-qr`. */
export interface WacQrDetail {
  /** The raw QR payload now on screen, or `null` when a ready image is shown. */
  readonly qr: string | null;
  /** The QR image now on screen, or `null` when the QR is drawn locally. */
  readonly qrImage: string | null;
}

/** Detail of `wac-action`. */
export interface WacActionDetail {
  /** Which action. */
  readonly action: WacActionName;
  /** `start` before the request, then `success` or `error`. */
  readonly stage: 'start' | 'success' | 'error';
  /** The failure, on `error`. */
  readonly error?: SessionError;
}

/** Detail of `wac-error`. */
export interface WacErrorDetail {
  /** What went wrong (a failed poll or action). */
  readonly error: SessionError;
}

/** Every event of `<whatsapp-connector>` with its detail type. */
export interface WacEventMap {
  'wac-status-change': CustomEvent<WacStatusChangeDetail>;
  'wac-connected': CustomEvent<WacConnectedDetail>;
  'wac-disconnected': CustomEvent<WacDisconnectedDetail>;
  'wac-failed': CustomEvent<WacFailedDetail>;
  'wac-qr': CustomEvent<WacQrDetail>;
  'wac-action': CustomEvent<WacActionDetail>;
  'wac-error': CustomEvent<WacErrorDetail>;
}

/** The name of an event of `<whatsapp-connector>`. */
export type WacEventName = keyof WacEventMap;

/**
 * Every `wac-*` event name, in the order the docs list them: for logging or
 * forwarding them all (`for (const name of WAC_EVENT_NAMES) el.addEventListener(name, log)`).
 */
export const WAC_EVENT_NAMES = [
  'wac-status-change',
  'wac-connected',
  'wac-disconnected',
  'wac-failed',
  'wac-qr',
  'wac-action',
  'wac-error',
] as const satisfies readonly WacEventName[];

// Fails to compile when an event is added to the map but not to the list.
const everyEventListed: Exclude<WacEventName, (typeof WAC_EVENT_NAMES)[number]> extends never ? true : never = true;
void everyEventListed;

type DetailOf<K extends WacEventName> = WacEventMap[K] extends CustomEvent<infer D> ? D : never;

/**
 * Dispatches a typed `wac-*` event from `target`; it bubbles and crosses
 * shadow roots so a page can listen anywhere above the element.
 */
export function emit<K extends WacEventName>(target: EventTarget, name: K, detail: DetailOf<K>): CustomEvent<DetailOf<K>> {
  const event = new CustomEvent(name, { bubbles: true, composed: true, detail });
  target.dispatchEvent(event);
  return event;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-interface
  interface GlobalEventHandlersEventMap extends WacEventMap {}
}
