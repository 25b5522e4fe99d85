import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import {
  TAG_NAME,
  WAC_EVENT_NAMES,
  WhatsAppConnector as WhatsAppConnectorElement,
  defineWhatsAppConnector,
  type WacEventMap,
  type WacEventName,
} from '@whatsapp-connector/element';

// Registers <whatsapp-connector> in the browser only, with the element's own registration
// (idempotent; it warns when another copy of the element holds the tag). On a server there
// is nothing to upgrade (Lit's Node build merely shims the registry), so importing this
// package during server-side rendering defines nothing.
if (typeof document !== 'undefined') defineWhatsAppConnector();

/** `status-change` → `StatusChange`. */
type Pascal<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Capitalize<Head>}${Pascal<Tail>}` : Capitalize<S>;

/** The React prop of a `wac-*` event: `wac-status-change` → `onStatusChange`. */
export type WacEventProp<E extends WacEventName> = E extends `wac-${infer Name}` ? `on${Pascal<Name>}` : never;

/** The `wac-*` events as React props of {@link WhatsAppConnector} (a type, not an interface: @lit/react wants an index-signature-compatible map). */
type WacEventProps = {
  /** `wac-status-change`: the session status changed. */
  onStatusChange: EventName<WacEventMap['wac-status-change']>;
  /** `wac-connected`: the session became `WORKING`. */
  onConnected: EventName<WacEventMap['wac-connected']>;
  /** `wac-disconnected`: the session left `WORKING`. */
  onDisconnected: EventName<WacEventMap['wac-disconnected']>;
  /** `wac-failed`: the session became `FAILED` or `ERROR`. */
  onFailed: EventName<WacEventMap['wac-failed']>;
  /** `wac-qr`: a new QR code is on screen. */
  onQr: EventName<WacEventMap['wac-qr']>;
  /** `wac-action`: a manual action started, succeeded or failed. */
  onAction: EventName<WacEventMap['wac-action']>;
  /** `wac-error`: a request (poll or action) failed. */
  onError: EventName<WacEventMap['wac-error']>;
};

// Fails to compile when the element gains an event this wrapper does not document as a prop.
const everyEventAProp: { [E in WacEventName as WacEventProp<E>]: EventName<WacEventMap[E]> } extends WacEventProps
  ? WacEventProps extends { [E in WacEventName as WacEventProp<E>]: EventName<WacEventMap[E]> }
    ? true
    : never
  : never = true;
void everyEventAProp;

/** The props, made from the element's own event list (`WAC_EVENT_NAMES`). */
const events = Object.fromEntries(
  WAC_EVENT_NAMES.map((name) => [`on${name.slice(4).replace(/(?:^|-)(\w)/g, (_, letter: string) => letter.toUpperCase())}`, name]),
) as unknown as WacEventProps;

const Wrapped = createComponent({
  react: React,
  tagName: TAG_NAME,
  elementClass: WhatsAppConnectorElement,
  events,
  displayName: 'WhatsAppConnector',
});

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
export const WhatsAppConnector = React.forwardRef<WhatsAppConnectorElement, React.ComponentPropsWithoutRef<typeof Wrapped>>((props, ref) =>
  // `defer-hydration`: the element sends nothing until @lit/react has set the properties
  // (headers, client, strings…) and removed the attribute, in its first layout effect. A
  // server-rendered page thus sends its first request, once, with them.
  React.createElement(Wrapped, { ...props, ref, ...({ 'defer-hydration': '' } as object) }),
);
WhatsAppConnector.displayName = 'WhatsAppConnector';

/** The props of {@link WhatsAppConnector}: the element's properties, the `on*` event props and the usual HTML/React props. */
export type WhatsAppConnectorProps = React.ComponentProps<typeof Wrapped>;
