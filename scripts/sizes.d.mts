/** A measured file of the standalone build. */
export interface SizedFile {
  readonly name: string;
  readonly min: number;
  readonly gzip: number;
}
/** A summary row of `npm run size` and the benchmark. */
export interface SizeRow {
  readonly id: string;
  readonly label: string;
  readonly min: number;
  readonly gzip: number;
  readonly target: number | null;
  readonly budget: number | null;
}
/** Issue 14's size targets in gzip bytes. */
export declare const TARGETS: { readonly client: number; readonly connectedWidget: number; readonly standaloneTotal: number };
/** The ceilings `npm run bench:check` enforces, in gzip bytes. */
export declare const BUDGETS: { readonly client: number; readonly connectedWidget: number; readonly standaloneTotal: number };
/** The summary rows of the standalone build from its files. */
export declare function standaloneRows(files: readonly SizedFile[]): SizeRow[];
