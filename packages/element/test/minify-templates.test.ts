import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minifyCss, minifyTemplateLiterals, minifyTemplates } from '../../../scripts/rollup/minify-templates.mjs';

// The build minifies the text of the element's css`` templates
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

  it('CSS: a comment holding punctuation goes whole; 0.5 loses its 0 only where a number starts; other combinators and values stay', () => {
    assert.equal(minifyCss('/* a { b: c; } */ .a{x:1}'), ' .a{x:1}');
    assert.equal(minifyCss('.a { color: rgb(0 0 0 / 0.5); margin: 0 0.25em; box-shadow: 0 0 0 1px rgba(0,0,0,0.5); width: 10.5px; }'), '.a{color:rgb(0 0 0 / .5);margin:0 .25em;box-shadow:0 0 0 1px rgba(0,0,0,.5);width:10.5px}');
    assert.equal(minifyCss('.a + .b ~ .c { }'), '.a + .b ~ .c{}');
    assert.equal(minifyCss('@media (max-width: 30em) {\n  .a { display: none; }\n}'), '@media (max-width:30em){.a{display:none}}');
    const once = minifyCss('.a ,\n .b {\n  padding: 0.5rem;\n}\n');
    assert.equal(minifyCss(once), once, 'minifying its own output changes nothing');
  });

  it('minifies each static part, keeps expressions, and finds css`` templates nested in them', () => {
    const code = [
      'const a = css`:host {\n  ${dark}\n}`;',
      'const b = x(`${y ? css`.a {\n  color: red;\n}` : ""}\n  text`);',
      'const c = css`.a::before {\n  content: "\\`}";\n}\n${"}`"}\n.b { }`;',
    ].join('\n');
    assert.equal(
      minifyTemplateLiterals(code),
      [
        'const a = css`:host{${dark}}`;',
        'const b = x(`${y ? css`.a{color:red}` : ""}\n  text`);',
        // A part's edge keeps one space: what touches an expression is not known.
        'const c = css`.a::before{content:"\\`}"}${"}`"} .b{}`;',
      ].join('\n'),
    );
    assert.equal(minifyTemplateLiterals('const d = `plain`;'), null);
  });

  it('leaves every other template literal as written: html``, svg``, untagged, and a tag that only ends in css', () => {
    const code = [
      'const a = html`<div>\n  <p>a</p>\n</div>`;',
      'const b = svg`<g>\n  <path d="M0 0"/>\n</g>`;',
      'const c = `.a {\n  color: red;\n}`;',
      'const d = mycss`.a {\n  color: red;\n}`;',
    ].join('\n');
    assert.equal(minifyTemplateLiterals(code), null);
  });

  it('the rollup plugin transforms only the modules it includes, with a source map', () => {
    const plugin = minifyTemplates();
    const code = 'export const s = css`.a {\n  color: red;\n}`;';
    assert.equal(plugin.transform(code, '/repo/packages/client/src/x.ts'), null, 'not an element source');
    assert.equal(plugin.transform('export const s = 1;', '/repo/packages/element/src/x.ts'), null, 'no css`` template');
    const out = plugin.transform(code, '/repo/packages/element/src/x.ts');
    assert.equal(out?.code, 'export const s = css`.a{color:red}`;');
    assert.ok(out?.map, 'a source map');
    assert.equal(minifyTemplates({ include: () => true }).transform(code, '/anywhere.js')?.code, out?.code);
  });
});
