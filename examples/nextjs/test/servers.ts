/**
 * The two processes an integrator runs: the installed `waha-simulator` command (WAHA's
 * stand-in, with its control API playing the phone) and `next start`, configured through
 * the environment as the example's README says.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The simulator and the Next.js app, running. */
export interface RunningExample {
  /** The app's origin, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The simulator's base URL (its control API is under `/__simulator`). */
  readonly wahaUrl: string;
  /** The app's and the simulator's output so far, for a failing test's diagnostics. */
  output(): string;
  /** Stops both processes. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 120_000;

/** Starts `command` and answers once a line of its output matches `ready` (with that match). */
function startProcess(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; ready: RegExp; log: string[] }) {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise<{ child: ChildProcess; match: RegExpMatchArray }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start in ${START_TIMEOUT_MS} ms:\n${options.log.join('')}`)), START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      options.log.push(chunk.toString());
      const match = options.log.join('').match(options.ready);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code ?? signal}) before it was ready:\n${options.log.join('')}`));
    });
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * A free port on 127.0.0.1. `next start -p 0` would pick one itself, but the app must know
 * its own webhook URL before it starts (it registers it with each WAHA session it creates).
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts the simulator (fast lifecycle: STARTING lasts `startingMs`) and the built app
 * in `appDir`, with a random WAHA key and webhook token (no secret is stored anywhere).
 */
export async function startExample(appDir: string, options: { startingMs: number }): Promise<RunningExample> {
  const simLog: string[] = [];
  const appLog: string[] = [];
  const apiKey = randomBytes(16).toString('hex');
  const sim = await startProcess(
    join(appDir, 'node_modules', '.bin', 'waha-simulator'),
    ['--profile', 'fast', '--port', '0', '--api-key', apiKey, '--starting-ms', String(options.startingMs)],
    { cwd: appDir, env: process.env, ready: /listening on (http:\/\/\S+)/, log: simLog },
  );
  const wahaUrl = sim.match[1]!;
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const app = await startProcess(
      process.execPath,
      [join(appDir, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(port), '-H', '127.0.0.1'],
      {
        cwd: appDir,
        env: {
          ...process.env,
          NEXT_TELEMETRY_DISABLED: '1',
          WAHA_API_URL: wahaUrl,
          WAHA_API_KEY: apiKey,
          WAHA_WEBHOOK_TOKEN: randomBytes(16).toString('hex'),
          WAHA_WEBHOOK_URL: `${url}/api/whatsapp/session/webhook`,
        },
        ready: /Ready in/,
        log: appLog,
      },
    );
    return {
      url,
      wahaUrl,
      output: () => `--- next start\n${appLog.join('')}\n--- waha-simulator\n${simLog.join('')}`,
      stop: async () => {
        await stopProcess(app.child);
        await stopProcess(sim.child);
      },
    };
  } catch (error) {
    await stopProcess(sim.child);
    throw error;
  }
}
