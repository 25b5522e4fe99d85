import { lazy, type Lazy } from '../lazy.js';
import type { BuiltInLanguage } from './resolve.js';
import type { WacBaseStrings } from './strings.js';

/**
 * Each built-in language in its own chunk: a page downloads only the language
 * its element speaks, not all of them.
 */
export const LANGUAGES: Readonly<Record<BuiltInLanguage, Lazy<WacBaseStrings>>> = {
  en: lazy(() => import('./en.js').then((module) => module.enBase)),
  es: lazy(() => import('./es.js').then((module) => module.esBase)),
  'pt-BR': lazy(() => import('./pt-BR.js').then((module) => module.ptBRBase)),
};
