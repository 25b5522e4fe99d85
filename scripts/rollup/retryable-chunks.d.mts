/** The rollup plugin that routes the standalone build's dynamic imports through a helper that retries a failed chunk under a new URL. */
export declare function retryableChunks(): {
  name: string;
  renderDynamicImport(options: { targetModuleId: string | null }): { left: string; right: string } | null;
  intro(chunk: { dynamicImports: readonly string[] }): string;
};
