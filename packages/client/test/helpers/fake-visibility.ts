import type { VisibilitySource } from '../../src/options.js';

/** A visibility source the test switches by hand. */
export class FakeVisibility implements VisibilitySource {
  private visible: boolean;
  private readonly listeners = new Set<(visible: boolean) => void>();

  constructor(visible = true) {
    this.visible = visible;
  }

  isVisible(): boolean {
    return this.visible;
  }

  subscribe(listener: (visible: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many listeners are subscribed (leak checks). */
  get listenerCount(): number {
    return this.listeners.size;
  }

  set(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    for (const listener of [...this.listeners]) listener(visible);
  }
}
