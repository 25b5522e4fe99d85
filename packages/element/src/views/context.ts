import type { SessionSnapshot } from '@whatsapp-connector/client';
import type { Child } from '../dom.js';
import type { WacActionName, WacQrDetail } from '../events.js';
import type { WacStrings } from '../i18n/strings.js';
import type { QrDrawing, LinkingModule } from './linking.js';

/** The actions a button can start (the pairing request has its own form). */
export type ButtonAction = Exclude<WacActionName, 'request_code'>;

/**
 * UI state that belongs to the phase it was started in: a new phase starts
 * from {@link freshLocalState} (the logout question closed, the QR shown, the
 * phone field empty).
 */
export interface LocalState {
  /** `true` while the logout confirmation question is shown. */
  readonly confirming: boolean;
  /** Whether the QR or the phone-number form is shown. */
  readonly pairing: 'qr' | 'phone';
  /** What the person typed as a phone number. */
  readonly input: string;
  /** `true` after a submit with an invalid number (until the input changes). */
  readonly invalid: boolean;
}

/** The local state a phase starts with. */
export const freshLocalState = (): LocalState => ({ confirming: false, pairing: 'qr', input: '', invalid: false });

/** The lazily loaded parts of the element, as far as they have arrived. */
export interface LoadedChunks {
  /** The linking view (QR, pairing form), once its chunk is loaded. */
  readonly linking: LinkingModule | undefined;
  /** `true` while the linking view's chunk (or its texts) cannot be loaded. */
  readonly linkingFailed: boolean;
  /** The QR drawing, once its chunk is loaded. */
  readonly drawing: QrDrawing | undefined;
  /** `true` when the QR drawing's chunk could not be loaded for the QR on screen. */
  readonly encoderUnavailable: boolean;
}

/** Everything a view needs; views are pure functions of it. */
export interface ViewContext {
  /** The client's snapshot. */
  readonly snapshot: SessionSnapshot;
  /**
   * The texts in the chosen language. The linking texts (QR and pairing) are
   * there once the linking view's chunk is, which is when that view renders.
   */
  readonly strings: WacStrings;
  /** The action running (in this element or through the shared client), or `null`. */
  readonly busy: WacActionName | null;
  /** This phase's local state. */
  readonly local: LocalState;
  /** What of the lazy chunks has arrived. */
  readonly chunks: LoadedChunks;
  /** Starts an action from a click. */
  act(action: ButtonAction): void;
  /** Sends `request_code` for international digits. */
  requestCode(phoneNumber: string): void;
  /** Changes the local state, re-renders, then focuses the control matching `focus`. */
  set(patch: Partial<LocalState>, focus?: string): void;
  /** Hides the last action's error. */
  dismissError(): void;
}

/** How the status line looks. */
export type Tone = 'progress' | 'ok' | 'warn' | 'error';

/** What a phase renders: the status line (announced) and the body under it. */
export interface View {
  /** Text of the persistent `role="status"` region. */
  readonly status: string;
  /** Decoration of the status line. */
  readonly tone: Tone;
  /** The phase's content. */
  readonly body: Child;
  /** The QR this view puts on screen (announced by `wac-qr` once rendered), if any. */
  readonly shownQr?: WacQrDetail | null;
}
