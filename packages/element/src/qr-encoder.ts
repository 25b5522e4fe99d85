// The element's QR encoder: a payload as ONE byte-mode segment (its UTF-8 bytes),
// error correction level M, the smallest version that holds it, the mask with the
// lowest penalty. The heavy arithmetic (Reed-Solomon's generator polynomials and
// GF(256) division, the error correction tables, the masks and their penalties)
// is qrcode's own, from its low-level modules;
// this file is the pipeline that `qrcode/lib/core/qrcode.js` keeps private,
// written for the one case it serves.
// Importing qrcode.js itself would also bring its optimal segmentation (segments.js,
// dijkstrajs, the numeric/alphanumeric/kanji encoders), about 30 % of the
// encoder's bytes, for payloads (WhatsApp's base64 pairing data) that byte mode
// encodes just as well; a payload with long digit runs may take one version more.
// For the same reason the few facts that take a line of ISO/IEC 18004 are spelled
// out here rather than imported with modules that carry much more (every mode, the
// Kanji tables, bit buffers): the mode indicator, the character count width, the
// capacity rule, the symbol's codeword count and its alignment pattern positions
// (both follow from the symbol's layout), the finder positions, and the BCH codes
// of the format and version information. The code is written for size (it is a lazily loaded chunk): one
// function, the patterns drawn by rule rather than module by module.
import * as ECCode from 'qrcode/lib/core/error-correction-code.js';
import { M } from 'qrcode/lib/core/error-correction-level.js';
import * as MaskPattern from 'qrcode/lib/core/mask-pattern.js';
import * as Polynomial from 'qrcode/lib/core/polynomial.js';
import type { MaskableMatrix } from 'qrcode/lib/core/mask-pattern.js';

/**
 * `data` (shifted left by the generator's degree) with its BCH remainder in the
 * low bits: the polynomial division of ISO/IEC 18004 annexes C and D, XORing the
 * generator under the leading bit until the remainder is shorter than it.
 */
function bch(data: number, generator: number): number {
  let rem = data;
  for (let shift; (shift = Math.clz32(generator) - Math.clz32(rem)) >= 0; ) rem ^= generator << shift;
  return data | rem;
}

/** The module matrix of {@link encodeQrMatrix} (a `QrMatrix` of qr.ts). */
export interface EncodedQrMatrix {
  /** Modules per side: 21 (version 1) to 177 (version 40). */
  readonly size: number;
  /** Row-major modules; 1 is dark, 0 light. */
  readonly data: Uint8Array;
}

/**
 * Encodes `payload` as a QR code: one byte-mode segment of its UTF-8 bytes, error
 * correction level M, the smallest version (1–40) that holds it, the best mask by
 * the specification's penalty rules. The matrix is exactly qrcode's
 * `create([{ data: payload, mode: 'byte' }], { errorCorrectionLevel: 'M' }).modules`.
 *
 * @throws Error when `payload` is empty (like qrcode's `create('')`) or longer
 *   than version 40 holds (2,331 UTF-8 bytes).
 * @example
 * const { size, data } = encodeQrMatrix('2@abc,def,ghi,jkl');
 * const darkAt = (row: number, col: number) => data[row * size + col] === 1;
 */
