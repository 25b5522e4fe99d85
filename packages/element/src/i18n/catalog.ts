import { lazy, type Lazy } from '../lazy.js';
import type { BuiltInLanguage } from './resolve.js';
import type { WacStrings } from './strings.js';

/**
 * Each built-in language in its own chunk: a page downloads only the language
 * its element speaks (about 1 KB gzip each), not all of them.
 */
export const LANGUAGES: Readonly<Record<BuiltInLanguage, Lazy<WacStrings>>> = {
  en: lazy(() => import('./en.js').then((module) => module.en)),
  es: lazy(() => import('./es.js').then((module) => module.es)),
  'pt-BR': lazy(() => import('./pt-BR.js').then((module) => module.ptBR)),
};
