'use client';
/**
 * React bindings of whatsapp-connector:
 *
 * - {@link WhatsAppConnector}: the `<whatsapp-connector>` widget as a React component
 *   (properties and `on*` event props; React 18 and 19).
 * - {@link useWhatsAppSession}: the headless session client as a hook, for your own UI.
 *
 * React is a peer dependency (`^18 || ^19`). Importing this package on a server is
 * safe: the tag is defined only in a browser (where a `document` exists). The module
 * is marked `'use client'`: a React Server Component may render
 * {@link WhatsAppConnector} directly (without event props, which are functions).
 *
 * @packageDocumentation
 * @module @whatsapp-connector/react
 */
export { WhatsAppConnector, type WhatsAppConnectorProps } from './component.js';
export { useWhatsAppSession, type UseWhatsAppSessionOptions, type WhatsAppSession } from './use-whatsapp-session.js';
export type {
  WacActionDetail,
  WacConnectedDetail,
  WacDisconnectedDetail,
  WacErrorDetail,
  WacEventMap,
  WacFailedDetail,
  WacQrDetail,
  WacStatusChangeDetail,
} from '@whatsapp-connector/element';
export type { ActionResult, SessionClient, SessionClientOptions, SessionPhase, SessionSnapshot } from '@whatsapp-connector/client';
