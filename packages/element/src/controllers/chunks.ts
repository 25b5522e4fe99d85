import { adoptStyles, supportsAdoptingStyleSheets, type ReactiveController, type ReactiveControllerHost, type ReactiveElement } from '@lit/reactive-element';
import { DEFAULT_BACKOFF, backoffCap } from '@whatsapp-connector/client';
import { LANGUAGES } from '../i18n/catalog.js';
import type { BuiltInLanguage } from '../i18n/resolve.js';
import type { WacBaseStrings, WacLinkingStrings } from '../i18n/strings.js';
import type { LoadedChunks } from '../views/context.js';
import { LINKING_VIEW, QR_DRAWING, type LinkingModule, type QrDrawing } from '../views/linking.js';

type Host = ReactiveControllerHost & ReactiveElement;

/** What the element shows now, which decides the chunks it needs. */
export interface Due {
  /** The language it speaks. */
  readonly language: BuiltInLanguage;
  /** `true` in a linking phase (a QR or code to enter, passkey, an expired code): the linking view is due. */
  readonly linking: boolean;
  /** The QR payload on screen, if any (the QR drawing is due). */
  readonly qr: string | null;
}

/**
 * Loads the lazy chunks the element is about to show (its language; in a
 * linking phase, the linking view with its texts, and the QR drawing), after
 * each update, and makes `updateComplete` wait for them ({@link ChunkController.complete}).
 *
 * A chunk that fails to load is never retried in a loop. The language and the
 * linking view are tried again on the next update and on a timer that follows
 * the client's backoff (2 s, 4 s, … at most a minute: a FAILED session or a
 * hidden page sends no update); the QR drawing is tried again with the next QR
 * (WAHA rotates it every 20 s or so).
 */
export class ChunkController implements ReactiveController, LoadedChunks {
  readonly #host: Host;
  readonly #due: () => Due;
  readonly #loads = new Map<Promise<unknown>, Promise<void>>();
  /** The last texts shown: a switched-to language replaces them only once it has arrived. */
  #base: WacBaseStrings | undefined;
  #baseLanguage: BuiltInLanguage = 'en';
  #linkingFailed = false;
  /** Set by a failed linking load, cleared by the retry timer: a failure's own re-render must not retry. */
  #linkingBlocked = false;
  #encoderFailedFor: string | null = null;
  #failures = 0;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #styled = false;

  /**
   * @param host the element.
   * @param due reads what the element shows now.
   */
  constructor(host: Host, due: () => Due) {
    this.#host = host;
    this.#due = due;
    host.addController(this);
  }

  /** The texts to render with (the linking ones once that view is loaded), or `undefined` before the language arrived. */
  texts(): (WacBaseStrings & Partial<WacLinkingStrings>) | undefined {
    const { language } = this.#due();
    const base = LANGUAGES[language].value;
    if (base) {
      this.#base = base;
      this.#baseLanguage = language;
    }
    // The linking texts in the language of the base texts shown, never a mix.
    return this.#base && { ...this.#base, ...LINKING_VIEW.value?.texts[this.#baseLanguage] };
  }

  get linking(): LinkingModule | undefined {
    return LINKING_VIEW.value;
  }

  get linkingFailed(): boolean {
    return this.#linkingFailed;
  }

  get drawing(): QrDrawing | undefined {
    return QR_DRAWING.value;
  }

  get encoderUnavailable(): boolean {
    const { qr } = this.#due();
    return qr !== null && qr === this.#encoderFailedFor;
  }

  /**
   * Waits for `updated` (the host's own update), then for every chunk under way
   * and the update it brings, until none is: `updateComplete` then means
   * "rendered with its texts, its linking view and its QR".
   */
  async complete(updated: () => Promise<boolean>): Promise<boolean> {
    let complete = await updated();
    while (this.#loads.size > 0) {
      await Promise.all(this.#loads.values());
      complete = await updated();
    }
    return complete;
  }

  hostUpdate(): void {
    // The linking view's styles join the shadow root before it first renders.
    const view = LINKING_VIEW.value;
    if (view && !this.#styled && this.#host.shadowRoot) {
      // adoptStyles replaces the adopted sheets, but where a browser has none it appends a
      // <style> per sheet: there the element's own are already in place.
      const elementStyles = supportsAdoptingStyleSheets ? (this.#host.constructor as typeof ReactiveElement).elementStyles : [];
      adoptStyles(this.#host.shadowRoot, [...elementStyles, view.styles]);
      this.#styled = true;
    }
  }

  // After the update: the first one attaches the client, so only then is the phase known.
  hostUpdated(): void {
    const { language, linking, qr } = this.#due();
    // The backoff starts over once everything due has arrived.
    if (LANGUAGES[language].value && (!linking || this.linking)) this.#failures = 0;
    this.#track(LANGUAGES[language].load(), () => this.#retryLater());
    if (!linking) {
      this.#encoderFailedFor = null;
      return;
    }
    if (!this.#linkingBlocked) {
      const failed = () => {
        this.#linkingFailed = this.#linkingBlocked = true;
        this.#retryLater();
        this.#host.requestUpdate();
      };
      // The alert stays while a retry is under way; it goes when the view can render.
      this.#track(LINKING_VIEW.load(), failed);
    }
    if (qr && qr !== this.#encoderFailedFor) {
      this.#track(QR_DRAWING.load(), () => {
        this.#encoderFailedFor = this.#due().qr;
        this.#host.requestUpdate();
      });
    }
  }

  // Its retry timer gone, a failed linking view is tried again with the next update (that of a re-attach).
  hostDisconnected(): void {
    clearTimeout(this.#retry);
    this.#retry = undefined;
    this.#linkingBlocked = false;
  }

  /** Re-renders when `loading` has arrived; `onFailure` otherwise. One follow-up per load; under way (for complete()) until it ran. */
  #track(loading: Promise<unknown> | null, onFailure: () => void): void {
    if (!loading || this.#loads.has(loading)) return;
    const forget = () => this.#loads.delete(loading);
    this.#loads.set(loading, loading.then(() => this.#host.requestUpdate(), onFailure).finally(forget));
  }

  // Not at once (that could loop), but not only on the next update either.
  #retryLater(): void {
    if (this.#retry !== undefined || !this.#host.isConnected) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.#linkingBlocked = false;
      this.#host.requestUpdate();
    }, backoffCap(++this.#failures, DEFAULT_BACKOFF));
  }
}
