import type { Figure, Verdict } from './figure.js';

/** Formats figures as an aligned table: figure / value / target / verdict. */
export function formatTable(figures: readonly Figure[]): string;
/** The verdict column text. */
export function verdictText(verdict: Verdict): string;
