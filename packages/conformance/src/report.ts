import type { CheckResult, ConformanceReport } from './types.js';

const LABELS: Readonly<Record<CheckResult['outcome'], string>> = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' };

/** Options of {@link formatReport}. */
export interface FormatOptions {
  /** Longest detail shown per row before it is cut with `…` (default 160; `Infinity` for all). */
  maxDetail?: number;
}

/** Cuts a detail to one line of at most `max` characters. */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, Math.max(0, max - 1))}…` : flat;
}

/** `12 passed, 1 failed, 3 skipped` — the last line of the CLI's output. */
export function formatSummary(report: Pick<ConformanceReport, 'passed' | 'failed' | 'skipped'>): string {
  return `${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`;
}

/**
 * The report as an aligned plain-text table (one row per check: outcome, id,
 * title, detail) followed by the summary line.
 *
 * @example
 * ```text
 * PASS  get.json                 GET answers 200 with a JSON object
 * FAIL  post.invalid-action-400  POST with an unknown action answers 400 invalid_action  expected HTTP 400, got HTTP 200 …
 *
 * 1 passed, 1 failed, 0 skipped
 * ```
 */
export function formatReport(report: ConformanceReport, options: FormatOptions = {}): string {
  const maxDetail = options.maxDetail ?? 160;
  const idWidth = Math.max(0, ...report.results.map((result) => result.id.length));
  const titleWidth = Math.max(0, ...report.results.map((result) => result.title.length));
  const rows = report.results.map((result) => {
    const cells = [LABELS[result.outcome], result.id.padEnd(idWidth), result.title.padEnd(titleWidth)];
    if (result.detail) cells.push(oneLine(result.detail, maxDetail));
    return cells.join('  ').trimEnd();
  });
  return [`Conformance of ${report.url}`, '', ...rows, '', formatSummary(report)].join('\n') + '\n';
}
