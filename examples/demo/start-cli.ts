// The demo's tests start `npm start` (scripts/start.mjs) as a user would: one helper,
// so every test waits for the same lines and sees the same environment.
import { spawn, type ChildProcess } from 'node:child_process';

const ROOT = new URL('../..', import.meta.url).pathname;

/** A running `npm start`: its process, everything it printed so far, and the demo's URL. */
export interface StartedCli {
  child: ChildProcess;
  output: () => string;
  url: string;
}

/**
 * Runs `scripts/start.mjs` with `args` on a free port, quiet, on the simulator (never a
 * WAHA from the environment) and with `DATABASE_URL` as given — empty by default,
 * because `npm test` sets it for every test process once a PostgreSQL test runs.
 * Resolves once the URL and the store line are printed; rejects on an early exit or
 * after `timeoutMs` (ending the child first, see endCli).
 */
export async function startCli(args: string[] = [], { databaseUrl = '', timeoutMs = 30_000 } = {}): Promise<StartedCli> {
  const child = spawn(process.execPath, ['scripts/start.mjs', ...args], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DEMO_QUIET: '1', WAHA_API_URL: '', WAHA_API_KEY: '', DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    // Once settled, nothing of the wait stays: no timer, no rescan of the output, no exit listener.
    const done = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    const timer = setTimeout(() => {
      done();
      endCli(child);
      reject(new Error(`no URL printed:\n${text}`));
    }, timeoutMs);
    const onData = () => {
      const match = /whatsapp-connector demo: (http:\/\/127\.0\.0\.1:\d+) \(simulator\)/.exec(text);
      if (match && /Store: .*\n/.test(text)) {
        done();
        resolve(match[1]!);
      }
    };
    const onExit = () => {
      done();
      reject(new Error(`exited early:\n${text}`));
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
  return { child, output: () => text, url };
}

/**
 * Ends a started CLI whatever state it is in, so it cannot keep the test process (and CI)
 * alive. SIGTERM, not SIGKILL: scripts/start.mjs passes SIGTERM on to the demo process it
 * runs, while a SIGKILL would end start.mjs alone and leave the demo running, holding our
 * pipes open. Our ends of the pipes are closed too, in case the demo does not stop.
 */
export function endCli(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  child.stdout?.destroy();
  child.stderr?.destroy();
}
