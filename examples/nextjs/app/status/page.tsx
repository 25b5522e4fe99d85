// A read-only status page: a Server Component that renders the React wrapper itself, with
// serializable props only (an event handler, being a function, needs a client component:
// see ../whatsapp-settings.tsx). This works because @whatsapp-connector/react is a client
// module ('use client' at the top of its dist); without it `next build` passes and this
// page fails at run time ("useRef is not a function", issue 13 item 4). A plain-object
// `headers` crosses too; the wrapper holds the element's first request until hydration has
// set it (issue 13 item 5: without that, a first GET went out without it and was aborted).
import { redirect } from 'next/navigation';
import { WhatsAppConnector } from '@whatsapp-connector/react';
import { auth } from '@/lib/auth';

export default async function StatusPage() {
  const session = await auth();
  if (!session) redirect('/');
  return (
    <main>
      <h1>WhatsApp status for {session.user.organizationName}</h1>
      <WhatsAppConnector endpoint="/api/whatsapp/session" lang="es" headers={{ 'X-Requested-With': 'XMLHttpRequest' }} />
      <p>
        <a href="/">Settings</a>
      </p>
    </main>
  );
}
