import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import {
  SessionError,
  acquireSessionClient,
  initialSnapshot,
  resolveCredentials,
  resolveEndpoint,
  type ActionResult,
  type SessionAction,
  type SessionClient,
  type SessionClientOptions,
  type SessionClientRegistry,
  type SessionSnapshot,
  type SnapshotListener,
} from '@whatsapp-connector/client';

/**
 * Options of {@link useWhatsAppSession}: the client's options plus, optionally, the
 * registry to share clients through.
 */
export interface UseWhatsAppSessionOptions extends SessionClientOptions {
  /**
   * Where the shared client comes from. Default: the page-wide registry of
   * `@whatsapp-connector/client` (`acquireSessionClient`), which `<whatsapp-connector>`
   * elements also use, so a hook and a widget on the same endpoint poll once.
   */
  registry?: SessionClientRegistry;
}

/** What {@link useWhatsAppSession} returns: the current snapshot and the session's actions. */
export interface WhatsAppSession {
  /** The latest snapshot (an idle one until the client is attached after mount). */
  readonly snapshot: SessionSnapshot;
  /** The client in use, or `null` before mount (and during server-side rendering). */
  readonly client: SessionClient | null;
  /** Polls now (also after `FAILED` / `ERROR` / `401` stopped polling). */
  refresh(): Promise<SessionSnapshot>;
  /** Sends `reconnect` (single-flight). */
  reconnect(): Promise<ActionResult>;
  /** Sends `change_number` (single-flight). */
  changeNumber(): Promise<ActionResult>;
  /** Sends `logout` (single-flight). */
  logout(): Promise<ActionResult>;
  /** Sends `request_code` for a phone number in international digits (single-flight). */
  requestPairingCode(phoneNumber: string): Promise<ActionResult>;
}

const noSubscription = () => () => undefined;
const idleSnapshot = () => initialSnapshot;

function isClient(value: unknown): value is SessionClient {
  return typeof (value as SessionClient | undefined)?.subscribe === 'function' && typeof (value as SessionClient).getSnapshot === 'function';
}

function notAttached(action: SessionAction): Promise<ActionResult> {
  const error = new SessionError({ code: 'aborted', message: 'useWhatsAppSession: the session client is not attached yet (the component has not mounted).' });
  return Promise.resolve({ ok: false, action, error });
}

/**
 * Subscribes a component to a WhatsApp session: the snapshot (through
 * `useSyncExternalStore(client.subscribe, client.getSnapshot)`) plus the actions.
 *
 * - Given **options**, the hook acquires the shared client of that endpoint (and
 *   `credentials` mode) when the component mounts, starts it, and releases it when the
 *   component unmounts; the last user's release stops it. Options other than `endpoint`
 *   and `credentials` are read when the client is acquired (changing them later has no
 *   effect; changing `endpoint` or `credentials` switches clients).
 * - Given a **client**, the hook subscribes to it and starts it; it never stops or
 *   disposes it: that client is yours.
 *
 * StrictMode-safe: React's development double mount (mount, unmount, mount) keeps the one
 * client alive (the release is deferred by a microtask, after the remount re-acquired
 * it), so it sends one GET, not two.
 *
 * On the server (SSR) and in the first render it returns an idle snapshot with
 * `client: null`; actions called then resolve to a failed result (code `aborted`).
 *
 * @example
 * ```tsx
 * function WhatsAppStatus() {
 *   const { snapshot, reconnect } = useWhatsAppSession({ endpoint: '/api/whatsapp/session' });
 *   if (snapshot.phase === 'connected') return <p>Linked: {snapshot.me?.pushName}</p>;
 *   if (snapshot.phase === 'failed') return <button onClick={() => void reconnect()}>Link WhatsApp</button>;
 *   return <p>{snapshot.phase}…</p>;
 * }
 * ```
 */
export function useWhatsAppSession(source: UseWhatsAppSessionOptions | SessionClient = {}): WhatsAppSession {
  const injected = isClient(source) ? source : null;
  const options: UseWhatsAppSessionOptions = injected ? {} : (source as UseWhatsAppSessionOptions);
  const registry = options.registry;
  // Only what picks the shared client re-acquires (endpoint and credentials, as the
  // client resolves them); inline option objects do not.
  const key = injected ? null : `${resolveCredentials(options.credentials)} ${resolveEndpoint(options.endpoint)}`;
  const [attached, setAttached] = useState<{ key: string; client: SessionClient } | null>(null);

  useEffect(() => {
    if (injected) {
      injected.start();
      return undefined;
    }
    const lease = registry ? registry.acquire(options) : acquireSessionClient(options);
    setAttached({ key: key as string, client: lease.client });
    return () => {
      // Deferred so that StrictMode's immediate remount re-acquires the client before
      // this release could stop it: one client, one poll.
      queueMicrotask(() => lease.release());
    };
    // `options` is read on acquisition only (documented); `key` stands for it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [injected, key, registry]);

  const client = injected ?? (attached !== null && attached.key === key ? attached.client : null);
  const subscribe = useCallback((listener: () => void) => (client ? client.subscribe(listener as SnapshotListener) : noSubscription()), [client]);
  const getSnapshot = useCallback(() => (client ? client.getSnapshot() : initialSnapshot), [client]);
  const snapshot = useSyncExternalStore(subscribe, getSnapshot, idleSnapshot);

  const actions = useMemo(
    () => ({
      refresh: () => (client ? client.refresh() : Promise.resolve(initialSnapshot)),
      reconnect: () => (client ? client.reconnect() : notAttached('reconnect')),
      changeNumber: () => (client ? client.changeNumber() : notAttached('change_number')),
      logout: () => (client ? client.logout() : notAttached('logout')),
      requestPairingCode: (phoneNumber: string) => (client ? client.requestPairingCode(phoneNumber) : notAttached('request_code')),
    }),
    [client],
  );

  return useMemo(() => ({ ...actions, snapshot, client }), [actions, snapshot, client]);
}
