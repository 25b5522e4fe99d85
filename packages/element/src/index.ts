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
export { WhatsAppConnector, DEFAULT_CONNECTED_INTERVAL, DEFAULT_QR_INTERVAL, type WacTheme } from './whatsapp-connector.js';
export { emit } from './events.js';
export type * from './events.js';
export type { WacStrings } from './i18n/strings.js';
export { BUILT_IN_STRINGS, resolveLanguage, stringsFor, type BuiltInLanguage } from './i18n/resolve.js';
export { en } from './i18n/en.js';
export { es } from './i18n/es.js';
export { ptBR } from './i18n/pt-BR.js';
export { displayPhone, formatPhone, normalizePhoneInput, phoneDigits } from './phone.js';
