// qrcode's low-level modules under `qrcode/lib/core/`, the ones the element's own
// byte-mode encoder (qr-encoder.ts) builds on; @types/qrcode describes only the
// package entry. Each is CommonJS and fills `exports.x`: named exports here. (The
// modules that assign `module.exports`, bit-buffer.js, bit-matrix.js and
// reed-solomon-encoder.js, are no longer used: a default import also costs the
// bundle an interop helper; nor are utils.js and alignment-pattern.js, whose
// codeword count and alignment positions qr-encoder.ts derives from the layout.)

declare module 'qrcode/lib/core/error-correction-level.js' {
  /** An error correction level: its two-bit format indicator. Compared by identity. */
  export interface ErrorCorrectionLevel {
    readonly bit: number;
  }
  export const L: ErrorCorrectionLevel;
  export const M: ErrorCorrectionLevel;
  export const Q: ErrorCorrectionLevel;
  export const H: ErrorCorrectionLevel;
}

declare module 'qrcode/lib/core/error-correction-code.js' {
  import type { ErrorCorrectionLevel } from 'qrcode/lib/core/error-correction-level.js';
  /** Error correction blocks of `version` at `level`; `undefined` for a level not of this copy of qrcode. */
  export function getBlocksCount(version: number, level: ErrorCorrectionLevel): number | undefined;
  /** Error correction codewords of `version` at `level`; `undefined` for a level not of this copy of qrcode. */
  export function getTotalCodewordsCount(version: number, level: ErrorCorrectionLevel): number | undefined;
}

declare module 'qrcode/lib/core/mask-pattern.js' {
  /** What the masks read and write of a matrix: qrcode's BitMatrix has this shape. */
  export interface MaskableMatrix {
    /** Modules per side. */
    readonly size: number;
    /** Row-major modules, 1 dark; the N4 penalty counts them. */
    readonly data: Uint8Array;
    get(row: number, col: number): number;
    /** Flips the module when `bit` (the mask's condition there) holds. */
    xor(row: number, col: number, bit: boolean): void;
    /** Non-zero for a function module, which the masks leave alone. */
    isReserved(row: number, col: number): number;
  }
  /** XORs mask `pattern` (0–7) onto every non-reserved module, so a second call undoes it. */
  export function applyMask(pattern: number, matrix: MaskableMatrix): void;
  /**
   * The mask with the lowest penalty (rules N1–N4); `setupFormat(p)` writes the
   * format information of mask `p` before each trial.
   */
  export function getBestMask(matrix: MaskableMatrix, setupFormat: (pattern: number) => void): number;
}

declare module 'qrcode/lib/core/polynomial.js' {
  /** The generator polynomial of degree `degree`, (x − α⁰)…(x − α^(degree−1)) over GF(256), highest coefficient first. */
  export function generateECPolynomial(degree: number): Uint8Array;
  /** The remainder of `dividend` divided by `divisor` over GF(256), without its leading zero coefficients. */
  export function mod(dividend: Uint8Array, divisor: Uint8Array): Uint8Array;
}

// Used by the tests only, for the reference capacities.
declare module 'qrcode/lib/core/mode.js' {
  /** A data mode of qrcode's segments. */
  interface Mode {
    readonly bit: number;
  }
  export const BYTE: Mode;
}

declare module 'qrcode/lib/core/version.js' {
  import type { ErrorCorrectionLevel } from 'qrcode/lib/core/error-correction-level.js';
  import type { BYTE } from 'qrcode/lib/core/mode.js';
  /** Characters of `mode` that `version` holds at `level`. */
  export function getCapacity(version: number, level: ErrorCorrectionLevel, mode: typeof BYTE): number;
}
