import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import {
  DEFAULT_ENDPOINT,
  SessionError,
  initialSnapshot,
  type ActionResult,
  type HeadersInput,
  type SessionAction,
  type SessionClient,
  type SessionSnapshot,
} from '@whatsapp-connector/client';
import { bridgeClientEvents } from './bridge.js';
import type { ClientSource } from './client-source.js';
import { SessionController } from './controller.js';
import { emit, type WacActionName, type WacQrDetail } from './events.js';
import { LANGUAGES } from './i18n/catalog.js';
import { browserLanguages, inheritedLang, resolveLanguage, withOverrides, type BuiltInLanguage } from './i18n/resolve.js';
import type { WacStrings } from './i18n/strings.js';
import { normalizePhoneInput } from './phone.js';
import { styles } from './styles.js';
import type { ButtonAction, ViewContext } from './views/context.js';
import { viewFor } from './views/index.js';
import { QR_DRAWING } from './views/qr.js';
import { describeError, serverReason } from './views/parts.js';

/** The `theme` values. */
export type WacTheme = 'light' | 'dark' | 'auto';

/** Default waiting cadence (STARTING, SCAN_QR, STOPPED, unknown), in ms. */
export const DEFAULT_QR_INTERVAL = 8000;
/** Default connected cadence (WORKING), in ms. */
export const DEFAULT_CONNECTED_INTERVAL = 30000;
// Below this an interval is almost certainly seconds typed as milliseconds; never poll that fast.
const MIN_INTERVAL = 1000;
// A language chunk that failed to load is tried again after 2 s, 4 s, … at most a minute.
const LANGUAGE_RETRY_MS = 2000;
const LANGUAGE_RETRY_MAX_MS = 60000;

const CREDENTIALS: readonly RequestCredentials[] = ['omit', 'same-origin', 'include'];

/** What the element shows before a client is attached (and during server-side rendering). */
const IDLE_SNAPSHOT: SessionSnapshot = initialSnapshot;

