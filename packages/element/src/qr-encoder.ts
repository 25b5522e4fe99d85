// The element's QR encoder: a payload as ONE byte-mode segment (its UTF-8 bytes),
// error correction level M, the smallest version that holds it, the mask with the
// lowest penalty. The heavy arithmetic (Reed-Solomon, error correction tables,
// masks and their penalties, BCH-coded format information, pattern positions) is
// qrcode's own, from its low-level modules; this file is the pipeline that
// `qrcode/lib/core/qrcode.js` keeps private, mirrored step by step. Importing
// qrcode.js itself would also bring its optimal segmentation (segments.js,
// dijkstrajs, the numeric/alphanumeric/kanji encoders), about 30 % of the
// encoder's bytes, for payloads (WhatsApp's base64 pairing data) that byte mode
// encodes just as well; a payload with long digit runs may take one version more.
// For the same reason the few byte-mode facts that qrcode keeps in its mode,
// version and byte-data modules (which carry every mode, its Kanji tables among
// them) are spelled out here: the mode indicator, the character count width, the
// capacity rule and the version information code, each from ISO/IEC 18004.
import * as AlignmentPattern from 'qrcode/lib/core/alignment-pattern.js';
import BitBuffer from 'qrcode/lib/core/bit-buffer.js';
import BitMatrix from 'qrcode/lib/core/bit-matrix.js';
import * as ECCode from 'qrcode/lib/core/error-correction-code.js';
import * as ECLevel from 'qrcode/lib/core/error-correction-level.js';
import type { ErrorCorrectionLevel } from 'qrcode/lib/core/error-correction-level.js';
import * as FinderPattern from 'qrcode/lib/core/finder-pattern.js';
import * as FormatInfo from 'qrcode/lib/core/format-info.js';
import * as MaskPattern from 'qrcode/lib/core/mask-pattern.js';
import ReedSolomonEncoder from 'qrcode/lib/core/reed-solomon-encoder.js';
import * as Utils from 'qrcode/lib/core/utils.js';

/** The byte mode's 4-bit indicator. */
const BYTE_MODE = 0b0100;
/** The version information's BCH(18,6) generator polynomial (ISO/IEC 18004, annex D). */
const G18 = 0b1_1111_0010_0101;
const G18_DIGITS = 13;

/** Bits of the byte mode's character count: 8 up to version 9, 16 from version 10. */
function countBits(version: number): number {
  return version < 10 ? 8 : 16;
}

/** Data bits of `version` at `level`: its codewords less the error correction ones. */
function dataBits(version: number, level: ErrorCorrectionLevel): number {
  return (Utils.getSymbolTotalCodewords(version) - ecCodewords(version, level).total) * 8;
}

/** The smallest version whose data bits hold the mode, the count and `length` bytes; `undefined` past 40. */
function bestVersion(length: number, level: ErrorCorrectionLevel): number | undefined {
  for (let version = 1; version <= 40; version++) {
    if (4 + countBits(version) + length * 8 <= dataBits(version, level)) return version;
  }
  return undefined;
}

/** The 18 version information bits: the version, then its BCH(18,6) remainder. */
function versionBits(version: number): number {
  let d = version << 12;
  while (Utils.getBCHDigit(d) >= G18_DIGITS) d ^= G18 << (Utils.getBCHDigit(d) - G18_DIGITS);
  return (version << 12) | d;
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
  const level = ECLevel.M;
  const bytes = new TextEncoder().encode(payload);
  const version = bestVersion(bytes.length, level);
  if (!version) throw new Error('The amount of data is too big to be stored in a QR Code');

  const codewords = createData(bytes, version, level);
  const modules = new BitMatrix(Utils.getSymbolSize(version));
  setupFinderPattern(modules, version);
  setupTimingPattern(modules);
  setupAlignmentPattern(modules, version);
  // Placeholder format bits, only to reserve their modules before the data goes in.
  setupFormatInfo(modules, level, 0);
  if (version >= 7) setupVersionInfo(modules, version);
  setupData(modules, codewords);
  const mask = MaskPattern.getBestMask(modules, (pattern) => setupFormatInfo(modules, level, pattern));
  MaskPattern.applyMask(mask, modules);
  setupFormatInfo(modules, level, mask);
  return { size: modules.size, data: modules.data };
}

