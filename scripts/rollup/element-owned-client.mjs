// For the element's standalone build only: its one client is created by the element,
// which never passes `trace`, `inspect` or `autoStart`, so the client's ELEMENT_OWNED
// flag (packages/client/src/element-owned.ts) is `true` there and terser drops the code
// that serves those options (the log calls, the inspector's hook). The client package's
// own build, and any bundler building the element from npm, keep the flag `false`.

const MODULE = /\/client\/src\/element-owned\.ts$/;

export function elementOwnedClient() {
  return {
    name: 'wac-element-owned-client',
    load(id) {
      return MODULE.test(id) ? 'export const ELEMENT_OWNED = true;\n' : null;
    },
  };
}
