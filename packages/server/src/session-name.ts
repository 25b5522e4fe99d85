/** WAHA's limit on session names. */
export const MAX_SESSION_NAME_LENGTH = 54;

/** The default prefix of session names (`wac_<orgId>`). The original system used `eagles`. */
export const DEFAULT_SESSION_PREFIX = 'wac';

const ALLOWED = /^[A-Za-z0-9_-]+$/;

/** `true` when WAHA accepts `name` as a session name: `[A-Za-z0-9_-]`, 1 to 54 characters. */
export function isValidSessionName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_SESSION_NAME_LENGTH && ALLOWED.test(name);
}

/** cyrb53: a small, fast 53-bit string hash (not cryptographic); enough to keep distinct ids apart. */
function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

function sanitize(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * The canonical WAHA session name of an organization: `<prefix>_<orgId>`.
 *
 * Characters outside `[A-Za-z0-9_-]` become `_` and the result is cut to 54
 * characters. Because both steps could make two organizations share a name,
 * whenever the id had to be changed a short hash of the original id is
 * appended (`<prefix>_<cleaned-id>-<hash>`), so distinct ids always get
 * distinct names while plain ids stay readable.
 *
 * @example
 * ```ts
 * canonicalSessionName('eagles', '42');        // 'eagles_42'
 * canonicalSessionName('eagles', 'acme corp'); // 'eagles_acme_corp-<hash>'
 * ```
 */
export function canonicalSessionName(prefix: string, orgId: string): string {
  const cleanPrefix = sanitize(prefix).slice(0, 16) || DEFAULT_SESSION_PREFIX;
  const plain = `${cleanPrefix}_${orgId}`;
  if (isValidSessionName(plain) && cleanPrefix === prefix) return plain;
  const suffix = `-${hash53(`${prefix}\u0000${orgId}`)}`;
  const head = `${cleanPrefix}_${sanitize(orgId)}`.slice(0, MAX_SESSION_NAME_LENGTH - suffix.length);
  return head + suffix;
}

/**
 * `true` when a stored session name is a known data fault that must be healed:
 * empty, `default` (the WAHA Core single-session name) or not a valid name.
 */
export function needsHealing(stored: string | null | undefined): boolean {
  if (stored === null || stored === undefined) return true;
  const trimmed = stored.trim();
  return trimmed === '' || trimmed.toLowerCase() === 'default' || !isValidSessionName(trimmed);
}

/** The organization id of a canonical name `<prefix>_<orgId>` (plain ids only, not hashed ones), else `undefined`. */
export function orgFromCanonicalName(prefix: string, name: string): string | undefined {
  if (!name.startsWith(`${prefix}_`)) return undefined;
  const orgId = name.slice(prefix.length + 1);
  return orgId !== '' && canonicalSessionName(prefix, orgId) === name ? orgId : undefined;
}
