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

// Mexico's two-digit area codes (Mexico City, Guadalajara, Monterrey).
const MX_SHORT_AREAS = new Set(['55', '56', '33', '81']);

function groups(digits: string, sizes: readonly number[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const size of sizes) {
    parts.push(digits.slice(at, at + size));
    at += size;
  }
  return parts.join(' ');
}

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
  const mx = /^52(1?)(\d{10})$/.exec(d);
  if (mx) {
    const [, mobile = '', national = ''] = mx;
    const area = MX_SHORT_AREAS.has(national.slice(0, 2)) ? 2 : 3;
    const rest = area === 2 ? [2, 4, 4] : [3, 3, 4];
    return `+52 ${mobile ? '1 ' : ''}${groups(national, rest)}`;
  }
  if (/^55\d{10,11}$/.test(d)) return `+55 ${groups(d.slice(2), [2, d.length - 8, 4])}`;
  if (/^1\d{10}$/.test(d)) return `+1 ${groups(d.slice(1), [3, 3, 4])}`;
  if (/^34\d{9}$/.test(d)) return `+34 ${groups(d.slice(2), [3, 2, 2, 2])}`;
  return `+${d}`;
}

/** The linked account's number ready to show, or `null`. */
export function displayPhone(me: SessionMe | null | undefined): string | null {
  const digits = phoneDigits(me);
  return digits ? formatPhone(digits) : null;
}