export function encodeQrMatrix(payload: string): EncodedQrMatrix {
  if (payload === '') throw new Error('No input text');
  const bytes = new TextEncoder().encode(payload);

  // The smallest version whose data codewords hold the 4-bit mode indicator, the
  // character count (8 bits up to version 9, 16 from version 10: ISO/IEC 18004
  // table 3) and the bytes. Data codewords are the version's codewords less its
  // error correction codewords at level M (table 9).
  let version = 0;
  let countBits: number;
  let total: number;
  let dataCount: number;
  // Alignment pattern centres on each axis (§6.3.6, annex E): from 6 to size − 7,
  // floor(version / 7) + 2 of them from version 2, spaced by an even step, the
  // remainder left in the first gap; version 32 takes 26 where the rule gives 28.
  let axis: number[];
  do {
    if (++version > 40) throw new Error('Payload too big for a QR code');
    countBits = version < 10 ? 8 : 16;
    const count = version < 2 ? 0 : Math.floor(version / 7) + 2;
    const step = version === 32 ? 26 : 2 * Math.ceil((4 * version + 4) / (2 * count - 2));
    axis = count ? [6, ...Array.from({ length: count - 1 }, (_, i) => 4 * version + 10 - (count - 2 - i) * step)] : [];
    // Every codeword is 8 of the modules that the function patterns leave (§6.4.10):
    // the square, less the finders with their separators (3 × 64), the format
    // information and the dark module (31), the timing patterns between the
    // separators, the alignment patterns (25 modules each, 5 of them on a timing
    // pattern for those in row or column 6), and from version 7 the version
    // information (2 × 18). A remainder of 0 to 7 modules carries no codeword.
    const alignments = count && count * count - 3;
    total =
      ((4 * version + 17) ** 2 - 192 - 31 - 2 * (4 * version + 1) - 25 * alignments + 10 * Math.max(0, count - 2) - (version < 7 ? 0 : 36)) >> 3;
    dataCount = total - ECCode.getTotalCodewordsCount(version, M)!;
  } while (4 + countBits + bytes.length * 8 > dataCount * 8);

  // The data codewords: the segment (byte mode indicator 0100, the count, the
  // bytes), a 4-bit zero terminator, then the pad codewords 0xEC and 0x11
  // alternately up to the capacity (§7.4.10). After the indicator everything sits
  // four bits off the byte grid, so codeword i is the low nibble of `stream[i]`
  // and the high nibble of `stream[i + 1]`. Indicator and count take 12 or 20
  // bits, so the terminator ends on a byte boundary, and it always fits: the
  // segment is 4 bits short of a whole number of codewords.
  const stream = [0b0100, ...(countBits > 8 ? [bytes.length >> 8] : []), bytes.length & 0xff, ...bytes, 0];
  const dataCodeword = (i: number) =>
    i < stream.length - 1 ? (stream[i]! << 4) | (stream[i + 1]! >> 4) : (i - stream.length) & 1 ? 0xec : 0x11;

  // The data codewords split into the version's blocks, the last `dataCount %
  // blocks` of them one codeword longer; each block gets the same number of
  // Reed-Solomon codewords. Interleaved (§7.6): the data codewords column by
  // column across the blocks, then the error correction codewords likewise.
  const blocks = ECCode.getBlocksCount(version, M)!;
  const shortSize = Math.floor(dataCount / blocks);
  const firstLong = blocks - (dataCount % blocks);
  const ecCount = (total - dataCount) / blocks;
  const generator = Polynomial.generateECPolynomial(ecCount);
  const codewords = new Uint8Array(total);
  for (let b = 0, next = 0; b < blocks; b++) {
    const size = shortSize + (b < firstLong ? 0 : 1);
    // The block followed by `ecCount` zeros: its polynomial times x^ecCount.
    const block = new Uint8Array(size + ecCount);
    // A long block's extra codeword comes after every block's others, in the order of the long blocks.
    for (let i = 0; i < size; i++) codewords[i * blocks + b - (i < shortSize ? 0 : firstLong)] = block[i] = dataCodeword(next++);
    // The error correction codewords (§7.5.2): the remainder of that division by
    // the generator polynomial, in GF(256) by qrcode's polynomial.js. The
    // remainder comes without its leading zero coefficients: it is right-aligned.
    const rem = Polynomial.mod(block, generator);
    rem.forEach((codeword, i) => (codewords[dataCount + (ecCount - rem.length + i) * blocks + b] = codeword));
  }

  // 21 modules per side at version 1, four more at each version (§6.3.1).
  const size = 4 * version + 17;
  // Row-major modules (1 dark) and, beside them, which are function modules: the
  // ones that the data and the masks leave alone.
  const modules = new Uint8Array(size * size);
  const reserved = new Uint8Array(size * size);
  /** Sets a function module. */
  const fn = (row: number, col: number, dark: number) => {
    modules[row * size + col] = dark;
    reserved[row * size + col] = 1;
  };
  // The matrix as qrcode's masks read and write it (the interface of its bit-matrix.js,
  // which brings a constructor and setters this file does not need). Parenthesised
  // because the custom-elements-manifest analyzer lists the members of a bare object
  // literal here as module variables (custom-elements.json would show `size`, `col`).
  const matrix: MaskableMatrix = ({
    size,
    data: modules,
    get: (row, col) => modules[row * size + col]!,
    xor: (row, col, bit) => (modules[row * size + col]! ^= +bit),
    isReserved: (row, col) => reserved[row * size + col]!,
  });
  /**
   * The square of modules up to `radius` around (`row`, `col`), clipped at the
   * symbol's edge; bit `d` of `rings` says whether the ring `d` modules out is dark.
   */
  const square = (row: number, col: number, radius: number, rings: number) => {
    for (let r = -radius; r <= radius; r++) {
      for (let c = -radius; c <= radius; c++) {
        if (row + r >= 0 && row + r < size && col + c >= 0 && col + c < size) {
          fn(row + r, col + c, (rings >> Math.max(Math.abs(r), Math.abs(c))) & 1);
        }
      }
    }
  };
  // Finder patterns in three corners (§6.3.3) with their light separators: dark
  // centre 3×3, light, dark, light.
  square(3, 3, 4, 0b01011);
  square(size - 4, 3, 4, 0b01011);
  square(3, size - 4, 4, 0b01011);
  // Timing patterns, row and column 6 between the finders, dark on even positions.
  for (let i = 8; i < size - 8; i++) fn(i, 6, ~i & 1), fn(6, i, ~i & 1);
  // Alignment patterns: dark centre, light ring, dark ring.
  // Every pair of axis positions but the three the finders take.
  for (const row of axis) {
    for (const col of axis) if (!((row === 6 || row === size - 7) && col === 6) && !(row === 6 && col === size - 7)) square(row, col, 2, 0b101);
  }

  /**
   * Both copies of the 15 format bits of `mask`, and the dark module beside the
   * bottom-left finder. The format information (§7.9.1) is the level's 2-bit
   * indicator (M is 00) and the 3-bit mask, their BCH(15,5) remainder by the
   * generator 101 0011 0111 (annex C), XORed with 101 0100 0001 0010.
   */
  const format = (mask: number) => {
    const bits = bch(mask << 10, 0b101_0011_0111) ^ 0b101_0100_0001_0010;
    for (let i = 0; i < 15; i++) {
      const dark = (bits >> i) & 1;
      // Down column 8 (skipping the timing row), then on from the bottom.
      fn(i < 6 ? i : i < 8 ? i + 1 : size - 15 + i, 8, dark);
      // Along row 8 from the right, then left of the timing column.
      fn(8, i < 8 ? size - 1 - i : i < 9 ? 7 : 14 - i, dark);
    }
    fn(size - 8, 8, 1);
  };
  // Reserves the format modules before the data goes in; the masks rewrite them.
  format(0);

  // Version information from version 7 (§7.10): the 6-bit version and its
  // BCH(18,6) remainder by the generator 1 1111 0010 0101 (annex D), in two 6×3 blocks.
  if (version >= 7) {
    const bits = bch(version << 12, 0b1_1111_0010_0101);
    for (let i = 0; i < 18; i++) {
      const dark = (bits >> i) & 1;
      fn((i / 3) | 0, size - 11 + (i % 3), dark);
      fn(size - 11 + (i % 3), (i / 3) | 0, dark);
    }
  }

  // The codewords' bits, most significant first, in two-module columns from the
  // right edge, up and down alternately, skipping function modules and the
  // vertical timing column (§7.7.3); the remainder bits past the last codeword
  // are zero (reading past the array gives `undefined`, which shifts to 0).
  let bit = 0;
  for (let right = size - 1, up = true; right > 0; right -= 2, up = !up) {
    if (right === 6) right--;
    for (let i = 0; i < 2 * size; i++) {
      const row = up ? size - 1 - (i >> 1) : i >> 1;
      const col = right - (i & 1);
      if (!reserved[row * size + col]) modules[row * size + col] = (codewords[bit >> 3]! >> (7 - (bit++ & 7))) & 1;
    }
  }

  const mask = MaskPattern.getBestMask(matrix, format);
  MaskPattern.applyMask(mask, matrix);
  format(mask);
  return { size, data: modules };
}
