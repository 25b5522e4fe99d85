import { useState } from 'react';
import { WhatsAppConnector } from '@whatsapp-connector/react';
import type { SessionClient } from '@whatsapp-connector/client';

/** Props of {@link LegacyApp}. */
export interface LegacyAppProps {
  /** The session endpoint of your backend. */
  endpoint?: string;
  /** A client of your own (tests, custom transports); when set, `endpoint` is ignored. */
  client?: SessionClient;
}

/**
 * React 18 (works on 19 too): React 18 would turn object props into attributes and cannot
 * listen to custom events, so the widget goes through `@whatsapp-connector/react`'s
 * `WhatsAppConnector`, which sets properties and maps `onConnected`, `onStatusChange`…
 */
export function LegacyApp({ endpoint = '/api/whatsapp/session', client }: LegacyAppProps) {
  const [linked, setLinked] = useState<string | null>(null);
  const [log, setLog] = useState<string[]>([]);
  const note = (line: string) => setLog((lines) => [...lines, line]);

  return (
    <main>
      <h1>WhatsApp {linked ? <small data-testid="linked">({linked})</small> : null}</h1>
      <WhatsAppConnector
        endpoint={endpoint}
        client={client}
        lang="en"
        onStatusChange={(event) => note(`status: ${event.detail.status}`)}
        onConnected={(event) => setLinked(event.detail.me?.pushName ?? event.detail.me?.id ?? 'linked')}
        onAction={(event) => note(`action: ${event.detail.action} ${event.detail.stage}`)}
      />
      <ol aria-label="Events" data-testid="log">
        {log.map((line, index) => (
          <li key={index}>{line}</li>
        ))}
      </ol>
    </main>
  );
}
