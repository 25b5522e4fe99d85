// The contract's list of error codes (KNOWN_ERROR_CODES, docs/openapi.yaml's ErrorCode)
// names every code the reference server answers, with the HTTP status it answers it with:
// a code born in the server (busy, waha_single_session, auth_timeout…) must reach the
// contract that hand-written backends and the kit read.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KNOWN_ERROR_CODES } from '../src/index.js';

const SERVER_SRC = fileURLToPath(new URL('../../server/src/', import.meta.url));

/** Every `new HttpError(<status>, '<code>'` in the server's sources, as `"<status> <code>"`. */
function serverCodes(dir = SERVER_SRC): Set<string> {
  const found = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) for (const code of serverCodes(path)) found.add(code);
    else if (entry.name.endsWith('.ts')) {
      for (const match of readFileSync(path, 'utf8').matchAll(/new HttpError\(\s*(\d{3}),\s*'([a-z_]+)'/g)) found.add(`${match[1]} ${match[2]}`);
    }
  }
  return found;
}

describe('known error codes', () => {
  it("name every code the reference server answers, at the status it answers it with", () => {
    const answered = serverCodes();
    assert.ok(answered.size >= 15, `the scan finds the server's codes (${answered.size})`);
    const known = new Set(Object.entries(KNOWN_ERROR_CODES).map(([code, status]) => `${status} ${code}`));
    assert.deepEqual([...answered].filter((code) => !known.has(code)).sort(), []);
  });
});
