import type { SessionSnapshot } from '@whatsapp-connector/client';
import type { TemplateResult, nothing } from 'lit';
import type { WacActionName, WacQrDetail } from '../events.js';
import type { WacStrings } from '../i18n/strings.js';

/** Something a template may render: a template, text, or nothing. */
export type Renderable = TemplateResult | string | typeof nothing;

/** The actions a button can start (the pairing request has its own form). */
export type ButtonAction = Exclude<WacActionName, 'request_code'>;

/** Local state and handlers of the "link with a phone number" flow. */
export interface PairingContext {
  /** Whether the QR or the phone-number form is shown. */
  readonly mode: 'qr' | 'phone';
  /** What the person typed. */
  readonly input: string;
  /** `true` after a submit with an invalid number (until the input changes). */
  readonly invalid: boolean;
  /** Switches between the QR and the form. */
  setMode(mode: 'qr' | 'phone'): void;
  /** Records what the person types. */
  setInput(value: string): void;
  /** Validates and sends `request_code`. */
  submit(event: Event): void;
}

/** Local state of the logout confirmation. */
export interface LogoutContext {
  /** `true` while the confirmation question is shown. */
  readonly confirming: boolean;
  /** Shows the question. */
  ask(): void;
  /** Hides it. */
  cancel(): void;
}

/** Everything a view needs; views are pure functions of it. */
export interface ViewContext {
  /** The client's snapshot. */
  readonly snapshot: SessionSnapshot;
  /** The texts in the chosen language. */
  readonly strings: WacStrings;
  /** The action running (in this element or through the shared client), or `null`. */
  readonly busy: WacActionName | null;
  /** Starts an action from a click. */
  act(action: ButtonAction): void;
  /** `true` when the QR drawing's chunk could not be loaded. */
  readonly encoderUnavailable: boolean;
  /** The phone-number flow. */
  readonly pairing: PairingContext;
  /** The logout confirmation. */
  readonly logout: LogoutContext;
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
  readonly body: Renderable;
  /** The QR this view puts on screen (announced by `wac-qr` once rendered), if any. */
  readonly shownQr?: WacQrDetail | null;
}
