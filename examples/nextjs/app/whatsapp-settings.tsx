'use client';
// The widget with event handlers: functions cannot cross from a Server Component, so the
// component that listens lives here, behind 'use client'. The React wrapper, not the bare
// <whatsapp-connector> tag, because this page is server-rendered: while hydrating, React 19
// neither attaches onwac-* listeners nor sets object properties (headers, strings) on a
// custom element; they would apply only after a later re-render (react#35446). The wrapper
// sets them from an effect, after hydration.
import { useState } from 'react';
import { WhatsAppConnector } from '@whatsapp-connector/react';

// Sent with every session request (not with the stream: EventSource cannot send headers).
// Many apps' auth middleware answers 401 JSON instead of a sign-in redirect when it sees it.
const HEADERS = { 'X-Requested-With': 'XMLHttpRequest' };

export function WhatsAppSettings() {
  const [linked, setLinked] = useState<string | null>(null);
  return (
    <section>
      <WhatsAppConnector
        endpoint="/api/whatsapp/session"
        lang="en"
        headers={HEADERS}
        onConnected={(event) => setLinked(event.detail.me?.pushName ?? event.detail.me?.id ?? '')}
        onDisconnected={() => setLinked(null)}
      />
      <p role="status" id="linked">
        {linked === null ? 'No WhatsApp number linked yet.' : `Linked: ${linked}`}
      </p>
    </section>
  );
}
