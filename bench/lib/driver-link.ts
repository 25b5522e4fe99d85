// The parent's side of bench/lib/load-driver.ts (the WAHA simulator and the load
// generator in a child process): commands out, typed messages in, in order.
import { fork, type ChildProcess } from 'node:child_process';
import type { DriverCommand, DriverMessage } from './load-driver.js';

/** A running load driver. */
export interface DriverLink {
  /** The child process. */
  readonly driver: ChildProcess;
  /** Sends one command. */
  command(cmd: DriverCommand): void;
  /**
   * The next message, which must be of `type`. Rejects on an `error` message, a message of
   * another type, and a driver that has ended (exited, killed, or never started) before answering.
   */
  expect<T extends DriverMessage['type']>(type: T): Promise<Extract<DriverMessage, { type: T }>>;
  /**
   * Ends the driver and resolves once it is gone: disconnects (the driver then closes its
   * simulator and exits), SIGKILL if it is still there 5 s later. Rejects unless the driver
   * exited with 0: it failed, or ended before it was asked to. Every call after the first gets the
   * first call's promise, so a bench can both await it and register it as a cleanup.
   */
  end(): Promise<void>;
}

const exitOf = (driver: ChildProcess): string =>
  driver.signalCode !== null ? `was ended by ${driver.signalCode}` : `exited with ${driver.exitCode}`;

/** How long `end()` waits for the driver to exit after disconnecting before it SIGKILLs it. */
const END_GRACE_MS = 5_000;

/**
 * Forks the load driver. A driver that ends early does not end this process: the pending
 * `expect()` (or the next one) rejects, and so does `end()`. A bench that ends, however it ends
 * (a throw, a signal, SIGKILL), takes its driver with it: the driver exits when its IPC channel
 * closes. So a bench needs its own teardown only for what it started outside its process
 * (bench/postgres-instances.ts: PostgreSQL and its database).
 */
export function startDriver(): DriverLink {
  const driver = fork(new URL('./load-driver.ts', import.meta.url), {
    execArgv: ['--conditions=source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const inbox: DriverMessage[] = [];
  const waiters: Array<{ resolve: (message: DriverMessage) => void; reject: (error: Error) => void }> = [];
  /** Why no message will come any more (set once the driver has ended). */
  let ended: Error | null = null;
  const end = (error: Error) => {
    ended ??= error;
    for (const waiter of waiters.splice(0)) waiter.reject(ended);
  };
  let isGone: () => void;
  /** Resolves once the driver is gone: exited, or never started. */
  const gone = new Promise<void>((resolve) => (isGone = resolve));
  driver.on('message', (message: DriverMessage) => {
    const waiter = waiters.shift();
    if (waiter) waiter.resolve(message);
    else inbox.push(message);
  });
  // The fork failed, or a command went to a channel the driver had closed: unheard, it would crash this process.
  driver.on('error', (error) => {
    end(new Error(`load driver: ${error.message}`));
    if (driver.pid === undefined) isGone();
  });
  driver.on('exit', () => {
    end(new Error(`load driver ${exitOf(driver)}`));
    isGone();
  });
  /** end()'s promise, once called. */
  let ending: Promise<void> | undefined;
  const next = (): Promise<DriverMessage> => {
    const queued = inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (ended) return Promise.reject(ended);
    return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
  };
  return {
    driver,
    command: (cmd) => {
      if (driver.connected) driver.send(cmd);
    },
    async expect(type) {
      let message: DriverMessage;
      try {
        message = await next();
      } catch (error) {
        throw new Error(`${(error as Error).message} before answering ${type}`);
      }
      if (message.type === 'error') throw new Error(`load driver: ${message.message}`);
      if (message.type !== type) throw new Error(`load driver answered ${message.type}, expected ${type}`);
      return message as Extract<DriverMessage, { type: typeof type }>;
    },
    end: () =>
      (ending ??= (async () => {
        if (driver.connected) driver.disconnect();
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), END_GRACE_MS)));
        if ((await Promise.race([gone, late])) === 'late') {
          process.stderr.write(`load driver: still running ${END_GRACE_MS / 1000} s after the bench disconnected; killed\n`);
          driver.kill('SIGKILL');
          await gone;
        }
        clearTimeout(timer);
        if (driver.exitCode !== 0) throw ended ?? new Error(`load driver ${exitOf(driver)}`);
      })()),
  };
}
