import { sha256 } from './sha256.js';

const BLOCK = 64;
const encoder = new TextEncoder();

/**
 * HMAC-SHA256 (RFC 2104), synchronous: stream tickets are issued inside a session
 * answer and webhook secrets are derived while a session's config is built, both on
 * runtimes where `node:crypto` may be missing and Web Crypto is async.
 */
export function hmacSha256(key: string | Uint8Array, message: string): Uint8Array {
  let keyBytes = typeof key === 'string' ? encoder.encode(key) : key;
  if (keyBytes.length > BLOCK) keyBytes = sha256(keyBytes);
  const inner = new Uint8Array(BLOCK);
  const outer = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    const byte = keyBytes[i] ?? 0;
    inner[i] = byte ^ 0x36;
    outer[i] = byte ^ 0x5c;
  }
  const body = encoder.encode(message);
  const first = new Uint8Array(BLOCK + body.length);
  first.set(inner);
  first.set(body, BLOCK);
  const innerHash = sha256(first);
  const second = new Uint8Array(BLOCK + innerHash.length);
  second.set(outer);
  second.set(innerHash, BLOCK);
  return sha256(second);
}

/** Bytes as unpadded base64url (URL- and header-safe). */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Unpadded base64url back to bytes, or `null` when it is not base64url. */
export function fromBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** Compares two strings in time independent of where they differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    diff |= (a.charCodeAt(i % (a.length || 1)) || 0) ^ (b.charCodeAt(i % (b.length || 1)) || 0);
  }
  return diff === 0;
}

/** Hex HMAC-SHA512 of `body` with `key`, as WAHA signs webhooks (Web Crypto, async: Node 20, Deno, Bun, edge runtimes). */
export async function hmacSha512Hex(key: string, body: string): Promise<string> {
  const encoder = new TextEncoder();
  const cryptoKey = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-512' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(body)));
  return Array.from(signature, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
