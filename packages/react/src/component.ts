import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { WhatsAppConnector as WhatsAppConnectorElement, type WacEventMap } from '@whatsapp-connector/element';

const TAG_NAME = 'whatsapp-connector';

// Registers <whatsapp-connector> in the browser only: on a server there is nothing to
// upgrade (Lit's Node build merely shims the registry), so importing this package during
// server-side rendering defines nothing. Not `@whatsapp-connector/element/define`, which
// defines on import wherever a registry exists. Idempotent like it: the first definition wins.
if (typeof document !== 'undefined' && globalThis.customElements && !globalThis.customElements.get(TAG_NAME)) {
  globalThis.customElements.define(TAG_NAME, WhatsAppConnectorElement);
}

/** The `wac-*` events as React props of {@link WhatsAppConnector}. */
const events = {
  onStatusChange: 'wac-status-change' as EventName<WacEventMap['wac-status-change']>,
  onConnected: 'wac-connected' as EventName<WacEventMap['wac-connected']>,
  onDisconnected: 'wac-disconnected' as EventName<WacEventMap['wac-disconnected']>,
  onFailed: 'wac-failed' as EventName<WacEventMap['wac-failed']>,
  onQr: 'wac-qr' as EventName<WacEventMap['wac-qr']>,
  onAction: 'wac-action' as EventName<WacEventMap['wac-action']>,
  onError: 'wac-error' as EventName<WacEventMap['wac-error']>,
};

/**
 * `<whatsapp-connector>` as a React component, for React 18 and 19 alike.
 *
 * Made with `@lit/react`'s `createComponent`: every prop that is a property of the
 * element (`endpoint`, `client`, `strings`, `headers`, `qrInterval`, …) is set as a
 * property (React 18 would otherwise stringify objects into attributes), and the
 * element's `wac-*` events are props:
 *
 * | prop | event | detail |
 * |---|---|---|
 * | `onStatusChange` | `wac-status-change` | `{ status, previousStatus, phase }` |
 * | `onConnected` | `wac-connected` | `{ me }` |
 * | `onDisconnected` | `wac-disconnected` | `{ me, status }` |
 * | `onFailed` | `wac-failed` | `{ status, error }` |
 * | `onQr` | `wac-qr` | `{ qr, qrImage }` |
 * | `onAction` | `wac-action` | `{ action, stage, error? }` |
 * | `onError` | `wac-error` | `{ error }` |
 *
 * A `ref` gives the element itself (its `reconnect()`, `changeNumber()`, `logout()`,
 * `refresh()` and `snapshot`).
 *
 * @example
 * ```tsx
 * import { WhatsAppConnector } from '@whatsapp-connector/react';
 *
 * export function Settings() {
 *   return (
 *     <WhatsAppConnector
 *       endpoint="/api/whatsapp/session"
 *       lang="es"
 *       onConnected={(event) => toast(`Linked ${event.detail.me?.id ?? ''}`)}
 *       onFailed={(event) => report(event.detail.error)}
 *     />
 *   );
 * }
 * ```
 */
export const WhatsAppConnector = createComponent({
  react: React,
  tagName: TAG_NAME,
  elementClass: WhatsAppConnectorElement,
  events,
  displayName: 'WhatsAppConnector',
});

/** The props of {@link WhatsAppConnector}: the element's properties, the `on*` event props and the usual HTML/React props. */
export type WhatsAppConnectorProps = React.ComponentProps<typeof WhatsAppConnector>;
