/**
 * Types `<whatsapp-connector>` in React 19 TSX: its attributes, properties
 * (`headers`, `strings`, `client`…) and `onwac-*` event props. Import it once,
 * for its types only:
 *
 * ```ts
 * import type {} from '@whatsapp-connector/element/jsx-react';
 * ```
 *
 * On a server-rendered page use the `@whatsapp-connector/react` wrapper rather
 * than the bare tag: React 19 applies neither `onwac-*` listeners nor object
 * properties after hydration (react#35446). In client-only pages the bare tag is fine.
 *
 * @module @whatsapp-connector/element/jsx-react
 */
import type * as React from 'react';
import type { WhatsAppConnectorJsxProps } from './jsx.js';
import type { WhatsAppConnector } from './whatsapp-connector.js';

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      /** The widget: its attributes, properties and `onwac-*` events. */
      'whatsapp-connector': React.DetailedHTMLProps<React.HTMLAttributes<WhatsAppConnector>, WhatsAppConnector> & WhatsAppConnectorJsxProps;
    }
  }
}
