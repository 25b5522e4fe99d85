// React 19 renders custom elements natively: props that are element properties are set as
// properties, and `on<event-name>` props listen to that event. This declaration gives
// <whatsapp-connector> typed props in TSX.
import type { SessionClient } from '@whatsapp-connector/client';
import type { WacEventMap, WhatsAppConnector } from '@whatsapp-connector/element';
import type { DetailedHTMLProps, HTMLAttributes } from 'react';

type WacEventProps = {
  [K in keyof WacEventMap as `on${K}`]?: (event: WacEventMap[K]) => void;
};

/** The props of <whatsapp-connector> in React 19 TSX. */
export type WhatsAppConnectorJsxProps = DetailedHTMLProps<HTMLAttributes<WhatsAppConnector>, WhatsAppConnector> &
  WacEventProps & {
    endpoint?: string;
    client?: SessionClient;
    theme?: 'light' | 'dark' | 'auto';
    credentials?: RequestCredentials;
    qrInterval?: number;
    connectedInterval?: number;
  };

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'whatsapp-connector': WhatsAppConnectorJsxProps;
    }
  }
}
