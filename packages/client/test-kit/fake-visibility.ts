import { createEmitter } from '../src/emitter.js';
import type { VisibilitySource } from '../src/options.js';

/** A page visibility the test switches by hand. */
export class FakeVisibility implements VisibilitySource {
  #visible: boolean;
  readonly #listeners = createEmitter<boolean>();

  constructor(visible = true) {
    this.#visible = visible;
  }

  isVisible(): boolean {
    return this.#visible;
  }

  subscribe(listener: (visible: boolean) => void): () => void {
    return this.#listeners.subscribe(listener);
  }

  /** How many listeners are subscribed (leak checks). */
  get listenerCount(): number {
    return this.#listeners.size;
  }

  /** Shows (`true`) or hides the page; listeners hear only real changes. */
  set(visible: boolean): void {
    if (visible === this.#visible) return;
    this.#visible = visible;
    this.#listeners.emit(visible);
  }
}
