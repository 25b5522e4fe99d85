'use server';
// The fake sign-in and sign-out (Server Actions). A real app signs users in through its
// own authentication; only the organization matters to the WhatsApp route.
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { SESSION_COOKIE, demoUser } from '@/lib/auth';

/** Signs in as the demo user the form names (`user`), then shows the settings page. */
export async function signIn(form: FormData): Promise<void> {
  const user = demoUser(String(form.get('user') ?? ''));
  if (user) (await cookies()).set(SESSION_COOKIE, user.id, { httpOnly: true, sameSite: 'lax', path: '/' });
  redirect('/');
}

/** Signs out: the WhatsApp route answers 401 from then on. */
export async function signOut(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
  redirect('/');
}
