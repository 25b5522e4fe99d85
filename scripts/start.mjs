// `npm start`: the demo (examples/demo). Runs its TypeScript entry with tsx and the
// workspace packages resolved to their sources (the "source" export condition), so a
// fresh clone needs only `npm install`: the page script is bundled in memory at startup.
// Arguments after `--` reach the demo: `npm start -- --profile webjs`.
import { spawn } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'examples/demo/cli.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});

// Ctrl-C reaches the child through the terminal's process group too; forwarding
// covers a signal sent to this process alone (the demo ignores the duplicate).
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
