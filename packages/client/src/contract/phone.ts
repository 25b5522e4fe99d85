/**
 * A phone number in international digits (E.164 without the `+`). E.164 allows at
 * most 15 digits. The shortest numbers in service have 7 with their country code:
 * Niue (`+683`) and Tokelau (`+690`) use 4-digit national numbers (libphonenumber's
 * metadata), so 7 is the minimum that refuses no real number. No country code
 * starts with `0`, which catches a national number typed with its trunk prefix.
 */
const PHONE_DIGITS = /^[1-9]\d{6,14}$/;

/** WhatsApp ids that carry a phone number (`@lid` ids are opaque and do not). */
const PHONE_ID = /^(\d+)(?::\d+)?@(?:c\.us|s\.whatsapp\.net)$/;

/**
 * Reads a phone number as people type it: spaces, dashes, dots, parentheses and a
 * leading `+` or `00` are dropped. Answers the international digits, or `null` when
 * they are not 7 to 15 digits starting with a country code. The one rule used by
 * the widget's form, the server's `request_code` validation and {@link phoneFromWhatsAppId}.
 *
 * @example
 * ```ts
 * parsePhoneNumber('+52 1 (55) 1234-5678'); // '5215512345678'
 * parsePhoneNumber('0052 1 55 1234 5678');  // '5215512345678'
 * parsePhoneNumber('055 1234');             // null
 * ```
 */
export function parsePhoneNumber(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const text = input.trim().replace(/[\s().-]/g, '').replace(/^(?:\+|00)/, '');
  return PHONE_DIGITS.test(text) ? text : null;
}

/**
 * The phone number in a WhatsApp id such as `5215512345678@c.us` or
 * `5215512345678:12@s.whatsapp.net` (a linked device), or `null` for `@lid` ids,
 * groups and anything else.
 *
 * @example
 * ```ts
 * phoneFromWhatsAppId('5215512345678:12@s.whatsapp.net'); // '5215512345678'
 * phoneFromWhatsAppId('123456789012@lid');                // null
 * ```
 */
export function phoneFromWhatsAppId(id: unknown): string | null {
  const match = typeof id === 'string' ? PHONE_ID.exec(id.trim()) : null;
  return match ? parsePhoneNumber(match[1]) : null;
}
