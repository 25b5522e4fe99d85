/**
 * Registers `<whatsapp-connector>`. Importing this module twice (two bundles on
 * one page) is harmless: the first definition wins.
 *
 * @example
 * ```html
 * <script type="module" src="https://cdn.example/whatsapp-connector/define.js"></script>
 * <whatsapp-connector endpoint="/api/whatsapp/session" lang="es"></whatsapp-connector>
 * ```
 *
 * @module @whatsapp-connector/element/define
 */
import { WhatsAppConnector } from './whatsapp-connector.js';

// Everything but the language catalogs (`en`, `es`, `ptBR`, `BUILT_IN_STRINGS`,
// `stringsFor`): the element loads the one language it speaks on its own, and a
// re-export here would put all three in every standalone page.
export * from './api.js';

/** The tag name. */
export const TAG_NAME = 'whatsapp-connector';

/** Defines the tag unless something already did; answers the class in use. */
export function defineWhatsAppConnector(registry: CustomElementRegistry | undefined = globalThis.customElements): CustomElementConstructor | undefined {
  if (!registry) return undefined;
  const existing = registry.get(TAG_NAME);
  if (existing) return existing;
  registry.define(TAG_NAME, WhatsAppConnector);
  return WhatsAppConnector;
}

defineWhatsAppConnector();

declare global {
  interface HTMLElementTagNameMap {
    'whatsapp-connector': WhatsAppConnector;
  }
}
