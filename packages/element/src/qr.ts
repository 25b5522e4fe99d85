import { Task, TaskStatus } from '@lit/task';
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';

/** A QR module matrix: `size × size` modules, row-major, non-zero = dark. */
export interface QrMatrix {
  /** Modules per side. */
  readonly size: number;
  /** Row-major modules; non-zero is dark. */
  readonly data: ArrayLike<number | boolean>;
}

/** A drawn payload: the matrix and the payload it encodes. */
export interface EncodedQr {
  /** The raw payload. */
  readonly payload: string;
  /** Its modules. */
  readonly matrix: QrMatrix;
}

// The quiet zone the QR specification asks for, in modules.
const QUIET_ZONE = 4;

/**
 * Encodes `payload` with `qrcode`, imported on demand: most page views show a
 * linked number and never need the encoder, so it lives in its own chunk.
 */
export async function encodeQr(payload: string): Promise<EncodedQr> {
  const { default: QRCode } = await import('qrcode');
  const { modules } = QRCode.create(payload);
  return { payload, matrix: { size: modules.size, data: modules.data } };
}

/**
 * The SVG path of the dark modules, one sub-path per horizontal run, in module
 * units. Only numbers go into it: nothing from the payload reaches the markup.
 */
export function qrPath(matrix: QrMatrix): string {
  const { size, data } = matrix;
  let d = '';
  for (let y = 0; y < size; y++) {
    let x = 0;
    while (x < size) {
      if (!data[y * size + x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && data[y * size + x]) x++;
      d += `M${start} ${y}h${x - start}v1h${start - x}z`;
    }
  }
  return d;
}

/** Draws a matrix as an SVG image with a quiet zone and a text alternative. */
export function renderQrMatrix(matrix: QrMatrix, label: string): TemplateResult {
  const side = matrix.size + 2 * QUIET_ZONE;
  return html`<svg
    part="qr-code"
    class="qr-code"
    role="img"
    aria-label=${label}
    viewBox=${`${-QUIET_ZONE} ${-QUIET_ZONE} ${side} ${side}`}
    shape-rendering="crispEdges"
    data-size=${matrix.size}
  ><rect x=${-QUIET_ZONE} y=${-QUIET_ZONE} width=${side} height=${side} fill="#fff"></rect><path d=${qrPath(matrix)} fill="#000"></path></svg>`;
}

const SAFE_QR_IMAGE = /^data:image\/(?:png|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/;

/** `true` only for a base64 PNG or SVG data URL (nothing that could run or fetch). */
export function isSafeQrImage(url: string | null | undefined): url is string {
  return typeof url === 'string' && SAFE_QR_IMAGE.test(url);
}

/**
 * Loads the encoder and encodes the current payload whenever it changes
 * (a `@lit/task` keyed on the payload), and renders the result.
 */
export class QrEncoderTask {
  readonly #task: Task<[string | null], EncodedQr | null>;

  constructor(host: ReactiveControllerHost, payload: () => string | null) {
    this.#task = new Task(host, {
      task: async ([text]) => (text ? encodeQr(text) : null),
      args: () => [payload()],
    });
  }

  /** The payload drawn on screen now, or `null`. */
  get shownPayload(): string | null {
    return this.#task.status === TaskStatus.COMPLETE ? (this.#task.value?.payload ?? null) : null;
  }

  /**
   * The drawn QR; while a new payload is being encoded the previous drawing
   * stays (no flash), and before the first one a placeholder.
   */
  render(label: string, preparing: string, unavailable: string): TemplateResult | typeof nothing {
    const status = this.#task.status;
    if (status === TaskStatus.ERROR) return html`<p class="qr-placeholder" role="alert">${unavailable}</p>`;
    const value = this.#task.value;
    if (value) return renderQrMatrix(value.matrix, label);
    if (status === TaskStatus.INITIAL) return nothing;
    return html`<p class="qr-placeholder"><span class="spinner" aria-hidden="true"></span>${preparing}</p>`;
  }
}
