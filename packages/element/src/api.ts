// What both entry points export: index.ts adds the language catalogs, which
// define.ts leaves out so that a page loads only the language it speaks.
export { WhatsAppConnector, DEFAULT_CONNECTED_INTERVAL, DEFAULT_QR_INTERVAL, type WacTheme } from './whatsapp-connector.js';
export { emit, WAC_EVENT_NAMES } from './events.js';
export { defineWhatsAppConnector, TAG_NAME } from './registration.js';
export type * from './events.js';
export type { WacBaseStrings, WacLinkingStrings, WacStrings } from './i18n/strings.js';
export { resolveLanguage, type BuiltInLanguage } from './i18n/resolve.js';
export { displayPhone, formatPhone, phoneDigits } from './phone.js';
export type { WhatsAppConnectorAttributes, WhatsAppConnectorEventProps, WhatsAppConnectorIntrinsicElements, WhatsAppConnectorJsxProps } from './jsx.js';
