import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import terserModule from '@rollup/plugin-terser';
import { rollup, type Plugin } from 'rollup';
import { elementOwnedClient } from '../../../scripts/rollup/element-owned-client.mjs';
import { esbuildTranspile } from '../../../scripts/rollup/esbuild-transpile.mjs';

// The plugin's CommonJS types name its default export as the module itself.
const terser = terserModule as unknown as (options: object) => Plugin;
const clientEntry = new URL('../../client/src/index.ts', import.meta.url).pathname;

/** `createSessionClient` bundled and minified as the builds do, with the given extra plugins first. */
async function bundleClient(extra: Plugin[]): Promise<string> {
  const build = await rollup({
    input: 'entry',
    plugins: [
      ...extra,
      { name: 'entry', resolveId: (id) => (id === 'entry' ? id : null), load: (id) => (id === 'entry' ? `export { createSessionClient } from ${JSON.stringify(clientEntry)};` : null) },
      esbuildTranspile(),
      terser({ ecma: 2020, module: true, compress: { passes: 2 } }),
    ],
    // The stream module is its own chunk; only the entry matters here.
    onwarn: () => undefined,
  });
  const { output } = await build.generate({ format: 'esm', inlineDynamicImports: true });
  await build.close();
  return output[0].code;
}

let both: Promise<{ packaged: string; owned: string }> | undefined;

/** The client as the package build makes it and as the standalone build does, bundled once for all the tests. */
function builds(): Promise<{ packaged: string; owned: string }> {
  both ??= Promise.all([bundleClient([]), bundleClient([elementOwnedClient() as Plugin])]).then(([packaged, owned]) => ({ packaged, owned }));
  return both;
}

// The element's standalone build drops what only a page's own client can use.
describe('the element-owned client of the standalone build', () => {
  it('leaves out the trace calls, the inspector hook and autoStart; the package build keeps them', async () => {
    const { packaged, owned } = await builds();
    for (const marker of ['listener.failed', 'poll.discarded', 'stream.refused', 'stream.failed', 'autoStart', 'inspect']) {
      assert.ok(packaged.includes(marker), `the package build keeps ${marker}`);
      assert.ok(!owned.includes(marker), `the standalone build drops ${marker}`);
    }
    assert.ok(owned.length < packaged.length);
  });

  it('takes the tuning options\' defaults as they are (config.ts defaultTuning); the package build reads them', async () => {
    const { packaged, owned } = await builds();
    // How the minified code reads a given option that may be missing.
    for (const marker of ['.timers??', '.visibility??', '.random??', '.EventSource??', '.backoff??']) {
      assert.ok(packaged.includes(marker), `the package build reads ${marker}`);
      assert.ok(!owned.includes(marker), `the standalone build does not read ${marker}`);
    }
  });

  it('derives no qr event, which the element never listens to (it sends wac-qr itself); the package build does', async () => {
    const { packaged, owned } = await builds();
    // deriveEvents' add('qr', { qr, qrImage }), minified.
    const qrEvent = /\("qr",\{qr:/;
    assert.match(packaged, qrEvent);
    assert.doesNotMatch(owned, qrEvent);
  });
});
