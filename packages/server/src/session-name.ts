import { sha256 } from './sha256.js';

/** WAHA's limit on session names. */
export const MAX_SESSION_NAME_LENGTH = 54;

/** The default prefix of session names (`wac_<orgId>`). The original system used `eagles`. */
export const DEFAULT_SESSION_PREFIX = 'wac';

/**
 * The longest organization id the server accepts, in characters. Longer ids are
 * refused before they reach a log, the store or WAHA. Session names never carry an
 * id whole beyond {@link MAX_SESSION_NAME_LENGTH} anyway: a long id is hashed.
 */
export const MAX_ORGANIZATION_ID_LENGTH = 256;

/** The longest prefix kept in names; a longer one is cut (and the names hashed). */
const MAX_PREFIX_LENGTH = 16;

/** Characters of the hash in a hashed name: 16 base32 characters = 80 bits of SHA-256. */
const HASH_LENGTH = 16;

const ALLOWED = /^[A-Za-z0-9_-]+$/;

/** `true` when WAHA accepts `name` as a session name: `[A-Za-z0-9_-]`, 1 to 54 characters. */
export function isValidSessionName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_SESSION_NAME_LENGTH && ALLOWED.test(name);
}

function sanitize(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_');
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** The first 80 bits of SHA-256(`text`), as 16 lowercase base32 characters (all allowed in names). */
function hash80(text: string): string {
  const digest = sha256(new TextEncoder().encode(text));
  let out = '';
  let bits = 0;
  let value = 0;
  for (let i = 0; out.length < HASH_LENGTH; i++) {
    value = (value << 8) | digest[i]!;
    bits += 8;
    while (bits >= 5 && out.length < HASH_LENGTH) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/**
 * The canonical WAHA session name of an organization. Injective: two organizations
 * never get the same name (for one prefix).
 *
 * - **Plain** — `<prefix>_<orgId>` — when that is a valid WAHA name as it stands
 *   (`[A-Za-z0-9_-]`, at most 54 characters), the prefix is clean (at most 16 such
 *   characters) and the id does not start with `_`. Distinct ids give distinct names.
 * - **Hashed** — `<prefix>__<cleaned-id>-<hash>` — for every other id: characters
 *   outside `[A-Za-z0-9_-]` become `_`, the id is cut to fit, and 16 base32 characters
 *   of SHA-256(prefix, id) end the name. The double `_` after the prefix is the marker
 *   no plain name has (a plain id never starts with `_`), so a plain id can never
 *   equal another organization's hashed name; hashed names differ by their hash.
 *
 * Ids that were plain before the marker existed keep their plain names, except ids
 * starting with `_`. Names always stay within 54 characters of `[A-Za-z0-9_-]`.
 *
 * @example
 * ```ts
 * canonicalSessionName('eagles', '42');        // 'eagles_42'
 * canonicalSessionName('eagles', 'acme corp'); // 'eagles__acme_corp-<16 base32 chars>'
 * ```
 */
export function canonicalSessionName(prefix: string, orgId: string): string {
  const cleanPrefix = sanitize(prefix).slice(0, MAX_PREFIX_LENGTH) || DEFAULT_SESSION_PREFIX;
  const plain = `${cleanPrefix}_${orgId}`;
  if (cleanPrefix === prefix && !orgId.startsWith('_') && isValidSessionName(plain)) return plain;
  const suffix = `-${hash80(`${prefix}\u0000${orgId}`)}`;
  const head = `${cleanPrefix}__`;
  const room = MAX_SESSION_NAME_LENGTH - head.length - suffix.length;
  return head + sanitize(orgId.slice(0, room)) + suffix;
}

/** Options of {@link needsHealing}. */
export interface HealingOptions {
  /**
   * The organization's WAHA allows only the session `default` (WAHA Core before
   * 2026.6.1): there a stored `default` is the right name, not a fault.
   */
  singleSession?: boolean;
}

/**
 * `true` when a stored session name is a known data fault that must be healed:
 * missing, empty, not a valid WAHA name, or `default` (the WAHA Core single-session
 * name) — unless the organization's WAHA accepts only `default`.
 */
export function needsHealing(stored: string | null | undefined, options: HealingOptions = {}): boolean {
  if (stored === null || stored === undefined) return true;
  const trimmed = stored.trim();
  if (trimmed === '' || !isValidSessionName(trimmed)) return true;
  // On a single-session WAHA exactly `default` is right; `Default` is still a fault.
  return trimmed.toLowerCase() === 'default' && !(options.singleSession === true && trimmed === 'default');
}

/** The organization id of a plain canonical name `<prefix>_<orgId>`, else `undefined` (hashed names cannot be reversed). */
export function orgFromCanonicalName(prefix: string, name: string): string | undefined {
  if (!name.startsWith(`${prefix}_`)) return undefined;
  const orgId = name.slice(prefix.length + 1);
  return orgId !== '' && canonicalSessionName(prefix, orgId) === name ? orgId : undefined;
}
