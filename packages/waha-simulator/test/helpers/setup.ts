import { createWahaSimulator } from '../../src/index.js';
import type { SimulatorOptions, WahaSimulator } from '../../src/index.js';
import { createTestClock } from './fake-clock.js';
import type { TestClock } from './fake-clock.js';

/** A simulator on a fake clock, listening on 127.0.0.1 port 0. */
export interface Harness {
  sim: WahaSimulator;
  clock: TestClock;
}

/**
 * Starts a listening simulator on a fresh fake clock; close it with `sim.close()` in `afterEach`.
 * The `fast` profile unless `options.profile` says otherwise: most tests check one behaviour
 * at a time, and the realistic profiles' quirks have tests of their own.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Harness> {
  const clock = createTestClock();
  const sim = createWahaSimulator({ clock, profile: 'fast', ...options });
  await sim.listen();
  return { sim, clock };
}

/** The default timings, spelled out so the tests read as the WAHA behaviour they check. */
export const STARTING_MS = 2000;
export const FIRST_QR_MS = 60_000;
export const NEXT_QR_MS = 20_000;
export const MAX_QRS = 6;
/** When an unattended session fails: 2 s + 60 s + 5 × 20 s. */
export const FAILS_AFTER_MS = STARTING_MS + FIRST_QR_MS + (MAX_QRS - 1) * NEXT_QR_MS;
