import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import { emit, type WacQrDetail } from '../events.js';

/**
 * Sends `wac-qr` once per new QR, after the render that puts it on screen (so a
 * listener finds it drawn). A QR shown again after another phase is new again.
 */
export class QrAnnouncer implements ReactiveController {
  readonly #host: ReactiveControllerHost & EventTarget;
  #shown: WacQrDetail | null = null;
  #announced: WacQrDetail | null = null;

  constructor(host: ReactiveControllerHost & EventTarget) {
    this.#host = host;
    host.addController(this);
  }

  /** Records what the render being made shows (`null`: no QR). */
  show(qr: WacQrDetail | null | undefined): void {
    this.#shown = qr ?? null;
  }

  /** Forgets the last announcement (the phase changed). */
  reset(): void {
    this.#announced = null;
  }

  hostUpdated(): void {
    const shown = this.#shown;
    const last = this.#announced;
    if (!shown || (shown.qr === last?.qr && shown.qrImage === last.qrImage)) return;
    // A copy: a listener may change the event's detail, which must not make the same QR look new.
    this.#announced = { ...shown };
    emit(this.#host, 'wac-qr', shown);
  }
}
