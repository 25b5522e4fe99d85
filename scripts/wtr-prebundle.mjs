// A dev-server plugin that serves CommonJS packages as single ESM bundles made by
// esbuild: @rollup/plugin-commonjs under @web/test-runner mis-detects qrcode's exports.
import { build } from 'esbuild';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function prebundlePlugin(packages) {
  const cache = new Map();
  const prefix = '/__prebundled__/';
  return {
    name: 'wac-prebundle',
    resolveImport({ source }) {
      if (packages.includes(source)) return `${prefix}${encodeURIComponent(source)}.js`;
      return undefined;
    },
    async serve(context) {
      if (!context.path.startsWith(prefix)) return undefined;
      const name = decodeURIComponent(context.path.slice(prefix.length, -'.js'.length));
      if (!packages.includes(name)) return undefined;
      if (!cache.has(name)) {
        const result = await build({
          stdin: { contents: `import m from ${JSON.stringify(name)}; export default m;`, resolveDir: process.cwd() },
          bundle: true,
          format: 'esm',
          platform: 'browser',
          write: false,
          logLevel: 'silent',
          nodePaths: [require.resolve(`${name}/package.json`).replace(/\/package\.json$/, '/..')],
        });
        cache.set(name, result.outputFiles[0].text);
      }
      return { body: cache.get(name), type: 'js' };
    },
  };
}
