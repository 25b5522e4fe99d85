import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import { freshLocalState, type LocalState } from '../views/context.js';

/**
 * The UI state of the phase on screen (the logout question, QR or phone form,
 * the typed number): it belongs to the phase it was started in, so a new phase
 * starts afresh from {@link freshLocalState}.
 */
export class LocalStateController implements ReactiveController {
  /** This phase's state. */
  state: LocalState = freshLocalState();

  readonly #host: ReactiveControllerHost;
  readonly #phase: () => string;
  readonly #onNewPhase: () => void;
  #shown: string | null = null;

  /**
   * @param host the element; add this controller after the session's, whose hostUpdate attaches the client (and so sets the phase).
   * @param phase reads the phase about to be rendered.
   * @param onNewPhase called when a new phase replaces the one on screen.
   */
  constructor(host: ReactiveControllerHost, phase: () => string, onNewPhase: () => void) {
    this.#host = host;
    this.#phase = phase;
    this.#onNewPhase = onNewPhase;
    host.addController(this);
  }

  /** Lays `patch` over the state and re-renders. */
  set(patch: Partial<LocalState>): void {
    this.state = { ...this.state, ...patch };
    this.#host.requestUpdate();
  }

  hostUpdate(): void {
    const phase = this.#phase();
    if (phase === this.#shown) return;
    this.#shown = phase;
    this.state = freshLocalState();
    this.#onNewPhase();
  }
}
