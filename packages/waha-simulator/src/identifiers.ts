import { randomBytes } from 'node:crypto';

// Unique, realistic-looking strings. Crypto randomness keeps them unique across many
// sessions without a shared counter; tests never depend on their exact value.

/** A WhatsApp-Web-style QR payload: `2@<ref>,<noise key>,<identity key>,<adv secret>`. */
export function newQrValue(): string {
  const part = (bytes: number) => randomBytes(bytes).toString('base64');
  return `2@${part(48)},${part(32)},${part(32)},${part(32)}`;
}

const PAIRING_ALPHABET = 'ABCDEFGHJKLMNPQRSTVWXYZ123456789';

/** An 8-character pairing code formatted like WAHA's answer, `ABCD-EFGH`. */
export function newPairingCode(): string {
  const bytes = randomBytes(8);
  let code = '';
  for (const byte of bytes) code += PAIRING_ALPHABET[byte % PAIRING_ALPHABET.length];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** The 4-digit code a GOWS passkey confirmation asks the user to compare. */
export function newPasskeyCode(): string {
  return String(randomBytes(2).readUInt16BE(0) % 10_000).padStart(4, '0');
}

/** A WebAuthn-style challenge: 32 random bytes, base64url. */
export function newPasskeyChallenge(): string {
  return randomBytes(32).toString('base64url');
}

/** A request id like WAHA's `X-Webhook-Request-Id`: an upper-case ULID (time part from `now`). */
export function newRequestId(now: number): string {
  return ulid(now).toUpperCase();
}

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** A lower-case ULID with WAHA's event prefix, `evt_01…` (time part from `now`). */
export function newEventId(now: number): string {
  return `evt_${ulid(now)}`;
}

/** A lower-case ULID: 10 time characters from `now`, 16 random ones. */
function ulid(now: number): string {
  let time = '';
  let rest = Math.max(0, Math.floor(now));
  for (let i = 0; i < 10; i += 1) {
    time = CROCKFORD[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }
  let random = '';
  for (const byte of randomBytes(16)) random += CROCKFORD[byte % 32];
  return `${time}${random}`;
}

/** A generated session name for a create request without one (WAHA does the same). */
export function newSessionName(): string {
  return `session_${randomBytes(6).toString('hex')}`;
}
