// Shared helpers of the kit's tests.
import assert from 'node:assert/strict';
import { runConformance } from '../src/index.js';
import type { ConformanceOptions, ConformanceReport, CheckResult } from '../src/index.js';

/** Fast settings: the fake backends answer at once, so polls need only a short pause (generous limits for a loaded CI machine). */
export const FAST = { timeoutMs: 5_000, settleMs: 3_000, pollIntervalMs: 5 } as const;

/** Runs the kit with the fast settings. */
export function run(url: string, options: Partial<ConformanceOptions> = {}): Promise<ConformanceReport> {
  return runConformance({ url, ...FAST, ...options });
}

/** The result of one check, failing the test when it did not run. */
export function result(report: ConformanceReport, id: string): CheckResult {
  const found = report.results.find((entry) => entry.id === id);
  assert.ok(found, `check ${id} ran`);
  return found;
}

/** Asserts the outcome of one check (and, optionally, that its detail matches). */
export function expectOutcome(report: ConformanceReport, id: string, outcome: CheckResult['outcome'], detail?: RegExp): void {
  const found = result(report, id);
  assert.equal(found.outcome, outcome, `${id}: ${found.outcome} (${found.detail ?? 'no detail'})`);
  if (detail) assert.match(found.detail ?? '', detail, id);
}

/** The ids that failed, for messages. */
export function failures(report: ConformanceReport): string {
  return report.results
    .filter((entry) => entry.outcome === 'fail')
    .map((entry) => `${entry.id}: ${entry.detail ?? ''}`)
    .join('\n');
}
