import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CSSResult } from '@lit/reactive-element';
import { css } from '../src/css.js';

describe('css``', () => {
  it('gives a Lit CSSResult with the interpolated css`` constants in place', () => {
    const palette = css`--a: red;`;
    const sheet = css`:host { ${palette} } .x { color: var(--a); }`;
    assert.ok(sheet instanceof CSSResult);
    assert.equal(sheet.cssText, ':host { --a: red; } .x { color: var(--a); }');
  });

  it('keeps the text as written, so a CSS escape needs one backslash', () => {
    assert.equal(css`.more::after { content: '\2026'; }`.cssText, ".more::after { content: '\\2026'; }");
  });
});
