// The settings page, rendered on the server: who is signed in comes from the app's own
// authentication; the widget itself is a client component (./whatsapp-settings.tsx).
import { signIn, signOut } from './actions';
import { WhatsAppSettings } from './whatsapp-settings';
import { DEMO_USERS, auth } from '@/lib/auth';

export default async function SettingsPage() {
  const session = await auth();
  if (!session) {
    return (
      <main>
        <h1>Sign in</h1>
        <form action={signIn}>
          {DEMO_USERS.map((user) => (
            <p key={user.id}>
              <button type="submit" name="user" value={user.id}>
                Sign in as {user.name} ({user.organizationName})
              </button>
            </p>
          ))}
        </form>
      </main>
    );
  }
  const { user } = session;
  return (
    <main>
      <h1>WhatsApp for {user.organizationName}</h1>
      <p>Signed in as {user.name}.</p>
      <WhatsAppSettings />
      <p>
        <a href="/status">Status page</a> (a Server Component rendering the wrapper)
      </p>
      <form action={signOut}>
        <button type="submit">Sign out</button>
      </form>
    </main>
  );
}
