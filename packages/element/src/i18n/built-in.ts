import { en } from './en.js';
import { es } from './es.js';
import { ptBR } from './pt-BR.js';
import { withOverrides, type BuiltInLanguage } from './resolve.js';
import type { WacStrings } from './strings.js';

// Every language at once, for integrators who render texts themselves. The
// element does not import this file: it loads only the language it speaks
// (see catalog.ts).

/** Built-in texts by language. */
export const BUILT_IN_STRINGS: Readonly<Record<BuiltInLanguage, WacStrings>> = { en, es, 'pt-BR': ptBR };

/**
 * The built-in texts of `language` with `overrides` laid over them.
 *
 * @example
 * ```ts
 * stringsFor('es', { linkWhatsApp: 'Conectar' }).linkWhatsApp; // 'Conectar'
 * ```
 */
export function stringsFor(language: BuiltInLanguage, overrides?: Partial<WacStrings> | null): WacStrings {
  return withOverrides(BUILT_IN_STRINGS[language], overrides);
}
