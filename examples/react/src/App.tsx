import '@whatsapp-connector/element/define';
import { useState } from 'react';
import type { WacEventMap } from '@whatsapp-connector/element';
import { SessionSummary } from './SessionSummary.js';

/** Props of {@link App}. */
export interface AppProps {
  /** The session endpoint of your backend. */
  endpoint?: string;
}

/**
 * React 19: `<whatsapp-connector>` used directly. React sets `endpoint` as a property and
 * subscribes `onwac-*` props to the element's events. Next to it, a summary made with the
 * `useWhatsAppSession()` hook; both use the same endpoint, hence one shared client.
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
        onwac-status-change={(event: WacEventMap['wac-status-change']) => note(`status: ${event.detail.status}`)}
        onwac-connected={(event: WacEventMap['wac-connected']) => note(`connected: ${event.detail.me?.id ?? 'unknown'}`)}
        onwac-action={(event: WacEventMap['wac-action']) => note(`action: ${event.detail.action} ${event.detail.stage}`)}
      />
      <ol aria-label="Events" data-testid="log">
        {log.map((line, index) => (
          <li key={index}>{line}</li>
        ))}
      </ol>
    </main>
  );
}