function interval(value: unknown, fallback: number): number {
  const ms = Number(value);
  return Number.isFinite(ms) && ms > 0 ? Math.max(MIN_INTERVAL, ms) : fallback;
}

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
 * @csspart confirm - The logout confirmation.
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
 * @cssproperty [--wac-accent-text=#ffffff] - Text on the accent color.
 * @cssproperty [--wac-text=#1f2328] - Text color.
 * @cssproperty [--wac-muted=#54656f] - Secondary text color.
 * @cssproperty [--wac-background=#ffffff] - Card background.
 * @cssproperty [--wac-border=#d1d7db] - Border color.
 * @cssproperty [--wac-danger=#b42318] - Errors and the Log out button.
 * @cssproperty [--wac-warning=#8a5a00] - The reconnecting / expired dot.
 * @cssproperty [--wac-focus=#005fcc] - Focus ring.
 * @cssproperty [--wac-radius=12px] - Corner radius.
 * @cssproperty [--wac-font=system-ui, sans-serif] - Font family.
 * @cssproperty [--wac-qr-size=220px] - Width and height of the QR code.
 */
export class WhatsAppConnector extends LitElement {
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
    busyAction: { state: true, attribute: false },
    actionError: { state: true, attribute: false },
    confirmingLogout: { state: true, attribute: false },
    pairingMode: { state: true, attribute: false },
    phoneInput: { state: true, attribute: false },
    phoneInvalid: { state: true, attribute: false },
  };

  /** The session endpoint URL (attribute `endpoint`). Ignored when `client` is set. */
  endpoint: string = DEFAULT_ENDPOINT;

  /**
   * The language (`es`, `en`, `pt-BR`, or a regional tag such as `es-MX`).
   * Unset: the nearest ancestor's `lang`, then the browser's languages. Attribute `lang`.
   */
  declare lang: string;

  /** Polling interval in milliseconds while waiting (`STARTING`, `SCAN_QR`, `STOPPED`, unknown), attribute `qr-interval`. At least 1000. */
  qrInterval: number = DEFAULT_QR_INTERVAL;

  /** Polling interval in milliseconds while connected (`WORKING`), attribute `connected-interval`. At least 1000. */
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

  private busyAction: WacActionName | null = null;
  /** The last failed action's error and the phase it failed in (shown only while that phase lasts). */
  private actionError: { readonly error: SessionError; readonly phase: string } | null = null;
  private confirmingLogout = false;
  private pairingMode: 'qr' | 'phone' = 'qr';
  private phoneInput = '';
  private phoneInvalid = false;

  readonly #session = new SessionController(this, () => this.#source(), (client) => bridgeClientEvents(client, this));
  #lastPhase: string | null = null;
  /** The QR the last render put on screen, and the one last announced by `wac-qr`. */
  #onScreen: WacQrDetail | null = null;
  #shownQrKey: string | null = null;
  /** The QR drawing's chunk failed to load for the QR on screen; tried again with the next QR. */
  #encoderUnavailable = false;
  #failedQr: string | null = null;
  #focusAfterUpdate: string | null = null;
  /** The control that had focus when an action began (disabling it drops focus), or `null`. */
  #focusOrigin: HTMLElement | null = null;
  #restoreFocus = false;
  /** Chunks under way that the next render needs (a language, the QR drawing), each with its settled follow-up. */
  readonly #loads = new Map<Promise<unknown>, Promise<void>>();
  #texts: WacStrings | undefined;
  /** Failed language loads in a row, and the timer that tries again. */
  #languageFailures = 0;
  #languageRetry: ReturnType<typeof setTimeout> | undefined;

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
    const client = await this.#attachedClient();
    if (!client) return this.snapshot ?? IDLE_SNAPSHOT;
    this.#begin('refresh');
    const snapshot = await client.refresh();
    const failed = snapshot.phase === 'unreachable' || snapshot.phase === 'unauthorized';
    this.#end('refresh', failed ? snapshot.error : null, false);
    return snapshot;
  }

  /** Sends `reconnect` (Link WhatsApp / Link again / Show a new code). */
  reconnect(): Promise<ActionResult> {
    return this.#perform('reconnect', (client) => client.reconnect());
  }

  /** Sends `change_number`: logs the phone out and starts over with a new code. */
  changeNumber(): Promise<ActionResult> {
    return this.#perform('change_number', (client) => client.changeNumber());
  }

  /** Sends `logout` at once (the button asks for confirmation first; this method does not). */
  logout(): Promise<ActionResult> {
    return this.#perform('logout', (client) => client.logout());
  }

  /** Sends `request_code` for `phoneNumber` (international digits); the pairing code appears in the snapshot. */
  requestPairingCode(phoneNumber: string): Promise<ActionResult> {
    return this.#perform('request_code', (client) => client.requestPairingCode(phoneNumber));
  }

  /**
   * The client, once attached. A method called right after `append()` waits for
   * the first update, which attaches it; out of the document there is none.
   */
  async #attachedClient(): Promise<SessionClient | null> {
    // Lit's own updateComplete: the first update attaches the client; the chunks do not matter here.
    if (!this.#session.client && this.isConnected) await super.getUpdateComplete();
    return this.#session.client;
  }

  async #perform(action: SessionAction, call: (client: SessionClient) => Promise<ActionResult>): Promise<ActionResult> {
    const client = this.#session.client ?? (await this.#attachedClient());
    if (!client) {
      const error = new SessionError({ code: 'aborted', message: '<whatsapp-connector> is not attached to a session client.' });
      return { ok: false, action, error };
    }
    this.#begin(action);
    const result = await call(client);
    let error = result.ok ? null : result.error;
    if (!error && action === 'request_code' && !this.snapshot?.pairingCode) {
      error = new SessionError({ code: 'invalid_response', message: 'The backend answered request_code without a pairing code.' });
    }
    this.#end(action, error, true);
    return result;
  }

  #begin(action: WacActionName): void {
    const focused = this.shadowRoot?.activeElement;
    this.#focusOrigin = focused instanceof HTMLElement ? focused : null;
    this.busyAction = action;
    this.actionError = null;
    emit(this, 'wac-action', { action, stage: 'start' });
  }

  #end(action: WacActionName, error: SessionError | null, showError: boolean): void {
    if (this.busyAction === action) this.busyAction = null;
    this.#restoreFocus = this.#focusOrigin !== null;
    if (action === 'logout') this.confirmingLogout = false;
    if (error && showError && error.code !== 'aborted' && error.code !== 'busy') {
      this.actionError = { error, phase: this.snapshot?.phase ?? 'idle' };
    }
    emit(this, 'wac-action', error ? { action, stage: 'error', error } : { action, stage: 'success' });
  }

  /** The action running here or, through a shared client, elsewhere. */
  get #busy(): WacActionName | null {
    return this.busyAction ?? this.snapshot?.pendingAction ?? null;
  }

  // A click while anything runs is ignored: a double click sends one request.
  #click(action: ButtonAction): void {
    if (this.#busy) return;
    if (action === 'refresh') void this.refresh();
    else if (action === 'reconnect') void this.reconnect();
    else if (action === 'change_number') void this.changeNumber();
    else void this.logout();
  }

  #submitPhone(event: Event): void {
    event.preventDefault();
    if (this.#busy) return;
    const digits = normalizePhoneInput(this.phoneInput);
    this.phoneInvalid = digits === null;
    if (digits === null) {
      this.#focusAfterUpdate = '#phone-input';
      return;
    }
    void this.requestPairingCode(digits);
  }

  #source(): ClientSource {
    return {
      client: this.client,
      endpoint: this.endpoint || DEFAULT_ENDPOINT,
      credentials: CREDENTIALS.includes(this.credentials) ? this.credentials : 'same-origin',
      headers: this.headers,
      waitingMs: interval(this.qrInterval, DEFAULT_QR_INTERVAL),
      connectedMs: interval(this.connectedInterval, DEFAULT_CONNECTED_INTERVAL),
    };
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    const phase = this.snapshot?.phase ?? 'idle';
    if (phase !== this.#lastPhase) {
      // Local UI state belongs to the phase it was started in.
      if (this.#lastPhase === 'connected') this.confirmingLogout = false;
      if (phase !== 'qr') {
        this.pairingMode = 'qr';
        this.phoneInvalid = false;
        this.#shownQrKey = null;
        this.#encoderUnavailable = false;
      }
      this.#lastPhase = phase;
    }
    // WAHA shows a new QR every 20 s or so: a natural pace for trying a failed chunk again.
    if (this.#encoderUnavailable && (this.snapshot?.qr ?? null) !== this.#failedQr) this.#encoderUnavailable = false;
  }

  // After the render: the first update attaches the client, so only then is the phase known.
  #loadWhatIsDue(): void {
    const language = LANGUAGES[this.language];
    if (language.value) this.#languageFailures = 0;
    this.#track(language.load(), () => this.#retryLanguageLater());
    if (this.snapshot?.phase === 'qr' && this.snapshot.qr && !this.#encoderUnavailable) {
      this.#track(QR_DRAWING.load(), () => {
        this.#encoderUnavailable = true;
        this.#failedQr = this.snapshot?.qr ?? null;
        this.requestUpdate();
      });
    }
  }

  // Not at once (that could loop), but not only on the next update either: a FAILED
  // session or a hidden page sends none, and the widget would stay without words.
  #retryLanguageLater(): void {
    if (this.#languageRetry !== undefined || !this.isConnected) return;
    const delay = Math.min(LANGUAGE_RETRY_MAX_MS, LANGUAGE_RETRY_MS * 2 ** this.#languageFailures++);
    this.#languageRetry = setTimeout(() => {
      this.#languageRetry = undefined;
      this.requestUpdate();
    }, delay);
  }

  /** Also cancels a pending retry of the language. */
  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#languageRetry);
    this.#languageRetry = undefined;
  }

  /** Re-renders when `loading` has arrived; `onFailure` otherwise. One follow-up per load. */
  #track(loading: Promise<unknown> | null, onFailure?: () => void): void {
    if (!loading || this.#loads.has(loading)) return;
    const settled = (then?: () => void) => () => {
      this.#loads.delete(loading);
      then?.();
    };
    this.#loads.set(loading, loading.then(settled(() => this.requestUpdate()), settled(onFailure)));
  }

  /**
   * Also waits for the chunks the element is about to show (its language, the QR
   * drawing), so that `updateComplete` means "rendered with its texts and its QR".
   */
  protected override async getUpdateComplete(): Promise<boolean> {
    let complete = await super.getUpdateComplete();
    while (this.#loads.size > 0) {
      await Promise.all(this.#loads.values());
      complete = await super.getUpdateComplete();
    }
    return complete;
  }

  protected override render() {
    const snapshot = this.snapshot ?? IDLE_SNAPSHOT;
    // While a switched-to language loads, the previous one stays on screen.
    const texts = (this.#texts = LANGUAGES[this.language].value ?? this.#texts);
    if (!texts) {
      // Only for the moment its language chunk takes to arrive (the first GET is usually slower).
      return html`<div part="base" class="base" data-phase=${snapshot.phase} aria-busy="true">
        <p part="status" class="status tone-progress" role="status" tabindex="-1"><span class="spinner" aria-hidden="true"></span></p>
      </div>`;
    }
    const strings = withOverrides(texts, this.strings);
    const view = viewFor(this.#context(snapshot, strings));
    this.#onScreen = view.shownQr ?? null;
    const error = this.actionError?.phase === snapshot.phase ? this.actionError.error : null;
    return html`<div part="base" class="base" data-phase=${snapshot.phase}>
      <p part="status" class="status tone-${view.tone}" role="status" tabindex="-1">
        ${view.tone === 'progress'
          ? html`<span class="spinner" aria-hidden="true"></span>`
          : html`<span class="dot" aria-hidden="true"></span>`}<span class="status-text">${view.status}</span>
      </p>
      ${view.body}
      ${error
        ? html`<div part="error" class="alert" role="alert">
            <p class="detail">${strings.actionFailed} ${describeError(error, strings)}</p>
            ${serverReason(error.code === 'http' ? error.serverMessage : null)}
          </div>`
        : nothing}
    </div>`;
  }

  #context(snapshot: SessionSnapshot, strings: WacStrings): ViewContext {
    return {
      snapshot,
      strings,
      busy: this.#busy,
      act: (action) => this.#click(action),
      encoderUnavailable: this.#encoderUnavailable,
      pairing: {
        mode: this.pairingMode,
        input: this.phoneInput,
        invalid: this.phoneInvalid,
        setMode: (mode) => {
          this.pairingMode = mode;
          this.actionError = null;
          this.#focusAfterUpdate = mode === 'phone' ? (snapshot.pairingCode ? '[part~="use-qr"]' : '#phone-input') : '[part~="use-phone"]';
        },
        setInput: (value) => {
          this.phoneInput = value;
          this.phoneInvalid = false;
        },
        submit: (event) => this.#submitPhone(event),
      },
      logout: {
        confirming: this.confirmingLogout,
        ask: () => {
          this.confirmingLogout = true;
          this.#focusAfterUpdate = '[part~="confirm-logout"]';
        },
        cancel: () => {
          this.confirmingLogout = false;
          this.#focusAfterUpdate = '[part~="logout"]';
        },
      },
    };
  }

  protected override updated(_changed: PropertyValues<this>): void {
    if (this.#focusAfterUpdate) {
      this.renderRoot.querySelector<HTMLElement>(this.#focusAfterUpdate)?.focus();
      this.#focusAfterUpdate = null;
    }
    this.#bringFocusBack();
    this.#announceQr();
    this.#loadWhatIsDue();
  }

  // A keyboard user whose button was disabled (or replaced by the next view) during
  // an action gets focus back: on that button, else the first one, else the status.
  #bringFocusBack(): void {
    if (!this.#restoreFocus || this.#busy) return;
    const origin = this.#focusOrigin;
    this.#restoreFocus = false;
    this.#focusOrigin = null;
    const active = document.activeElement;
    const lost = !active || active === document.body || (active === this && !this.shadowRoot?.activeElement);
    if (!lost) return;
    const target =
      (origin?.isConnected && !(origin as HTMLButtonElement).disabled ? origin : null) ??
      this.renderRoot.querySelector<HTMLElement>('button:not([disabled]), input') ??
      this.renderRoot.querySelector<HTMLElement>('[part~="status"]');
    target?.focus();
  }

  // wac-qr means "a new QR is on screen", so it is sent after the render that shows it.
  #announceQr(): void {
    const shown = this.#onScreen;
    const key = shown && (shown.qr !== null ? `qr:${shown.qr}` : `image:${shown.qrImage}`);
    if (!shown || key === this.#shownQrKey) return;
    this.#shownQrKey = key;
    emit(this, 'wac-qr', shown);
  }
}
