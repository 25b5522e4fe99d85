import { parsePhoneNumber, phoneFromWhatsAppId, type SessionMe } from '@whatsapp-connector/client';

/**
 * The phone number of a linked account in international digits, or `null`
 * when neither `me.phone` nor `me.id` carries one (by the contract's one rule:
 * `parsePhoneNumber`, `phoneFromWhatsAppId`).
 *
 * @example
 * ```ts
 * phoneDigits({ id: '5215512345678@c.us' }); // '5215512345678'
 * phoneDigits({ id: '12345@lid' });          // null
 * ```
 */
export function phoneDigits(me: SessionMe | null | undefined): string | null {
  return me ? (parsePhoneNumber(me.phone) ?? phoneFromWhatsAppId(me.id)) : null;
}

/**
 * How the countries the product serves first write their numbers: each pattern
 * cuts the international digits into the groups a reader expects (an empty
 * group, Mexico's mobile `1` when absent, drops out).
 */
const LAYOUTS: readonly RegExp[] = [
  // Mexico City, Guadalajara and Monterrey have two-digit area codes; the rest of Mexico three.
  /^(52)(1?)(55|56|33|81)(\d{4})(\d{4})$/,
  /^(52)(1?)(\d{3})(\d{3})(\d{4})$/,
  // Brazil: a two-digit area, then eight digits (landlines) or nine (mobiles).
  /^(55)(\d\d)(\d{4,5})(\d{4})$/,
  // North America.
  /^(1)(\d{3})(\d{3})(\d{4})$/,
  // Spain.
  /^(34)(\d{3})(\d\d)(\d\d)(\d\d)$/,
];

/**
 * Formats international digits for reading: grouped for the countries the
 * product serves first (Mexico, Brazil, North America, Spain), a plain
 * `+digits` otherwise.
 *
 * @example
 * ```ts
 * formatPhone('5215512345678'); // '+52 1 55 1234 5678'
 * formatPhone('5511912345678'); // '+55 11 91234 5678'
 * formatPhone('4915112345678'); // '+4915112345678'
 * ```
 */
export function formatPhone(digits: string): string {
  const d = digits.replace(/\D/g, '');
  for (const layout of LAYOUTS) {
    const groups = layout.exec(d);
    if (groups) return `+${groups.slice(1).filter(Boolean).join(' ')}`;
  }
  return `+${d}`;
}

/** The linked account's number ready to show, or `null`. */
export function displayPhone(me: SessionMe | null | undefined): string | null {
  const digits = phoneDigits(me);
  return digits ? formatPhone(digits) : null;
}
