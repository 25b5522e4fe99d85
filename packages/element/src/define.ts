/**
 * Registers `<whatsapp-connector>` on import. Importing this module twice (two
 * bundles on one page) is harmless: the first definition wins, with a console
 * warning when it came from another copy of the element.
 *
 * @example
 * ```html
 * <script type="module" src="https://cdn.example/whatsapp-connector/define.js"></script>
 * <whatsapp-connector endpoint="/api/whatsapp/session" lang="es"></whatsapp-connector>
 * ```
 *
 * @module @whatsapp-connector/element/define
 */
import { defineWhatsAppConnector } from './registration.js';
import type { WhatsAppConnector } from './whatsapp-connector.js';

// Everything but the language catalogs (`en`, `es`, `ptBR`, `BUILT_IN_STRINGS`,
// `stringsFor`): the element loads the one language it speaks on its own.
export * from './api.js';

defineWhatsAppConnector();

declare global {
  interface HTMLElementTagNameMap {
    'whatsapp-connector': WhatsAppConnector;
  }
}
