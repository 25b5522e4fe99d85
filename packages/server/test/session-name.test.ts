import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalSessionName, isValidSessionName, MAX_SESSION_NAME_LENGTH, needsHealing } from '../src/index.js';
import { orgFromCanonicalName } from '../src/session-name.js';
import { sha256 } from '../src/sha256.js';

/** Characters that make names interesting: the allowed ones (the separators `_` and `-` twice as likely) and a few others. */
const nameChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'abcXYZ019') },
  { weight: 3, arbitrary: fc.constantFrom('_', '-') },
  { weight: 1, arbitrary: fc.constantFrom(' ', '.', '/', 'é', '😀', '\u0000') },
);
const id = fc.oneof(fc.string({ unit: nameChar, maxLength: 70 }), fc.string({ maxLength: 70 }), fc.integer().map(String));
const prefix = fc.oneof(fc.constantFrom('wac', 'eagles', 'a', 'x-y', 'p_q'), fc.string({ unit: nameChar, maxLength: 20 }));

/** The plain id whose name would be `name` (`<prefix>_<id>`), if `name` has that shape. */
const plainIdBehind = (p: string, name: string): string | undefined => (name.startsWith(`${p}_`) ? name.slice(p.length + 1) : undefined);

describe('canonicalSessionName: injective', () => {
  it('no longer gives a plain id the name of another organization’s hashed name (today’s collision)', () => {
    // On the previous scheme both were `eagles_acme_corp-fri8z5vfu9`: "acme corp" hashed,
    // and "acme_corp-fri8z5vfu9" plain. The second organization saw and logged out the first's phone.
    const hashed = canonicalSessionName('eagles', 'acme corp');
    const plain = canonicalSessionName('eagles', 'acme_corp-fri8z5vfu9');
    assert.equal(plain, 'eagles_acme_corp-fri8z5vfu9', 'plain ids keep their plain names');
    assert.notEqual(hashed, plain);
    assert.match(hashed, /^eagles__acme_corp-[a-z2-7]{16}$/);
    // Whatever the hash: the plain id spelled like the hashed name is another name.
    assert.notEqual(canonicalSessionName('eagles', hashed.slice('eagles_'.length)), hashed);
  });

  it('no plain id can produce another id’s name (adversarial: the id spelled from the name)', () => {
    fc.assert(
      fc.property(prefix, id, (p, a) => {
        const name = canonicalSessionName(p, a);
        const b = plainIdBehind(p, name);
        if (b !== undefined && b !== a) assert.notEqual(canonicalSessionName(p, b), name, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }),
      { numRuns: 5000 },
    );
  });

  it('distinct ids get distinct names, for any prefix', () => {
    fc.assert(
      fc.property(prefix, id, id, (p, a, b) => {
        fc.pre(a !== b);
        assert.notEqual(canonicalSessionName(p, a), canonicalSessionName(p, b));
      }),
      { numRuns: 5000 },
    );
  });

  it('always yields a name WAHA accepts: [A-Za-z0-9_-], 1 to 54 characters', () => {
    fc.assert(
      fc.property(prefix, id, (p, a) => {
        const name = canonicalSessionName(p, a);
        assert.ok(isValidSessionName(name), name);
        assert.ok(name.length <= MAX_SESSION_NAME_LENGTH);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps every plain id’s plain name (existing deployments stored them), and reverses it', () => {
    const plainId = fc.stringMatching(/^[A-Za-z0-9-][A-Za-z0-9_-]{0,40}$/);
    fc.assert(
      fc.property(fc.constantFrom('wac', 'eagles', 'x'), plainId, (p, a) => {
        fc.pre(p.length + 1 + a.length <= MAX_SESSION_NAME_LENGTH);
        const name = canonicalSessionName(p, a);
        assert.equal(name, `${p}_${a}`);
        assert.equal(orgFromCanonicalName(p, name), a);
      }),
    );
    assert.equal(canonicalSessionName('eagles', '42'), 'eagles_42');
    assert.equal(canonicalSessionName('eagles', '123e4567-e89b-12d3-a456-426614174000'), 'eagles_123e4567-e89b-12d3-a456-426614174000');
  });

  it('hashes ids that do not fit, start with _ or carry other characters; hashed names are not reversed', () => {
    for (const odd of ['acme corp', '_internal', 'x'.repeat(60), 'ação']) {
      const name = canonicalSessionName('wac', odd);
      assert.match(name, /^wac__[A-Za-z0-9_-]*-[a-z2-7]{16}$/, name);
      assert.equal(orgFromCanonicalName('wac', name), undefined);
    }
    assert.ok(canonicalSessionName('my app!', '1').startsWith('my_app___1-'));
  });

  it('hashes a 200,000-character id whole into a short name (the id never reaches WAHA)', () => {
    const huge = 'a'.repeat(200_000);
    const name = canonicalSessionName('wac', huge);
    assert.ok(isValidSessionName(name));
    assert.notEqual(canonicalSessionName('wac', `${huge.slice(0, -1)}b`), name, 'the last character counts');
  });
});

describe('needsHealing', () => {
  it('heals default, empty, blank and invalid stored names only', () => {
    for (const bad of [null, undefined, '', '  ', 'default', 'DEFAULT', 'has space', 'x'.repeat(55)]) assert.equal(needsHealing(bad), true, String(bad));
    for (const good of ['eagles_42', 'legacy-1', 'x'.repeat(54), 'wac__acme_corp-abcdefghijklmnop']) assert.equal(needsHealing(good), false, good);
  });

  it('keeps a stored default where WAHA accepts only default (single-session WAHA)', () => {
    assert.equal(needsHealing('default', { singleSession: true }), false);
    assert.equal(needsHealing(' default ', { singleSession: true }), false);
    for (const bad of ['DEFAULT', '', null, 'has space']) assert.equal(needsHealing(bad, { singleSession: true }), true, String(bad));
    assert.equal(needsHealing('eagles_42', { singleSession: true }), false);
  });
});

describe('sha256', () => {
  it('matches node:crypto, padding boundaries included', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        assert.equal(Buffer.from(sha256(bytes)).toString('hex'), createHash('sha256').update(bytes).digest('hex'));
      }),
      { numRuns: 500 },
    );
    for (const length of [55, 56, 63, 64, 65, 119, 120]) {
      const bytes = new Uint8Array(length).fill(length);
      assert.equal(Buffer.from(sha256(bytes)).toString('hex'), createHash('sha256').update(bytes).digest('hex'), `length ${length}`);
    }
  });
});
