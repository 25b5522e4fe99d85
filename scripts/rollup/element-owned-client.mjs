// For the element's standalone build only: there every client is created by the
// element itself, so the client's ELEMENT_OWNED flag (packages/client/src/element-owned.ts,
// which lists what the element never asks of it) is `true`, and terser drops the code
// that serves the rest. The client package's own build, and any bundler building the
// element from npm, keep the flag `false`.

const MODULE = /\/client\/src\/element-owned\.ts$/;

export function elementOwnedClient() {
  return {
    name: 'wac-element-owned-client',
    load(id) {
      return MODULE.test(id) ? 'export const ELEMENT_OWNED = true;\n' : null;
    },
  };
}
