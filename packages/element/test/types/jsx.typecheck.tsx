// Checked by `npm run typecheck` (tsc), never run: the JSX typings shipped with the
// element accept what the element takes and refuse wrong types. Each @ts-expect-error
// fails the typecheck if the line it marks ever compiles.
import type {} from '@whatsapp-connector/element/jsx-react';
import type { WhatsAppConnectorIntrinsicElements, WhatsAppConnectorJsxProps } from '@whatsapp-connector/element';
import { createSessionClient } from '@whatsapp-connector/client';

const client = createSessionClient({ endpoint: '/api/whatsapp/session' });

// React 19 TSX: attributes, properties (object ones too) and onwac-* events, all typed.
export const full = (
  <whatsapp-connector
    endpoint="/api/whatsapp/session"
    lang="es"
    theme="dark"
    credentials="include"
    qr-interval="8000"
    connected-interval={30000}
    qrInterval={8000}
    connectedInterval={30000}
    client={client}
    strings={{ linkWhatsApp: 'Conectar' }}
    headers={async () => ({ Authorization: 'Bearer t' })}
    defer-hydration
    className="settings"
    onwac-status-change={(event) => event.detail.phase.toUpperCase()}
    onwac-connected={(event) => event.detail.me?.pushName}
    onwac-disconnected={(event) => event.detail.status}
    onwac-failed={(event) => event.detail.error?.code}
    onwac-qr={(event) => event.detail.qr ?? event.detail.qrImage}
    onwac-action={(event) => event.detail.stage === 'error' && event.detail.error?.message}
    onwac-error={(event) => event.detail.error.code}
  />
);

// @ts-expect-error theme is light, dark or auto
export const badTheme = <whatsapp-connector theme="blue" />;
// @ts-expect-error headers is a record or a function, not a number
export const badHeaders = <whatsapp-connector headers={42} />;
// @ts-expect-error strings holds the element's texts only
export const badStrings = <whatsapp-connector strings={{ notAText: 'x' }} />;
// @ts-expect-error the connected event's detail has no qr
export const badDetail = <whatsapp-connector onwac-connected={(event) => event.detail.qr} />;
// @ts-expect-error a number is not a session client
export const badClient = <whatsapp-connector client={1} />;

// Preact / Solid style: the framework's IntrinsicElements extend the element's.
interface FrameworkIntrinsicElements extends WhatsAppConnectorIntrinsicElements {}
export const preactProps: FrameworkIntrinsicElements['whatsapp-connector'] = {
  endpoint: '/api/whatsapp/session',
  headers: { 'X-Org': '42' },
  strings: { tryAgain: 'Reintentar' },
  'onwac-connected': (event) => event.detail.me?.id,
  class: 'settings',
};
// @ts-expect-error credentials is a fetch credentials mode
export const badCredentials: WhatsAppConnectorJsxProps = { credentials: 'always' };
// @ts-expect-error an event handler receives the event, typed by name
export const badHandler: WhatsAppConnectorJsxProps = { 'onwac-qr': (event: CustomEvent<{ other: true }>) => event.detail.other };
