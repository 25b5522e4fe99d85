/** Minifies the static text of a css`` template part. */
export declare function minifyCss(text: string): string;
/** Minifies every css`` template of `code`; `null` when nothing changed. */
export declare function minifyTemplateLiterals(code: string): string | null;
/** The rollup plugin (the element's sources by default). */
export declare function minifyTemplates(options?: { include?: (id: string) => boolean }): { name: string; transform(code: string, id: string): { code: string; map: unknown } | null };
