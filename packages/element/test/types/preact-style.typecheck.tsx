/** @jsxRuntime classic */
/** @jsx h */
// Checked by `npm run typecheck` (tsc), never run: TSX compiled against a JSX factory
// in the Preact / Solid style (preact-style.ts), whose JSX.IntrinsicElements extends
// WhatsAppConnectorIntrinsicElements. Each @ts-expect-error fails the typecheck if
// the line it marks ever compiles.
import { createSessionClient } from '@whatsapp-connector/client';
import { h } from './preact-style.js';

const client = createSessionClient({ endpoint: '/api/whatsapp/session' });

export const full = (
  <div class="settings">
    <whatsapp-connector
      endpoint="/api/whatsapp/session"
      lang="es"
      theme="auto"
      qr-interval="8000"
      connectedInterval={30000}
      client={client}
      headers={{ 'X-Org': '42' }}
      strings={{ tryAgain: 'Reintentar' }}
      onwac-connected={(event) => event.detail.me?.pushName}
      onwac-qr={(event) => event.detail.qr ?? event.detail.qrImage}
      onwac-action={(event) => event.detail.stage}
      class="x"
    />
  </div>
);

// @ts-expect-error theme is light, dark or auto
export const badTheme = <whatsapp-connector theme="blue" />;
// @ts-expect-error headers is a record or a function, not a number
export const badHeaders = <whatsapp-connector headers={42} />;
// @ts-expect-error strings holds the element's texts only
export const badStrings = <whatsapp-connector strings={{ notAText: 'x' }} />;
// @ts-expect-error the connected event's detail has no qr
export const badDetail = <whatsapp-connector onwac-connected={(event) => event.detail.qr} />;
// @ts-expect-error React's className is not a prop here: Preact and Solid take class
export const badClassName = <whatsapp-connector className="x" />;
// @ts-expect-error the element takes no children
export const badChildren = <whatsapp-connector>text</whatsapp-connector>;
