/**
 * `<whatsapp-connector>`: the drop-in widget that links a WhatsApp number.
 *
 * This entry point has no side effects: it exports the class (register it
 * yourself, e.g. in a scoped registry) and its types. Import
 * `@whatsapp-connector/element/define` to register the tag.
 *
 * @packageDocumentation
 * @module @whatsapp-connector/element
 */
export * from './api.js';
export { BUILT_IN_STRINGS, stringsFor } from './i18n/built-in.js';
export { en } from './i18n/en.js';
export { es } from './i18n/es.js';
export { ptBR } from './i18n/pt-BR.js';
