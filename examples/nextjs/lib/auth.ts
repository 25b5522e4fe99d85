/**
 * A stand-in for your application's own authentication (Auth.js' `auth()`, Clerk, Lucia,
 * iron-session…). The session route needs one thing from it: the signed-in user's
 * organization. The WhatsApp widget never names an organization.
 *
 * NOT secure, on purpose: the cookie holds a demo user's name and anyone can set it. A
 * real app reads a signed or server-side session here. There is no secret in this file.
 */
import { cookies } from 'next/headers';

/** The signed-in user as the app knows it. */
export interface AppSession {
  readonly user: { readonly id: string; readonly name: string; readonly organizationId: string; readonly organizationName: string };
}

/** The cookie the fake sign-in sets. */
export const SESSION_COOKIE = 'demo_user';

/** The demo users, each in an organization (two organizations: two WhatsApp sessions). */
export const DEMO_USERS: readonly AppSession['user'][] = [
  { id: 'ana', name: 'Ana', organizationId: '42', organizationName: 'Acme' },
  { id: 'luis', name: 'Luis', organizationId: '7', organizationName: 'Globex' },
];

/** The user a cookie value names, or `null` for an unknown one. */
export function demoUser(id: string | undefined): AppSession['user'] | null {
  return DEMO_USERS.find((user) => user.id === id) ?? null;
}

/** The caller's session, or `null` when nobody is signed in. Works in Server Components, Server Actions and route handlers. */
export async function auth(): Promise<AppSession | null> {
  const user = demoUser((await cookies()).get(SESSION_COOKIE)?.value);
  return user ? { user } : null;
}
