import type { ReactiveController, ReactiveElement } from '@lit/reactive-element';

type Host = ReactiveElement;

/**
 * Keeps keyboard focus where a person expects it: on the control a view change
 * asked for ({@link FocusController.moveTo}), and back inside the element after
 * an action. Disabling the pressed button during an action (or replacing it with
 * the next view) drops focus to the page; once nothing runs, focus returns to
 * that button, else the first control, else the status line. It notes what
 * had focus from the element's own `wac-action` start event, so it needs
 * nothing from the action runner but `busy`.
 */
export class FocusController implements ReactiveController {
  readonly #host: Host;
  readonly #busy: () => boolean;
  #next: string | null = null;
  /** What had focus when this element's action started; focus returns once nothing runs. */
  #origin: HTMLElement | null = null;

  /**
   * @param host the element.
   * @param busy `true` while an action runs (here or through a shared client).
   */
  constructor(host: Host, busy: () => boolean) {
    this.#host = host;
    this.#busy = busy;
    host.addController(this);
    host.addEventListener('wac-action', ({ detail }) => {
      if (detail.stage === 'start') {
        const focused = host.shadowRoot?.activeElement;
        this.#origin = focused instanceof HTMLElement ? focused : null;
      }
    });
  }

  /** Focuses the control matching `selector` once the next update has rendered it. */
  moveTo(selector: string): void {
    this.#next = selector;
  }

  hostUpdated(): void {
    const root = this.#host.renderRoot;
    if (this.#next) {
      root.querySelector<HTMLElement>(this.#next)?.focus();
      this.#next = null;
    }
    // `busy` holds from the start event until the run is over (after its success or error event).
    const origin = this.#origin;
    if (!origin || this.#busy()) return;
    this.#origin = null;
    const active = document.activeElement;
    const lost = !active || active === document.body || (active === this.#host && !this.#host.shadowRoot?.activeElement);
    if (!lost) return;
    const target =
      (origin.isConnected && !(origin as HTMLButtonElement).disabled ? origin : null) ??
      root.querySelector<HTMLElement>('button:not([disabled]), input') ??
      root.querySelector<HTMLElement>('[part~="status"]');
    target?.focus();
  }
}
