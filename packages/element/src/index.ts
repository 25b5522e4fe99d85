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
export { BUILT_IN_STRINGS, en, es, ptBR, stringsFor } from './i18n/built-in.js';
