import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minifyCss, minifyHtml, minifyTemplateLiterals } from '../../../scripts/rollup/minify-templates.mjs';

// The build minifies the text of the element's css`` and html`` templates
// (scripts/rollup/minify-templates.mjs); what it must never change is meaning.
describe('the template minifier of the build', () => {
  it('CSS: drops comments and indentation, keeps a space before ":" (a descendant combinator)', () => {
    const css = `
      /* The card. */
      .base > .x ,  .y {
        color : var(--wac-text);
        gap: 0.5rem 10.5rem;
        border-radius: calc(var(--wac-radius) / 2);
      }
      .a :is(.b, input):focus-visible { outline: 3px solid; }
    `;
    assert.equal(
      minifyCss(css).trim(),
      '.base>.x,.y{color :var(--wac-text);gap:.5rem 10.5rem;border-radius:calc(var(--wac-radius) / 2)}.a :is(.b,input):focus-visible{outline:3px solid}',
    );
  });

  it('HTML: line breaks between tags go, those inside text or attributes become one space', () => {
    assert.equal(minifyHtml('<div>\n  <p>a</p>\n  <p>b\n   c</p>\n</div>'), '<div><p>a</p><p>b c</p></div>');
    assert.equal(minifyHtml('<input id="x"\n  required />'), '<input id="x" required />');
    assert.equal(minifyHtml('<p>one two</p>'), '<p>one two</p>');
  });

  it('minifies each static part, keeps expressions, and finds templates nested in them', () => {
    const code = [
      'const a = html`<div>\n  ${x ? html`<p>\n  ${"}`"}</p>` : nothing}\n  <span>${`not\n  a template`}</span>\n</div>`;',
      'const b = css`:host {\n  ${dark}\n}`;',
      'const c = `plain\n  text`;',
    ].join('\n');
    assert.equal(
      minifyTemplateLiterals(code),
      [
        'const a = html`<div>${x ? html`<p>${"}`"}</p>` : nothing}<span>${`not\n  a template`}</span></div>`;',
        'const b = css`:host{${dark}}`;',
        'const c = `plain\n  text`;',
      ].join('\n'),
    );
    assert.equal(minifyTemplateLiterals('const d = `plain`;'), null);
  });
});
