// Minifies the text of Lit's tagged templates in the element's sources: `css`
// (comments, indentation and the spaces around punctuation) and `html` / `svg`
// (the line breaks and indentation between tags). JavaScript minifiers leave
// template literals alone, so without this the readable source would ship as is.
// Only the static parts change; expressions (`${…}`) are kept, and searched for
// nested templates. Runs after TypeScript is stripped, on plain JavaScript.
import MagicString from 'magic-string';

const TAG = /\b(css|html|svg)`/g;

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
 * Minifies a static part of an html`` / svg`` template: white space that holds a
 * line break goes when it touches a tag (`>` before or `<` after), else becomes
 * one space, so text and attributes read as before.
 */
export function minifyHtml(text) {
  return text.replace(/\s*\n\s*/g, (space, offset, whole) => {
    const before = whole[offset - 1];
    const after = whole[offset + space.length];
    return before === '>' || after === '<' ? '' : ' ';
  });
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

/** Minifies every css`` / html`` / svg`` template of `code` into `out` (a MagicString). */
function minifyAll(code, out) {
  const visit = (backtick, tag) => {
    const minify = tag === 'css' ? minifyCss : tag === 'html' || tag === 'svg' ? minifyHtml : null;
    return scanTemplate(
      code,
      backtick,
      (from, to) => {
        if (!minify || from === to) return;
        const text = code.slice(from, to);
        const small = minify(text);
        if (small !== text) out.overwrite(from, to, small);
      },
      (nested) => {
        const tagged = /\b(css|html|svg)$/.exec(code.slice(Math.max(0, nested - 4), nested));
        return visit(nested, tagged?.[1] ?? null);
      },
    );
  };
  TAG.lastIndex = 0;
  let match;
  while ((match = TAG.exec(code))) {
    const end = visit(match.index + match[1].length, match[1]);
    TAG.lastIndex = end;
  }
}

/** Minifies every css`` / html`` / svg`` template of `code`; `null` when nothing changed. */
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
      if (!include(id) || !/\b(css|html|svg)`/.test(code)) return null;
      const out = new MagicString(code);
      minifyAll(code, out);
      if (!out.hasChanged()) return null;
      return { code: out.toString(), map: out.generateMap({ hires: true }) };
    },
  };
}
