// For the element's standalone build: every dynamic import of a chunk goes through a
// small helper that asks for the chunk again under a new URL after a failure. Browsers
// keep a module that failed to load as failed for the life of the page (the HTML
// module map), so `import('./lang-es-….js')` a second time rejects at once, without a
// request, and the element's retries (the language and the linking view on the
// client's backoff, the QR drawing with the next QR, the action runner with the next
// action) could never bring a chunk back after a network blip. `?retry=N` is a new
// module map entry; the chunk's own imports still resolve to the one entry file.
// Bundlers that build the element from npm load chunks their own way (webpack's default
// loader asks again by itself; a native import(), as in Vite's output, does not), so the
// package build keeps plain import().

const HELPER = '__wacImportChunk';

/** The helper, defined in each chunk that imports another on demand (only the entry file today). */
const helperSource = `const ${HELPER}Failures = {};
function ${HELPER}(path) {
  const failures = ${HELPER}Failures[path] ?? 0;
  return import(path + (failures ? '?retry=' + failures : '')).catch((error) => {
    ${HELPER}Failures[path] = failures + 1;
    throw error;
  });
}
`;

export function retryableChunks() {
  return {
    name: 'wac-retryable-chunks',
    renderDynamicImport({ targetModuleId }) {
      // A target rollup could not resolve stays a plain import() (there is none in the build).
      return targetModuleId ? { left: `${HELPER}(`, right: ')' } : null;
    },
    intro(chunk) {
      return chunk.dynamicImports.length > 0 ? helperSource : '';
    },
  };
}
