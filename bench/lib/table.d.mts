import type { Figure, Verdict } from './figure.js';

/** Formats figures as an aligned table: figure / value / target / verdict. */
export function formatTable(figures: readonly Figure[]): string;
/** The verdict column text. */
export function verdictText(verdict: Verdict): string;
/** Formats figures as a Markdown table, notes as a list under it. */
export function formatMarkdown(figures: readonly Figure[]): string;
