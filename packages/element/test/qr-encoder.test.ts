import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import QRCode from 'qrcode';
import * as ECLevel from 'qrcode/lib/core/error-correction-level.js';
import * as Mode from 'qrcode/lib/core/mode.js';
import * as Version from 'qrcode/lib/core/version.js';
import { encodeQrMatrix } from '../src/qr-encoder.js';

/**
 * What the full qrcode package makes of `payload` as one byte-mode segment at level M,
 * or `null` when it throws. The segment is given as the UTF-8 bytes, which is what
 * qrcode's byte mode makes of a string (and what @types/qrcode accepts).
 */
function reference(payload: string): { size: number; data: Uint8Array } | null {
  try {
    const bytes = new TextEncoder().encode(payload);
    const { modules } = QRCode.create([{ data: bytes, mode: 'byte' }], { errorCorrectionLevel: 'M' });
    return { size: modules.size, data: modules.data };
  } catch {
    return null;
  }
}

function ours(payload: string): { size: number; data: Uint8Array } | null {
  try {
    return encodeQrMatrix(payload);
  } catch {
    return null;
  }
}

/** Same answer as qrcode's byte mode: both throw, or the same size and every module the same. */
function assertSameAsQrcode(payload: string): void {
  const expected = reference(payload);
  const actual = ours(payload);
  if (expected === null) {
    assert.equal(actual, null, `qrcode cannot encode ${payload.length} characters, the encoder did`);
    return;
  }
  assert.ok(actual, `the encoder threw on ${payload.length} characters that qrcode encodes`);
  assert.equal(actual.size, expected.size, 'size');
  // Compared as bytes: 0/1 per module, row-major.
  assert.deepEqual(Buffer.from(actual.data), Buffer.from(expected.data), 'modules');
}

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

// The byte-mode capacities at level M of ISO/IEC 18004 table 7: where the version changes.
// 9 → 10 is where the character count indicator grows from 8 to 16 bits, 6 → 7 where
// version information appears; blocks of two sizes (from version 8 at level M) are
// reached by the random payloads below.
const CAPACITY_M_BYTES: ReadonlyArray<readonly [version: number, bytes: number]> = [
  [1, 14],
  [2, 26],
  [6, 106],
  [7, 122],
  [9, 180],
  [10, 213],
  [26, 1059],
  [27, 1125],
  [39, 2213],
  [40, 2331],
];
const MAX_BYTES = 2331;

const base64Part = fc.base64String({ minLength: 4, maxLength: 120 });
/** WhatsApp's pairing data as WAHA hands it over: `2@<ref>,<noise key>,<identity key>,<adv secret>`. */
const wahaPayload = fc
  .tuple(base64Part, base64Part, base64Part, base64Part)
  .map((parts) => `2@${parts.join(',')}`);

describe('encodeQrMatrix', () => {
  it('makes the matrix of qrcode byte mode, level M, for ASCII strings', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 300 }), assertSameAsQrcode), { numRuns: 200 });
  });

  it('makes the matrix of qrcode byte mode for any unicode (UTF-8 bytes, up to 4 per character)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }), assertSameAsQrcode), { numRuns: 150 });
  });

  it('makes the matrix of qrcode byte mode for WAHA-shaped pairing payloads', () => {
    fc.assert(fc.property(wahaPayload, assertSameAsQrcode), { numRuns: 150 });
  });

  it('makes the matrix of qrcode byte mode near and past the capacity of version 40', () => {
    const long = fc.string({ minLength: MAX_BYTES - 200, maxLength: MAX_BYTES + 20 });
    fc.assert(fc.property(long, assertSameAsQrcode), { numRuns: 20 });
    const longUnicode = fc.string({ unit: 'binary', minLength: 500, maxLength: 700 });
    fc.assert(fc.property(longUnicode, assertSameAsQrcode), { numRuns: 10 });
  });

  for (const [version, bytes] of CAPACITY_M_BYTES) {
    it(`uses version ${version} for ${bytes} bytes${version < 40 ? `, version ${version + 1} for ${bytes + 1}` : ''}`, () => {
      const full = 'a'.repeat(bytes);
      assert.equal(encodeQrMatrix(full).size, 4 * version + 17);
      assertSameAsQrcode(full);
      if (version === 40) return;
      const over = 'a'.repeat(bytes + 1);
      assert.equal(encodeQrMatrix(over).size, 4 * (version + 1) + 17);
      assertSameAsQrcode(over);
    });
  }

  // Every version's own figures (total codewords, error correction blocks, alignment
  // patterns, version information) meet at its capacity: each version, full and one
  // byte over, against qrcode, with the capacity qrcode itself computes.
  it('matches qrcode at the byte capacity of every version, 1 to 40, and one byte over', () => {
    for (let version = 1; version <= 40; version++) {
      const bytes = Version.getCapacity(version, ECLevel.M, Mode.BYTE);
      // Multi-byte characters too: two-byte 'é' as far as they fit, then ASCII.
      const full = 'é'.repeat(bytes >> 2) + 'a'.repeat(bytes - 2 * (bytes >> 2));
      assert.equal(utf8Length(full), bytes);
      assert.equal(encodeQrMatrix(full).size, 4 * version + 17, `version ${version} full`);
      assertSameAsQrcode(full);
      assertSameAsQrcode(`${full}a`);
    }
  });

  it('counts UTF-8 bytes, not characters, against the capacity', () => {
    // 14 bytes fit version 1: seven two-byte characters do, eight do not.
    assert.equal(utf8Length('é'.repeat(7)), 14);
    assert.equal(encodeQrMatrix('é'.repeat(7)).size, 21);
    assert.equal(encodeQrMatrix('é'.repeat(8)).size, 25);
    assertSameAsQrcode('é'.repeat(8));
  });

  it('throws for a payload longer than version 40 holds', () => {
    assert.throws(() => encodeQrMatrix('a'.repeat(MAX_BYTES + 1)), /too big/);
    // 583 four-byte characters are 2,332 bytes.
    assert.throws(() => encodeQrMatrix('😀'.repeat(583)), /too big/);
    assert.equal(encodeQrMatrix('😀'.repeat(582)).size, 177);
  });

  it('throws for an empty payload, like qrcode.create("")', () => {
    assert.throws(() => encodeQrMatrix(''), /No input text/);
  });
});
