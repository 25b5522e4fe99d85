// Custom Elements Manifest for IDEs, Storybook and docs, generated from the JSDoc
// contract of src/whatsapp-connector.ts. Run it from this package's folder (the
// analyzer resolves globs and module paths against the working directory):
//   cd packages/element && npx cem analyze --config custom-elements-manifest.config.mjs
export default {
  globs: ['src/**/*.ts'],
  outdir: '.',
  litelement: true,
  dev: false,
  plugins: [
    {
      // The globs come back in the file system's order, which differs between
      // checkouts: sorted, a build leaves the committed manifest unchanged.
      name: 'wac-sort-modules',
      packageLinkPhase({ customElementsManifest }) {
        customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      },
    },
  ],
};
