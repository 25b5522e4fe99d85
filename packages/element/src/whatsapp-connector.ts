import { ReactiveElement, type PropertyDeclarations, type PropertyValues } from '@lit/reactive-element';
import {
  DEFAULT_CADENCE,
  DEFAULT_ENDPOINT,
  initialSnapshot,
  type ActionResult,
  type HeadersInput,
  type SessionClient,
  type SessionSnapshot,
} from '@whatsapp-connector/client';
import { ActionController } from './controllers/actions.js';
import { ChunkController } from './controllers/chunks.js';
import { FocusController } from './controllers/focus.js';
import { LocalStateController } from './controllers/local-state.js';
import { QrAnnouncer } from './controllers/qr-announcer.js';
import { SessionController } from './controllers/session.js';
import { browserLanguages, inheritedLang, resolveLanguage, withOverrides, type BuiltInLanguage } from './i18n/resolve.js';
import type { WacStrings } from './i18n/strings.js';
import { patch, type Tag } from './dom.js';
import { styles } from './styles.js';
import type { ButtonAction } from './views/context.js';
import { card, viewFor, WAITING_FOR_TEXTS } from './views/index.js';
import { LINKING_PHASES } from './views/linking.js';
import { actionError } from './views/parts.js';

/** The `theme` values. */
export type WacTheme = 'light' | 'dark' | 'auto';

/** Default waiting cadence (STARTING, SCAN_QR, STOPPED, unknown), in ms: the client's. */
export const DEFAULT_QR_INTERVAL = DEFAULT_CADENCE.waitingMs;
/** Default connected cadence (WORKING), in ms: the client's. */
export const DEFAULT_CONNECTED_INTERVAL = DEFAULT_CADENCE.connectedMs;

/**
 * Links a WhatsApp number to your application: shows the session of the
 * caller's organization (QR code, pairing code, linked number, problems) and
 * offers the manual actions. A thin skin over the headless
 * `@whatsapp-connector/client`: it never restarts a session by itself.
 *
 * Elements with the same `endpoint` and `credentials` share one client (one
 * request per cadence tick); the shared client takes `headers` and the
 * intervals from the first element that asked for it. An injected `client` is
 * used as is: the element starts it but never stops or disposes it.
 *
 * Events report what changes while the element is in the document; an element
 * that joins a client which already has an answer reads it from `snapshot`.
 *
 * @summary WhatsApp linking widget: QR / pairing code, linked number, reconnect, change number, log out.
 *
 * @tag whatsapp-connector
 *
 * @event {CustomEvent<WacStatusChangeDetail>} wac-status-change - The session status changed. Detail: `{ status, previousStatus, phase }`.
 * @event {CustomEvent<WacConnectedDetail>} wac-connected - The session became `WORKING`. Detail: `{ me }`.
 * @event {CustomEvent<WacDisconnectedDetail>} wac-disconnected - The session left `WORKING`. Detail: `{ me, status }`.
 * @event {CustomEvent<WacFailedDetail>} wac-failed - The session became `FAILED` or `ERROR`. Detail: `{ status, error }`.
 * @event {CustomEvent<WacQrDetail>} wac-qr - A new QR code is on screen. Detail: `{ qr, qrImage }`.
 * @event {CustomEvent<WacActionDetail>} wac-action - A manual action started, succeeded or failed. Detail: `{ action, stage, error? }`.
 * @event {CustomEvent<WacErrorDetail>} wac-error - A request (poll or action) failed. Detail: `{ error }`.
 *
 * @csspart base - The card around everything.
 * @csspart status - The status line (a persistent `role="status"` region).
 * @csspart qr - The box holding the QR code.
 * @csspart qr-code - The QR code image itself (`<svg>` or `<img>`).
 * @csspart instructions - The numbered steps for the phone.
 * @csspart phone - The linked phone number.
 * @csspart name - The linked account's WhatsApp name.
 * @csspart actions - A row of buttons.
 * @csspart button - Every button.
 * @csspart reconnect - The Link WhatsApp / Link again / Show a new code button (also `button`).
 * @csspart change-number - The Change number button (also `button`).
 * @csspart logout - The Log out button (also `button`).
 * @csspart confirm - The logout confirmation: a `role="group"` named by its question.
 * @csspart confirm-logout - The button confirming the logout (also `button`).
 * @csspart cancel - The button cancelling the logout (also `button`).
 * @csspart try-again - The Try again button (also `button`).
 * @csspart use-phone - The "link with phone number instead" button (also `button`).
 * @csspart use-qr - The "use a QR code instead" button (also `button`).
 * @csspart phone-form - The phone number form.
 * @csspart input - The phone number field.
 * @csspart request-code - The Get code button (also `button`).
 * @csspart pairing-code - The pairing code.
 * @csspart reason - The server's own words about a failure.
 * @csspart health - The note shown while the link is unstable (flapping).
 * @csspart error - The message of a failed action.
 *
 * @cssproperty [--wac-accent=#008069] - Accent color (primary buttons, active dot).
 * @cssproperty [--wac-accent-text=#fff] - Text on the accent color.
 * @cssproperty [--wac-text=#1f2328] - Text color.
 * @cssproperty [--wac-muted=#54656f] - Secondary text color.
 * @cssproperty [--wac-background=#fff] - Card background.
 * @cssproperty [--wac-border=#d1d7db] - Border color.
 * @cssproperty [--wac-danger=#b42318] - Errors and the Log out button.
 * @cssproperty [--wac-warning=#8a5a00] - The reconnecting / expired dot.
 * @cssproperty [--wac-focus=#005fcc] - Focus ring.
 * @cssproperty [--wac-radius=12px] - Corner radius.
 * @cssproperty [--wac-font=system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif] - Font family.
 * @cssproperty [--wac-qr-size=220px] - Width and height of the QR code.
 */
