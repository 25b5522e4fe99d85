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

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** A lower-case ULID with WAHA's event prefix, `evt_01…` (time part from `now`). */
export function newEventId(now: number): string {
  let time = '';
  let rest = Math.max(0, Math.floor(now));
  for (let i = 0; i < 10; i += 1) {
    time = CROCKFORD[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }
  let random = '';
  for (const byte of randomBytes(16)) random += CROCKFORD[byte % 32];
  return `evt_${time}${random}`;
}

/** A generated session name for a create request without one (WAHA does the same). */
export function newSessionName(): string {
  return `session_${randomBytes(6).toString('hex')}`;
}
