import type { WahaSimulator } from '../../src/index.js';
import { call } from './http.js';
import type { Answer, CallOptions } from './http.js';

/** Lets the event loop turn once (I/O, then every queued promise job). */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Waits (real time, a safety net of 2 s) until `condition()` holds. */
export async function until(condition: () => boolean, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await flush();
}

/** A request sent and not awaited: the test moves the clock while WAHA "sleeps". */
export interface PendingCall {
  /** Settles with the answer once WAHA writes it. */
  readonly answer: Promise<Answer>;
  /** Its status in the simulator's request log: 0 while WAHA has not answered. */
  status(): number;
  /** When the simulator answered, on its clock (null while pending). */
  answeredAt(): number | null;
}

/**
 * Sends a request and resolves once the simulator has received it and run every step it
 * can without the clock moving (so its sleep is scheduled): the test can then tick.
 */
export async function send(sim: WahaSimulator, method: string, path: string, options: CallOptions = {}): Promise<PendingCall> {
  const index = sim.requestLog().length;
  const answer = call(sim, method, path, options);
  answer.catch(() => undefined);
  await until(() => sim.requestLog().length > index, `${method} ${path} to arrive`);
  // A body is read after arrival: give it a few turns to be parsed and acted on.
  for (let i = 0; i < 5; i += 1) await flush();
  const entry = () => sim.requestLog()[index];
  return { answer, status: () => entry()?.status ?? 0, answeredAt: () => entry()?.answeredAt ?? null };
}