/** The three finder patterns with their separators (clipped at the symbol's edge). */
function setupFinderPattern(matrix: BitMatrix, version: number): void {
  const size = matrix.size;
  for (const [row, col] of FinderPattern.getPositions(version)) {
    for (let r = -1; r <= 7; r++) {
      if (row + r <= -1 || size <= row + r) continue;
      for (let c = -1; c <= 7; c++) {
        if (col + c <= -1 || size <= col + c) continue;
        const dark =
          (r >= 0 && r <= 6 && (c === 0 || c === 6)) ||
          (c >= 0 && c <= 6 && (r === 0 || r === 6)) ||
          (r >= 2 && r <= 4 && c >= 2 && c <= 4);
        matrix.set(row + r, col + c, dark, true);
      }
    }
  }
}

/** Row and column 6 between the finders, alternating; before the alignment patterns, which overwrite it. */
function setupTimingPattern(matrix: BitMatrix): void {
  for (let r = 8; r < matrix.size - 8; r++) {
    const dark = r % 2 === 0;
    matrix.set(r, 6, dark, true);
    matrix.set(6, r, dark, true);
  }
}

function setupAlignmentPattern(matrix: BitMatrix, version: number): void {
  for (const [row, col] of AlignmentPattern.getPositions(version)) {
    for (let r = -2; r <= 2; r++) {
      for (let c = -2; c <= 2; c++) {
        const dark = r === -2 || r === 2 || c === -2 || c === 2 || (r === 0 && c === 0);
        matrix.set(row + r, col + c, dark, true);
      }
    }
  }
}

/** The two 6×3 version information blocks (versions 7 and up). */
function setupVersionInfo(matrix: BitMatrix, version: number): void {
  const size = matrix.size;
  const bits = versionBits(version);
  for (let i = 0; i < 18; i++) {
    const row = Math.floor(i / 3);
    const col = (i % 3) + size - 8 - 3;
    const dark = ((bits >> i) & 1) === 1;
    matrix.set(row, col, dark, true);
    matrix.set(col, row, dark, true);
  }
}

/** Both copies of the 15 format bits, and the dark module beside the bottom-left finder. */
function setupFormatInfo(matrix: BitMatrix, level: ErrorCorrectionLevel, mask: number): void {
  const size = matrix.size;
  const bits = FormatInfo.getEncodedBits(level, mask);
  for (let i = 0; i < 15; i++) {
    const dark = ((bits >> i) & 1) === 1;
    // Down column 8 (skipping the timing row), then up from the bottom.
    if (i < 6) matrix.set(i, 8, dark, true);
    else if (i < 8) matrix.set(i + 1, 8, dark, true);
    else matrix.set(size - 15 + i, 8, dark, true);
    // Along row 8 from the right, then left of the timing column.
    if (i < 8) matrix.set(8, size - i - 1, dark, true);
    else if (i < 9) matrix.set(8, 15 - i - 1 + 1, dark, true);
    else matrix.set(8, 15 - i - 1, dark, true);
  }
  matrix.set(size - 8, 8, 1, true);
}

/** The codewords' bits in the zigzag of two-module columns, from the bottom right, skipping function modules. */
function setupData(matrix: BitMatrix, data: Uint8Array): void {
  const size = matrix.size;
  let inc = -1;
  let row = size - 1;
  let bitIndex = 7;
  let byteIndex = 0;
  for (let col = size - 1; col > 0; col -= 2) {
    // The vertical timing pattern takes a whole column.
    if (col === 6) col--;
    for (;;) {
      for (let c = 0; c < 2; c++) {
        if (matrix.isReserved(row, col - c)) continue;
        const dark = byteIndex < data.length && ((data[byteIndex]! >>> bitIndex) & 1) === 1;
        matrix.set(row, col - c, dark);
        bitIndex--;
        if (bitIndex === -1) {
          byteIndex++;
          bitIndex = 7;
        }
      }
      row += inc;
      if (row < 0 || size <= row) {
        row -= inc;
        inc = -inc;
        break;
      }
    }
  }
}

