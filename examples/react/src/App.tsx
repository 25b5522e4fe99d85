import '@whatsapp-connector/element/define';
// Types <whatsapp-connector> in TSX: attributes, properties and onwac-* events.
import type {} from '@whatsapp-connector/element/jsx-react';
import { useState } from 'react';
import { SessionSummary } from './SessionSummary.js';

/** Props of {@link App}. */
export interface AppProps {
  /** The session endpoint of your backend. */
  endpoint?: string;
}

/**
 * React 19: `<whatsapp-connector>` used directly, in a page rendered in the browser only.
 * React sets `endpoint` as a property and subscribes `onwac-*` props to the element's
 * events. On a server-rendered page use `@whatsapp-connector/react`'s wrapper instead:
 * after hydration React 19 applies neither `onwac-*` listeners nor object properties
 * (react#35446). Next to it, a summary made with the `useWhatsAppSession()` hook; both use
 * the same endpoint, hence one shared client.
 */
export function App({ endpoint = '/api/whatsapp/session' }: AppProps) {
  const [log, setLog] = useState<string[]>([]);
  const note = (line: string) => setLog((lines) => [...lines, line]);

  return (
    <main>
      <h1>WhatsApp</h1>
      <SessionSummary endpoint={endpoint} />
      <whatsapp-connector
        endpoint={endpoint}
        lang="en"
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
