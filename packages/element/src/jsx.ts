import type { HeadersInput, SessionClient } from '@whatsapp-connector/client';
import type { WacEventMap } from './events.js';
import type { WacStrings } from './i18n/strings.js';
import type { WacTheme } from './whatsapp-connector.js';

/**
 * The attributes and properties of `<whatsapp-connector>` as JSX props, for any
 * JSX that sets properties on custom elements (React 19, Preact, Solid):
 * the attributes (`qr-interval`…) and the properties (`qrInterval`, and the
 * object ones an attribute cannot carry: `client`, `strings`, `headers`).
 */
export interface WhatsAppConnectorAttributes {
  /** The session endpoint URL. */
  endpoint?: string;
  /** The language: `es`, `en`, `pt-BR`, or a regional tag such as `es-MX`. */
  lang?: string;
  /** `light`, `dark` or `auto`. */
  theme?: WacTheme;
  /** The `credentials` mode of requests. */
  credentials?: RequestCredentials;
  /** Polling interval while waiting, in ms (attribute). */
  'qr-interval'?: number | string;
  /** Polling interval while connected, in ms (attribute). */
  'connected-interval'?: number | string;
  /** Polling interval while waiting, in ms (property). */
  qrInterval?: number;
  /** Polling interval while connected, in ms (property). */
  connectedInterval?: number;
  /** A session client to use instead of one made from `endpoint` (property). */
  client?: SessionClient;
  /** Texts to override (property). */
  strings?: Partial<WacStrings>;
  /** Extra request headers, or a function returning them (property). */
  headers?: HeadersInput;
  /** While present, the element sends nothing (server rendering, until the properties are set). */
  'defer-hydration'?: boolean | '';
}

/**
 * The `wac-*` events as `onwac-*` JSX props (`onwac-connected`…), the way React
 * 19 and Preact name a custom element's event listeners.
 */
export type WhatsAppConnectorEventProps = {
  [K in keyof WacEventMap as `on${K}`]?: (event: WacEventMap[K]) => void;
};

/** Every JSX prop of `<whatsapp-connector>` besides a framework's own (`class`, `style`, `ref`…). */
export type WhatsAppConnectorJsxProps = WhatsAppConnectorAttributes & WhatsAppConnectorEventProps;

/**
 * `<whatsapp-connector>` for a JSX namespace in the Preact / Solid style: merge it
 * into the framework's `IntrinsicElements`.
 *
 * @example
 * ```ts
 * import type { WhatsAppConnectorIntrinsicElements } from '@whatsapp-connector/element';
 *
 * declare module 'preact' {
 *   namespace JSX {
 *     interface IntrinsicElements extends WhatsAppConnectorIntrinsicElements {}
 *   }
 * }
 * ```
 */
export interface WhatsAppConnectorIntrinsicElements {
  /** The widget. */
  'whatsapp-connector': WhatsAppConnectorJsxProps & { class?: string; id?: string; style?: string | object; children?: never };
}