export class WhatsAppConnector extends ReactiveElement {
  /** The element's shadow styles (one constructable stylesheet, so a strict CSP needs no `unsafe-inline`). */
  static override styles = styles;

  // Declared here rather than with decorators: the decorator helpers cost bytes in every bundle.
  static override properties: PropertyDeclarations = {
    endpoint: {},
    lang: { reflect: true },
    qrInterval: { type: Number, attribute: 'qr-interval' },
    connectedInterval: { type: Number, attribute: 'connected-interval' },
    theme: { reflect: true },
    credentials: {},
    client: { attribute: false },
    strings: { attribute: false },
    headers: { attribute: false },
    deferHydration: { type: Boolean, attribute: 'defer-hydration' },
  };

  /** The session endpoint URL (attribute `endpoint`). Ignored when `client` is set. */
  endpoint: string = DEFAULT_ENDPOINT;

  /**
   * The language (`es`, `en`, `pt-BR`, or a regional tag such as `es-MX`).
   * Unset: the nearest ancestor's `lang`, then the browser's languages. Attribute `lang`.
   */
  declare lang: string;

  /** Polling interval in milliseconds while waiting (`STARTING`, `SCAN_QR`, `STOPPED`, unknown), attribute `qr-interval`. At least 1000 (the client's floor). */
  qrInterval: number = DEFAULT_QR_INTERVAL;

  /** Polling interval in milliseconds while connected (`WORKING`), attribute `connected-interval`. At least 1000 (the client's floor). */
  connectedInterval: number = DEFAULT_CONNECTED_INTERVAL;

  /** `light`, `dark`, or `auto` (follows `prefers-color-scheme`); attribute `theme`. */
  theme: WacTheme = 'auto';

  /** The `credentials` mode of requests: `same-origin` (default), `include` or `omit`; attribute `credentials`. */
  credentials: RequestCredentials = 'same-origin';

  /** A session client to use instead of one made from `endpoint` (the element never disposes it). */
  client: SessionClient | undefined;

  /** Texts to override; missing keys keep the built-in language. */
  strings: Partial<WacStrings> | undefined;

  /** Extra request headers, or a (possibly async) function returning them before each request. */
  headers: HeadersInput | undefined;

  /**
   * While `true` (attribute `defer-hydration`), the element sends nothing: a
   * server-rendered page keeps it until its framework has set the properties
   * (`@whatsapp-connector/react` does), so the first request already carries them.
   */
  deferHydration = false;

