/** The rollup plugin that strips TypeScript with esbuild (NodeNext `./x.js` imports resolve to `./x.ts`). */
export declare function esbuildTranspile(): {
  name: string;
  resolveId(source: string, importer: string | undefined): string | null;
  transform(code: string, id: string): Promise<{ code: string; map: string } | null>;
};
/** The rollup plugin that renames a chunk's identifiers with esbuild before terser minifies it. */
export declare function esbuildRenameIdentifiers(): { name: string; renderChunk(code: string): Promise<{ code: string; map: string }> };
