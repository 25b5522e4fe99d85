// Minifies the text of the css`` tagged templates in the element's sources
// (packages/element/src/styles.ts, linking/styles.ts): comments, indentation and the
// spaces around punctuation. JavaScript minifiers leave template literals alone, so
// without this the readable source would ship as is. Only the static parts change;
// expressions (`${…}`) are kept, and searched for nested css`` templates. Runs after
// TypeScript is stripped, on plain JavaScript. The element renders its DOM with its
// own h()/patch() (packages/element/src/dom.ts): there is no html`` or svg`` template
// left to minify.
import MagicString from 'magic-string';

const TAG = /\bcss`/g;

/**
 * Minifies a static part of a css`` template. Spaces go around `{ } ; ,` and
 * after `:` (a space before `:` can be a descendant combinator, so it stays);
 * a declaration list ends without `;`, and `0.5` is `.5`.
 */
export function minifyCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .replace(/([\s:(,])0\.(\d)/g, '$1.$2');
}

/**
 * Scans the template literal whose backtick is at `start` (the index after it is
 * the first character of its text); calls `onStatic(from, to)` for each static
 * part and returns the index after the closing backtick.
 */
function scanTemplate(code, start, onStatic, onNested) {
  let i = start + 1;
  let from = i;
  while (i < code.length) {
    const c = code[i];
    if (c === '\\') {
      i += 2;
    } else if (c === '`') {
      onStatic(from, i);
      return i + 1;
    } else if (c === '$' && code[i + 1] === '{') {
      onStatic(from, i);
      i = scanExpression(code, i + 2, onNested);
      from = i;
    } else {
      i++;
    }
  }
  throw new Error('unterminated template literal');
}

/** Skips a `${…}` expression from `start`, reporting nested tagged templates; returns the index after its `}`. */
function scanExpression(code, start, onNested) {
  let depth = 1;
  let i = start;
  while (i < code.length) {
    const c = code[i];
    if (c === "'" || c === '"') {
      i++;
      while (i < code.length && code[i] !== c) i += code[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '`') {
      i = onNested(i);
    } else if (c === '{') {
      depth++;
      i++;
    } else if (c === '}') {
      if (--depth === 0) return i + 1;
      i++;
    } else {
      i++;
    }
  }
  throw new Error('unterminated template expression');
}

/**
 * Minifies every css`` template of `code` into `out` (a MagicString). Other template
 * literals are scanned (for css`` templates nested in their expressions), not changed.
 */
function minifyAll(code, out) {
  const visit = (backtick, isCss) =>
    scanTemplate(
      code,
      backtick,
      (from, to) => {
        if (!isCss || from === to) return;
        const text = code.slice(from, to);
        const small = minifyCss(text);
        if (small !== text) out.overwrite(from, to, small);
      },
      (nested) => visit(nested, /\bcss$/.test(code.slice(Math.max(0, nested - 4), nested))),
    );
  TAG.lastIndex = 0;
  let match;
  while ((match = TAG.exec(code))) {
    TAG.lastIndex = visit(match.index + 'css'.length, true);
  }
}

/** Minifies every css`` template of `code`; `null` when nothing changed. */
export function minifyTemplateLiterals(code) {
  const out = new MagicString(code);
  minifyAll(code, out);
  return out.hasChanged() ? out.toString() : null;
}

/**
 * The rollup plugin. `include` decides which module ids are minified (the
 * element's sources; dependencies such as Lit ship minified already).
 */
export function minifyTemplates({ include = (id) => /\/packages\/element\/src\/.*\.ts$/.test(id) } = {}) {
  return {
    name: 'wac-minify-templates',
    transform(code, id) {
      if (!include(id) || !/\bcss`/.test(code)) return null;
      const out = new MagicString(code);
      minifyAll(code, out);
      if (!out.hasChanged()) return null;
      return { code: out.toString(), map: out.generateMap({ hires: true }) };
    },
  };
}
