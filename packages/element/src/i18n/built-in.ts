import { enBase } from './en.js';
import { esBase } from './es.js';
import { enLinking } from './linking/en.js';
import { esLinking } from './linking/es.js';
import { ptBRLinking } from './linking/pt-BR.js';
import { ptBRBase } from './pt-BR.js';
import { withOverrides, type BuiltInLanguage } from './resolve.js';
import type { WacStrings } from './strings.js';

// Every language at once, for integrators who render texts themselves. The
// element does not import this file: it loads only the language it speaks, and
// the linking view's texts only with that view (see catalog.ts).

/** Built-in English texts. */
export const en: WacStrings = { ...enBase, ...enLinking };
/** Built-in Spanish texts. */
export const es: WacStrings = { ...esBase, ...esLinking };
/** Built-in Brazilian Portuguese texts. */
export const ptBR: WacStrings = { ...ptBRBase, ...ptBRLinking };

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
