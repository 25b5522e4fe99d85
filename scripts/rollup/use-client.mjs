// Keeps a module's 'use client' directive at the top of the built file. Rollup
// drops module-level directives when it bundles (a directive means nothing in the
// middle of a bundle), yet React Server Components read it at the top of the file
// a package exports: without it, importing @whatsapp-connector/react from a Server
// Component builds and then fails at run time. So the directive is taken out of
// the module (blanked, so nothing moves and the source map holds) and every entry
// chunk holding such a module starts with it.
import MagicString from 'magic-string';

const DIRECTIVE = /^((?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*)(['"])use client\2/;

export function useClient() {
  const marked = new Set();
  return {
    name: 'wac-use-client',
    transform(code, id) {
      const found = DIRECTIVE.exec(code);
      if (!found) return null;
      marked.add(id);
      const start = found[1].length;
      const end = found[0].length;
      return { code: code.slice(0, start) + ' '.repeat(end - start) + code.slice(end), map: null };
    },
    renderChunk(code, chunk) {
      if (!chunk.isEntry || !chunk.moduleIds.some((id) => marked.has(id))) return null;
      const out = new MagicString(code).prepend(`'use client';\n`);
      return { code: out.toString(), map: out.generateMap({ hires: true }) };
    },
  };
}
