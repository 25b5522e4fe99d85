// app/api/whatsapp/session/[[...slug]]/route.ts — one route for everything the widget and
// WAHA call: GET/POST /api/whatsapp/session (the session), GET …/session/stream (the push
// stream) and POST …/session/webhook (WAHA's webhooks). The optional catch-all [[...slug]]
// also matches the bare /api/whatsapp/session; the handler serves exactly these three paths
// (under its basePath, default /api/whatsapp/session) and answers 404 to any other.
import { createSessionHandler } from '@whatsapp-connector/server';
import { auth } from '@/lib/auth';

// One handler per server process: it holds the WAHA client, the open streams and, here,
// an in-memory store (pass `store` to keep { sessionName, connected } in your database).
// WAHA's URL and key come from WAHA_API_URL / WAHA_API_KEY and never reach the browser.
const whatsapp = createSessionHandler({
  getOrganizationId: async () => (await auth())?.user.organizationId ?? null, // null → 401
  stream: true, // push: GET …/session/stream
  // WAHA's session.status webhooks, at POST …/session/webhook of this same route. Off while
  // WAHA_WEBHOOK_TOKEN is unset; with WAHA_WEBHOOK_URL (this route's public URL) every
  // session created here registers it in WAHA.
  webhook: { token: process.env.WAHA_WEBHOOK_TOKEN, url: process.env.WAHA_WEBHOOK_URL },
});

export const GET = whatsapp;
export const POST = whatsapp;
export const dynamic = 'force-dynamic'; // a live session is never cached or prerendered
export const runtime = 'nodejs'; // the stream and the WAHA client run on Node, not on the Edge runtime
