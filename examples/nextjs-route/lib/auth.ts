/**
 * A stand-in for the host application's own authentication (NextAuth's `auth()`, Clerk,
 * Lucia, an iron-session cookie…). The session endpoint only needs one thing from it:
 * the organization of the signed-in user. The WhatsApp widget never names an org.
 */

/** The signed-in user as the host app knows it. */
export interface AppSession {
  readonly user: { readonly id: string; readonly organizationId: string };
}

/** The cookie this fake app signs users in with. */
export const SESSION_COOKIE = 'app_session';

// In a real app: a database or a signed token. Here: two known sessions.
const sessions = new Map<string, AppSession>([
  ['token-ana', { user: { id: 'ana', organizationId: '42' } }],
  ['token-luis', { user: { id: 'luis', organizationId: '7' } }],
]);

function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** The caller's session, or `null` when nobody is signed in. */
export async function auth(request: Request): Promise<AppSession | null> {
  const token = readCookie(request, SESSION_COOKIE);
  return (token && sessions.get(token)) || null;
}
