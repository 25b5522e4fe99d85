import { unsafeCSS, type CSSResult } from '@lit/reactive-element';

/**
 * The css`` tag of the element's own style sheets (styles.ts, linking/styles.ts):
 * their text as a Lit `CSSResult`, one constructable stylesheet as before.
 *
 * Not Lit's `css`: that one checks at runtime that every interpolated value is
 * a `css` result, and ships the error text for one that is not (0.14 KB of the
 * connected widget). These templates interpolate only their own constants, which
 * the type of `values` already holds to. The text is taken raw, as written, so a
 * CSS escape such as `\2026` needs no second backslash. The build minifies the
 * static parts of every css`` template (scripts/rollup/minify-templates.mjs).
 */
export function css(strings: TemplateStringsArray, ...values: CSSResult[]): CSSResult {
  return unsafeCSS(String.raw(strings, ...values));
}
