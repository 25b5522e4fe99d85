import { WhatsAppConnector } from './whatsapp-connector.js';

/** The tag name. */
export const TAG_NAME = 'whatsapp-connector';

// One warning per registry, however often the registration is called.
const warned = new WeakSet<CustomElementRegistry>();

/**
 * Defines `<whatsapp-connector>` in `registry` unless something already did, and
 * answers the class in use (`undefined` where there is no registry, e.g. on a
 * server). Registering twice is harmless: the first definition wins. When the
 * tag is held by another copy of the element (another version, or this one
 * bundled twice), a console warning says so: that copy's class serves every tag.
 *
 * `@whatsapp-connector/element/define` calls it on import; call it yourself
 * with the side-effect-free entry point (e.g. only in a browser).
 */
export function defineWhatsAppConnector(registry: CustomElementRegistry | undefined = globalThis.customElements): CustomElementConstructor | undefined {
  if (!registry) return undefined;
  const existing = registry.get(TAG_NAME);
  if (!existing) registry.define(TAG_NAME, WhatsAppConnector);
  else if (existing !== WhatsAppConnector && !warned.has(registry)) {
    warned.add(registry);
    console.warn(`<${TAG_NAME}> is already defined by another copy of the element (loaded twice?): that one is used.`);
  }
  return existing ?? WhatsAppConnector;
}
