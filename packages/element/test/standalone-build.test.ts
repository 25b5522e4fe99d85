import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rollup, type OutputChunk, type RollupOptions } from 'rollup';

// The standalone build as rollup.config.mjs really makes it (the plugins' own tests
// check them one by one; this checks they are wired in). Found missing by review rv6.
describe('the standalone build as configured', () => {
  it('has no trace / inspect / autoStart code, and @lit/task only in its own lazily imported chunk', async () => {
    // By URL: the config is plain JavaScript without declarations.
    const configUrl = new URL('../../../rollup.config.mjs', import.meta.url).href;
    const configs = ((await import(configUrl)) as { default: RollupOptions[] }).default;
    const config = configs.find((c) => String((c.output as { dir?: string } | undefined)?.dir ?? '').endsWith('standalone'))!;
    const build = await rollup({ ...config, onwarn: () => undefined });
    const { output } = await build.generate(config.output as object);
    await build.close();
    const chunks = output.filter((file): file is OutputChunk => file.type === 'chunk');
    for (const chunk of chunks) {
      for (const marker of ['listener.failed', 'poll.discarded', 'stream.failed', 'stream.refused', 'autoStart']) {
        assert.ok(!chunk.code.includes(marker), `${chunk.fileName} has ${marker}`);
      }
    }
    const runners = chunks.filter((chunk) => chunk.fileName.startsWith('action-runner-'));
    assert.equal(runners.length, 1);
    const entry = chunks.find((chunk) => chunk.isEntry)!;
    assert.ok(!entry.imports.includes(runners[0]!.fileName), 'the entry does not import the runner statically');
    assert.ok(entry.dynamicImports.includes(runners[0]!.fileName), 'the entry imports the runner on demand');
    assert.ok(!entry.code.includes('taskComplete'), "Task's code is not in the entry");
    // Every chunk loaded on demand is asked for through the retrying helper (retryable-chunks.mjs).
    for (const chunk of chunks) {
      assert.ok(!/\bimport\(['"]/.test(chunk.code), `${chunk.fileName}: no chunk is imported by a bare import()`);
      if (chunk.dynamicImports.length > 0) assert.ok(chunk.code.includes('?retry='), `${chunk.fileName} retries a failed chunk under a new URL`);
    }
    // ?retry=N gives a chunk a new URL, not its static imports: that is enough only while each lazy chunk
    // imports nothing but the entry file, which is loaded already (found by review rv8).
    for (const chunk of chunks.filter((chunk) => !chunk.isEntry)) {
      assert.deepEqual(chunk.imports.filter((name) => name !== entry.fileName), [], `${chunk.fileName} imports only the entry file`);
    }
  });
});
