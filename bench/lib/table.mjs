// The one figure format every benchmark reports, and the aligned text table the
// orchestrator prints. Plain JS so that scripts/bench.mjs can use it without tsx.

/**
 * Formats figures as an aligned table: figure / value / target / verdict, one
 * group heading per benchmark.
 */
export function formatTable(figures) {
  const header = ['figure', 'value', 'target', 'verdict'];
  const rows = [];
  let group = null;
  for (const f of figures) {
    if (f.group !== group) {
      group = f.group;
      rows.push({ heading: group });
    }
    rows.push({ cells: [`  ${f.label}`, f.display, f.target ?? '-', verdictText(f.verdict)] });
  }
  const cellRows = [header, ...rows.filter((r) => r.cells).map((r) => r.cells)];
  const widths = header.map((_, i) => Math.max(...cellRows.map((cells) => cells[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const row of rows) out.push(row.heading !== undefined ? `[${row.heading}]` : line(row.cells));
  const notes = figures.filter((f) => f.note).map((f) => `  * ${f.label}: ${f.note}`);
  if (notes.length > 0) out.push('', 'notes:', ...notes);
  return out.join('\n');
}

/** The verdict column: `ok`, `MISSED` (target not met), `OVER BUDGET` (past the enforced ceiling), `info` (no target), `n/a` (not measured). */
export function verdictText(verdict) {
  return verdict === 'missed' ? 'MISSED' : verdict === 'over budget' ? 'OVER BUDGET' : verdict;
}

/** Formats figures as a Markdown table (for docs/benchmarks.md), notes as a list under it. */
export function formatMarkdown(figures) {
  const escape = (text) => String(text).replace(/\|/g, '\\|');
  const out = ['| figure | value | target | verdict |', '|---|---|---|---|'];
  let group = null;
  for (const f of figures) {
    if (f.group !== group) {
      group = f.group;
      out.push(`| **${escape(group)}** | | | |`);
    }
    out.push(`| ${escape(f.label)} | ${escape(f.display)} | ${escape(f.target ?? '–')} | ${verdictText(f.verdict)} |`);
  }
  const notes = figures.filter((f) => f.note).map((f) => `- ${f.label}: ${f.note}`);
  if (notes.length > 0) out.push('', ...notes);
  return out.join('\n');
}
