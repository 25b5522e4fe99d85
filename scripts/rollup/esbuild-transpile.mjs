// Transpiles TypeScript for rollup with esbuild. Type-checking is done once, by
// `tsc -p tsconfig.json` in CI; bundling only needs the types stripped, with
// tsconfig.base.json's class fields (useDefineForClassFields: false, so that a field
// initializer does not shadow the accessor Lit's reactive base defines for a property).
import { transform } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const tsconfigRaw = readFileSync(new URL('../../tsconfig.base.json', import.meta.url), 'utf8');

export function esbuildTranspile() {
  return {
    name: 'wac-esbuild-transpile',
    resolveId(source, importer) {
      // NodeNext sources import './x.js' meaning './x.ts'.
      if (!importer || !source.startsWith('.') || !source.endsWith('.js')) return null;
      const candidate = resolve(dirname(importer), source.slice(0, -3) + '.ts');
      return existsSync(candidate) ? candidate : null;
    },
    async transform(code, id) {
      if (!id.endsWith('.ts') || id.endsWith('.d.ts')) return null;
      const result = await transform(code, {
        loader: 'ts',
        format: 'esm',
        target: 'es2022',
        sourcefile: id,
        sourcemap: true,
        tsconfigRaw,
      });
      return { code: result.code, map: result.map };
    },
  };
}

/**
 * Renames a chunk's identifiers with esbuild before terser minifies it: esbuild
 * names symbols by frequency, chunk-wide, which terser's mangler then keeps, and
 * the result gzips about 0.1 KB smaller than terser alone (measured on the
 * standalone build, 2026-12-03: connected widget −106 B, everything −120 B).
 */
export function esbuildRenameIdentifiers() {
  return {
    name: 'wac-esbuild-rename',
    async renderChunk(code) {
      const result = await transform(code, { minifyIdentifiers: true, format: 'esm', target: 'es2022', sourcemap: true });
      return { code: result.code, map: result.map };
    },
  };
}
