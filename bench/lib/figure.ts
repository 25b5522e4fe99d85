// What every benchmark reports: a list of figures, written as JSON where the
// orchestrator asks for it (WAC_BENCH_OUT), else printed as a table.
import { writeFileSync } from 'node:fs';
import { formatTable } from './table.mjs';

/** `ok` / `missed` against a target, `info` when there is no target, `n/a` when not measured. */
export type Verdict = 'ok' | 'missed' | 'info' | 'n/a';

/** One measured figure. */
export interface Figure {
  /** Stable id, e.g. `rph.working`, for comparing runs. */
  readonly id: string;
  /** The benchmark it belongs to (the table's group heading). */
  readonly group: string;
  /** What it is, in words. */
  readonly label: string;
  /** The number, or `null` when it could not be measured. */
  readonly value: number | null;
  /** Unit of `value` (`req/h`, `ms`, `bytes`, …). */
  readonly unit: string;
  /** `value` as shown in the table. */
  readonly display: string;
  /** The target in words, or `null`. */
  readonly target: string | null;
  /** How `value` compares with the target. */
  readonly verdict: Verdict;
  /** A caveat worth printing under the table. */
  readonly note?: string;
}

/** What a benchmark file hands back. */
export interface BenchResult {
  readonly name: string;
  readonly figures: readonly Figure[];
  /** Raw samples and settings, kept in the JSON for later comparison. */
  readonly details?: Record<string, unknown>;
}

/** A figure with a numeric target: `ok` when `value` satisfies `meets`. */
export function measured(
  base: Omit<Figure, 'verdict' | 'display'> & { display?: string },
  meets?: (value: number) => boolean,
): Figure {
  const display = base.display ?? (base.value === null ? 'not measured' : `${base.value} ${base.unit}`);
  let verdict: Verdict;
  if (base.value === null) verdict = 'n/a';
  else if (meets === undefined) verdict = 'info';
  else verdict = meets(base.value) ? 'ok' : 'missed';
  return { ...base, display, verdict };
}

/** Hands the result to the orchestrator (JSON file), or prints it when run on its own. */
export function emit(result: BenchResult): void {
  const out = process.env.WAC_BENCH_OUT;
  if (out) writeFileSync(out, JSON.stringify(result, null, 2));
  else console.log(formatTable(result.figures));
}

/** Median / percentile of samples (nearest-rank), or `null` when there are none. */
export function percentile(samples: readonly number[], p: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? null;
}

/** Progress for people watching the run; stderr, so it never mixes with results. */
export function progress(message: string): void {
  process.stderr.write(`  · ${message}\n`);
}