/** Error correction codewords of `version` at `level`, read from qrcode's tables. */
function ecCodewords(version: number, level: ErrorCorrectionLevel): { total: number; blocks: number } {
  const total = ECCode.getTotalCodewordsCount(version, level);
  const blocks = ECCode.getBlocksCount(version, level);
  if (total === undefined || blocks === undefined) throw new Error('qrcode: unknown error correction level');
  return { total, blocks };
}

/**
 * The byte segment's data codewords (mode and count indicators, bytes,
 * terminator, padding) for `version`, with their error correction, interleaved.
 */
function createData(bytes: Uint8Array, version: number, level: ErrorCorrectionLevel): Uint8Array {
  const buffer = new BitBuffer();
  buffer.put(BYTE_MODE, 4);
  buffer.put(bytes.length, countBits(version));
  for (const byte of bytes) buffer.put(byte, 8);

  const capacity = dataBits(version, level);
  // A terminator of up to four zero bits, then zeros to a byte boundary, then the
  // alternating pad codewords up to the capacity.
  if (buffer.getLengthInBits() + 4 <= capacity) buffer.put(0, 4);
  while (buffer.getLengthInBits() % 8 !== 0) buffer.putBit(0);
  const padBytes = (capacity - buffer.getLengthInBits()) / 8;
  for (let i = 0; i < padBytes; i++) buffer.put(i % 2 ? 0x11 : 0xec, 8);

  return createCodewords(buffer, version, level);
}

/**
 * Splits the data codewords into the version's blocks (group 2 blocks hold one
 * more), appends each block's Reed-Solomon codewords, and interleaves: data
 * column by column across blocks, then error correction the same way.
 */
function createCodewords(bitBuffer: BitBuffer, version: number, level: ErrorCorrectionLevel): Uint8Array {
  const totalCodewords = Utils.getSymbolTotalCodewords(version);
  const { total: ecTotalCodewords, blocks: ecTotalBlocks } = ecCodewords(version, level);
  const dataTotalCodewords = totalCodewords - ecTotalCodewords;

  const blocksInGroup2 = totalCodewords % ecTotalBlocks;
  const blocksInGroup1 = ecTotalBlocks - blocksInGroup2;
  const totalCodewordsInGroup1 = Math.floor(totalCodewords / ecTotalBlocks);
  const dataCodewordsInGroup1 = Math.floor(dataTotalCodewords / ecTotalBlocks);
  const dataCodewordsInGroup2 = dataCodewordsInGroup1 + 1;
  // Every block has as many error correction codewords.
  const ecCount = totalCodewordsInGroup1 - dataCodewordsInGroup1;

  const rs = new ReedSolomonEncoder(ecCount);
  const buffer = new Uint8Array(bitBuffer.buffer);
  const dcData: Uint8Array[] = [];
  const ecData: Uint8Array[] = [];
  let offset = 0;
  let maxDataSize = 0;
  for (let b = 0; b < ecTotalBlocks; b++) {
    const dataSize = b < blocksInGroup1 ? dataCodewordsInGroup1 : dataCodewordsInGroup2;
    const block = buffer.slice(offset, offset + dataSize);
    dcData.push(block);
    ecData.push(rs.encode(block));
    offset += dataSize;
    maxDataSize = Math.max(maxDataSize, dataSize);
  }

  const data = new Uint8Array(totalCodewords);
  let index = 0;
  for (let i = 0; i < maxDataSize; i++) {
    for (const block of dcData) if (i < block.length) data[index++] = block[i]!;
  }
  for (let i = 0; i < ecCount; i++) {
    for (const block of ecData) data[index++] = block[i]!;
  }
  return data;
}
