import { h, type Tag } from './dom.js';
import { encodeQrMatrix } from './qr-encoder.js';

/** A QR module matrix: `size × size` modules, row-major, non-zero = dark. */
export interface QrMatrix {
  /** Modules per side. */
  readonly size: number;
  /** Row-major modules; non-zero is dark. */
  readonly data: ArrayLike<number | boolean>;
}

// The quiet zone the QR specification asks for, in modules.
const QUIET_ZONE = 4;

let lastPayload: string | undefined;
let lastMatrix: QrMatrix | null = null;

/**
 * The matrix of `payload`, or `null` when it cannot be encoded (too long). The
 * last answer is kept: every render asks again.
 */
export function encodeQr(payload: string): QrMatrix | null {
  if (payload !== lastPayload) {
    lastPayload = payload;
    try {
      lastMatrix = encodeQrMatrix(payload);
    } catch {
      lastMatrix = null;
    }
  }
  return lastMatrix;
}

/**
 * The SVG path of the dark modules, one sub-path per horizontal run, in module
 * units. Only numbers go into it: nothing from the payload reaches the markup.
 */
function qrPath({ size, data }: QrMatrix): string {
  let d = '';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; ) {
      const start = x;
      while (x < size && data[y * size + x]) x++;
      if (x > start) d += `M${start} ${y}h${x - start}v1h${start - x}z`;
      else x++;
    }
  }
  return d;
}

/** Draws a matrix as an SVG image with a quiet zone and a text alternative. */
export function renderQrMatrix(matrix: QrMatrix, label: string): Tag {
  const side = matrix.size + 2 * QUIET_ZONE;
  return h(
    'svg',
    {
      part: 'qr-code',
      class: 'qr-code',
      role: 'img',
      'aria-label': label,
      viewBox: `${-QUIET_ZONE} ${-QUIET_ZONE} ${side} ${side}`,
      'shape-rendering': 'crispEdges',
      'data-size': matrix.size,
    },
    h('rect', { x: -QUIET_ZONE, y: -QUIET_ZONE, width: side, height: side, fill: '#fff' }),
    h('path', { d: qrPath(matrix), fill: '#000' }),
  );
}
