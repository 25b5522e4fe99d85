// app/api/whatsapp/session/route.ts — the session endpoint of <whatsapp-connector> as a
// Next.js App Router route handler. WAHA's URL and key come from the server environment
// (WAHA_API_URL, WAHA_API_KEY) and never reach the browser.
import { createSessionHandler } from '@whatsapp-connector/server';
import { auth } from '../../../../lib/auth.js';

// One handler per server process: it keeps the WAHA client and, here, an in-memory store of
// { sessionName, connected } per organization (pass `store` to persist it in your database).
const handler = createSessionHandler({
  // Your own authentication decides the organization; no org → 401.
  getOrganizationId: async (request) => (await auth(request))?.user.organizationId ?? null,
  sessionPrefix: 'eagles',
});

/** `GET /api/whatsapp/session`: the caller's organization's session (created on first use). */
export const GET = handler.session;

/** `POST /api/whatsapp/session` with `{"action": "reconnect" | "logout" | "change_number"}`. */
export const POST = handler.session;

// Session state must never be cached or prerendered.
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';