  readonly #session = new SessionController(this);
  // A method called right after `append()` waits for the first update (not for the chunks).
  readonly #actions = new ActionController(this, () => this.#session.attached(() => super.getUpdateComplete()), () => this.#phase);
  readonly #focus = new FocusController(this, () => this.#busy !== null);
  readonly #chunks = new ChunkController(this, () => ({ language: this.language, linking: LINKING_PHASES.has(this.#phase), qr: this.snapshot?.qr ?? null }));
  readonly #qr = new QrAnnouncer(this);
  readonly #local = new LocalStateController(this, () => this.#phase, () => this.#qr.reset());

  /** The client's latest snapshot, or `null` while the element is not attached to a client. */
  get snapshot(): SessionSnapshot | null {
    return this.#session.snapshot;
  }

  /** The built-in language in use (after fallback). */
  get language(): BuiltInLanguage {
    return resolveLanguage([this.lang, inheritedLang(this), ...browserLanguages()]);
  }

  /** Polls now (also after `FAILED` / `ERROR` / `401` stopped polling); resolves with the snapshot after it. */
  async refresh(): Promise<SessionSnapshot> {
    return (await this.#actions.refresh()) ?? this.snapshot ?? initialSnapshot;
  }

  /** Sends `reconnect` (Link WhatsApp / Link again / Show a new code). */
  reconnect(): Promise<ActionResult> {
    return this.#actions.act('reconnect', (client) => client.reconnect());
  }

  /** Sends `change_number`: logs the phone out and starts over with a new code. */
  changeNumber(): Promise<ActionResult> {
    return this.#actions.act('change_number', (client) => client.changeNumber());
  }

  /** Sends `logout` at once (the button asks for confirmation first; this method does not). */
  logout(): Promise<ActionResult> {
    // The question closes once the client has answered (not on a rejection: the SessionClient contract says it resolves).
    return this.#actions.act('logout', async (client) => {
      const result = await client.logout();
      this.#local.set({ confirming: false });
      return result;
    });
  }

  /** Sends `request_code` for `phoneNumber` (international digits); the pairing code appears in the snapshot. */
  requestPairingCode(phoneNumber: string): Promise<ActionResult> {
    return this.#actions.act('request_code', (client) => client.requestPairingCode(phoneNumber));
  }

  get #phase(): string {
    return this.snapshot?.phase ?? 'idle';
  }

  /** The action running here or, through a shared client, elsewhere. */
  get #busy() {
    return this.#actions.running ?? this.snapshot?.pendingAction ?? null;
  }

  // A click while anything runs is ignored: a double click sends one request.
  #click(action: ButtonAction): void {
    if (!this.#busy) void this[action === 'change_number' ? 'changeNumber' : action]();
  }

  /** Also waits for the chunks the element is about to show (its language, the linking view, the QR drawing, the action runner). */
  protected override getUpdateComplete(): Promise<boolean> {
    const updated = () => super.getUpdateComplete();
    return this.#chunks.complete(() => this.#actions.arriving?.then(updated) ?? updated());
  }

  // Lit's reactive base renders nothing itself: each update patches the shadow root to the view.
  protected override update(changed: PropertyValues): void {
    const view = this.render();
    super.update(changed);
    patch(this.renderRoot, [view]);
  }

  /** The card for the current snapshot, phase and local state. */
  protected render(): Tag {
    const snapshot = this.snapshot ?? initialSnapshot;
    const texts = this.#chunks.texts();
    // The linking texts are there whenever the linking view is (see ViewContext.strings).
    const strings = texts && (withOverrides(texts, this.strings) as WacStrings);
    // No texts only for the moment the language chunk takes to arrive (the first GET is usually slower).
    const view = strings
      ? viewFor({
          snapshot,
          strings,
          busy: this.#busy,
          local: this.#local.state,
          chunks: this.#chunks,
          act: (action) => this.#click(action),
          requestCode: (digits) => void this.requestPairingCode(digits),
          set: (patch, focus) => {
            this.#local.set(patch);
            if (focus) this.#focus.moveTo(focus);
          },
          dismissError: () => this.#actions.dismiss(),
        })
      : WAITING_FOR_TEXTS;
    this.#qr.show(view.shownQr);
    const error = strings && this.#actions.error;
    return card(snapshot.phase, view, error && actionError(error, strings));
  }
}
