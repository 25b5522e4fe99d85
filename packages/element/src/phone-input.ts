// Apart from phone.ts (what a connected page shows): only the linking view's
// phone form needs this, and it arrives with that view's chunk.

/**
 * Normalizes what a person typed as a phone number for `request_code`:
 * spaces, dashes, dots, parentheses and a leading `+` or `00` are dropped.
 * Answers the digits, or `null` when the result is not 8–15 digits starting
 * with a country code (not `0`).
 *
 * @example
 * ```ts
 * normalizePhoneInput('+52 1 55 1234-5678'); // '5215512345678'
 * normalizePhoneInput('055 1234');           // null
 * ```
 */
export function normalizePhoneInput(input: string): string | null {
  let text = input.trim().replace(/[\s().-]/g, '');
  if (text.startsWith('+')) text = text.slice(1);
  else if (text.startsWith('00')) text = text.slice(2);
  if (!/^[1-9]\d{7,14}$/.test(text)) return null;
  return text;
}
