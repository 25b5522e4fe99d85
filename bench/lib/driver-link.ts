// The parent's side of bench/lib/load-driver.ts (the WAHA simulator and the load
// generator in a child process): commands out, typed messages in, in order.
import { fork, type ChildProcess } from 'node:child_process';
import type { DriverCommand, DriverMessage } from './load-driver.js';

/** A running load driver. */
export interface DriverLink {
  /** The child process (wait for its `exit` after `close`). */
  readonly driver: ChildProcess;
  /** Sends one command. */
  command(cmd: DriverCommand): void;
  /** The next message, which must be of `type` (an `error` message or another type throws). */
  expect<T extends DriverMessage['type']>(type: T): Promise<Extract<DriverMessage, { type: T }>>;
}

/** Forks the load driver; a driver that dies with an error ends this process too (a bench must not hang). */
export function startDriver(): DriverLink {
  const driver = fork(new URL('./load-driver.ts', import.meta.url), {
    execArgv: ['--conditions=source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const inbox: DriverMessage[] = [];
  const waiters: Array<(message: DriverMessage) => void> = [];
  driver.on('message', (message: DriverMessage) => {
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else inbox.push(message);
  });
  driver.on('exit', (code) => {
    if (code !== 0 && code !== null) {
      process.stderr.write(`load driver exited with ${code}\n`);
      process.exit(1);
    }
  });
  const next = (): Promise<DriverMessage> => {
    const queued = inbox.shift();
    return queued ? Promise.resolve(queued) : new Promise((resolve) => waiters.push(resolve));
  };
  return {
    driver,
    command: (cmd) => void driver.send(cmd),
    async expect(type) {
      const message = await next();
      if (message.type === 'error') throw new Error(`load driver: ${message.message}`);
      if (message.type !== type) throw new Error(`load driver answered ${message.type}, expected ${type}`);
      return message as Extract<DriverMessage, { type: typeof type }>;
    },
  };
}
