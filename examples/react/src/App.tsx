import '@whatsapp-connector/element/define';
// Types <whatsapp-connector> in TSX: attributes, properties and onwac-* events.
import type {} from '@whatsapp-connector/element/jsx-react';
import { useState } from 'react';
import type { HeadersInput } from '@whatsapp-connector/client';
import type { WacStrings } from '@whatsapp-connector/element';
import { SessionSummary } from './SessionSummary.js';

/** The widget's texts this app words its own way: an object, so a property (never an attribute). */
const STRINGS: Partial<WacStrings> = { qrTitle: 'Link the team’s WhatsApp' };

/** Props of {@link App}. */
export interface AppProps {
  /** The session endpoint of your backend. */
  endpoint?: string;
  /**
   * Request headers, for an app that authorizes with a token:
   * `() => ({ Authorization: \`Bearer ${token}\` })`. Widget and hook share one client,
   * which takes the headers of whichever asks first: give both the same.
   */
  headers?: HeadersInput;
}

/**
 * React 19: `<whatsapp-connector>` used directly, in a page rendered in the browser only.
 * React sets `endpoint` as a property and subscribes `onwac-*` props to the element's
 * events. On a server-rendered page use `@whatsapp-connector/react`'s wrapper instead:
 * after hydration React 19 applies neither `onwac-*` listeners nor object properties
 * (react#35446). Next to it, a summary made with the `useWhatsAppSession()` hook; both use
 * the same endpoint, hence one shared client.
 */
export function App({ endpoint = '/api/whatsapp/session', headers }: AppProps) {
  const [log, setLog] = useState<string[]>([]);
  const note = (line: string) => setLog((lines) => [...lines, line]);

  return (
    <main>
      <h1>WhatsApp</h1>
      <SessionSummary endpoint={endpoint} headers={headers} />
      <whatsapp-connector
        endpoint={endpoint}
        lang="en"
        strings={STRINGS}
        headers={headers}
        onwac-status-change={(event) => note(`status: ${event.detail.status}`)}
        onwac-connected={(event) => note(`connected: ${event.detail.me?.id ?? 'unknown'}`)}
        onwac-action={(event) => note(`action: ${event.detail.action} ${event.detail.stage}`)}
      />
      <ol aria-label="Events" data-testid="log">
        {log.map((line, index) => (
          <li key={index}>{line}</li>
        ))}
      </ol>
    </main>
  );
}
