#!/usr/bin/env node
/**
 * The `whatsapp-connector-conformance <url>` command. See `cli-args.ts` for the
 * options and `runCli` for the exit statuses.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** `true` when node was started with the `source` export condition. */
function hasSourceCondition(): boolean {
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return args.some(
    (arg, index) =>
      arg === '--conditions=source' ||
      arg === '-C=source' ||
      ((arg === '--conditions' || arg === '-C') && args[index + 1] === 'source'),
  );
}

// Run from the TypeScript sources (`node --import tsx src/cli.ts`), the workspace
// packages must resolve to their sources too, not to a possibly stale or missing
// dist/: start again with the `source` condition. The built dist/cli.js never does this.
if (import.meta.url.endsWith('.ts') && !hasSourceCondition()) {
  const child = spawn(
    process.execPath,
    [...process.execArgv, '--conditions=source', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
} else {
  const { runCli } = await import('./cli-main.js');
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
