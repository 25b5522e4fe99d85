import type { HeadersInput } from '@whatsapp-connector/client';
import { useWhatsAppSession } from '@whatsapp-connector/react';

/** Props of {@link SessionSummary}. */
export interface SessionSummaryProps {
  /** The session endpoint; the same one as the widget, so both share one client (one poll). */
  endpoint: string;
  /** Request headers (the widget's own: the shared client takes those of whichever asks first). */
  headers?: HeadersInput | undefined;
}

/**
 * A custom status line built with the `useWhatsAppSession()` hook over the headless
 * client: the phase, the linked account and a button wired to the client's action.
 */
export function SessionSummary({ endpoint, headers }: SessionSummaryProps) {
  const { snapshot, reconnect } = useWhatsAppSession({ endpoint, ...(headers ? { headers } : {}) });
  const busy = snapshot.pendingAction !== null;
  return (
    <section aria-label="WhatsApp session summary" data-testid="summary">
      <p>
        Session: <strong data-testid="phase">{snapshot.phase}</strong>
        {snapshot.me ? <span data-testid="account"> — {snapshot.me.pushName ?? snapshot.me.id}</span> : null}
      </p>
      {snapshot.phase === 'failed' || snapshot.phase === 'qr-expired' ? (
        <button type="button" data-testid="relink" disabled={busy} onClick={() => void reconnect()}>
          Link again
        </button>
      ) : null}
    </section>
  );
}
