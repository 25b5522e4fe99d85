// qrcode's encoder alone (its package entry also brings the canvas, SVG and
// terminal renderers); @types/qrcode describes only the package entry.
declare module 'qrcode/lib/core/qrcode.js' {
  /** The module matrix of an encoded payload. */
  export interface BitMatrix {
    /** Modules per side. */
    readonly size: number;
    /** Row-major modules; 1 is dark. */
    readonly data: Uint8Array;
  }

  /** Encodes `text` (throws when it does not fit a QR code). */
  export function create(text: string): { readonly modules: BitMatrix };
}
