import { HttpError } from './errors.js';
import type { WahaClient } from './waha/client.js';
import { isWahaError } from './waha/errors.js';
import type { WahaMeInfo, WahaSessionConfig, WahaStatus } from './waha/types.js';

/**
 * What the rules learned about one WAHA session: its status (`null` when the
 * session does not exist), and the extras that status calls for.
 */
export interface SessionView {
  /** WAHA's status, or `null` when WAHA has no such session. */
  status: WahaStatus | null;
  /** The raw QR payload (only in `SCAN_QR_CODE`, and only when WAHA still had it). */
  qr?: string | null;
  /** The linked account (only in `WORKING`). */
  me?: WahaMeInfo | null;
  /** The pairing code, after `request_code`. */
  pairingCode?: string;
  /** `true` when this call created (or recreated) the session. */
  created?: boolean;
  /** `true` when this call logged the phone out. */
  unlinked?: boolean;
  /** `true` when this call started or restarted the existing session (the phone's auth kept). */
  restarted?: boolean;
}

/** What every rule needs. */
export interface RuleContext {
  /** The WAHA client of the organization. */
  waha: WahaClient;
  /** The organization's session name. */
  name: string;
  /** Configuration sent with every create (metadata, webhooks). */
  createConfig?: WahaSessionConfig;
}

/** Statuses that `reconnect` repairs by deleting and recreating. A missing session is repaired too. */
const BROKEN: ReadonlySet<string> = new Set(['FAILED', 'STOPPED', 'ERROR']);

/** Adds the QR (in `SCAN_QR_CODE`) or the account (in `WORKING`) to a status. */
export async function enrich(context: RuleContext, status: WahaStatus | null, me?: WahaMeInfo | null): Promise<SessionView> {
  if (status === 'SCAN_QR_CODE') {
    // A 422 here is the normal race of a QR that rotated or expired between the two calls: answer without a QR.
    return { status, qr: await context.waha.getQrRaw(context.name) };
  }
  if (status === 'WORKING') {
    return { status, me: me?.id ? me : await context.waha.getMe(context.name) };
  }
  return { status };
}

/**
 * Creates and starts the session. A 422 means it exists already (another server
 * instance won the race): then it is read instead; if it still does not exist
 * (e.g. an old WAHA Core that only allows `default`), the 422 stands.
 */
async function create(context: RuleContext): Promise<SessionView> {
  try {
    const dto = await context.waha.createSession(context.name, context.createConfig);
    return { ...(await enrich(context, dto.status)), created: true };
  } catch (error) {
    if (!(isWahaError(error) && error.kind === 'http' && error.status === 422)) throw error;
    const info = await context.waha.getSession(context.name);
    if (!info) throw error;
    return enrich(context, info.status, info.me);
  }
}

/** Reads the session without changing anything in WAHA (used by webhooks and the watcher). */
export async function observeSession(context: RuleContext): Promise<SessionView> {
  const info = await context.waha.getSession(context.name);
  if (!info) return { status: null };
  return enrich(context, info.status, info.me);
}

/**
 * `GET`: a missing session is created and started; an existing one is only
 * reported — never restarted, whatever its status (STOPPED and FAILED included).
 */
export async function getOrCreateSession(context: RuleContext): Promise<SessionView> {
  const info = await context.waha.getSession(context.name);
  if (!info) return create(context);
  return enrich(context, info.status, info.me);
}

/** `reconnect`: a FAILED / ERROR / STOPPED or missing session is deleted and created anew; a healthy one is left alone. */
export async function reconnectSession(context: RuleContext): Promise<SessionView> {
  const info = await context.waha.getSession(context.name);
  if (!info) return create(context);
  if (!BROKEN.has(info.status)) return enrich(context, info.status, info.me);
  await context.waha.deleteSession(context.name);
  return create(context);
}

const ignorable = (error: unknown) => isWahaError(error) && error.kind === 'http' && (error.status === 404 || error.status === 422);

/** `change_number`: log the phone out (a missing or not-logged-in session is fine), delete, create anew. */
export async function changeNumber(context: RuleContext): Promise<SessionView> {
  try {
    await context.waha.logoutSession(context.name);
  } catch (error) {
    if (!ignorable(error)) throw error;
  }
  await context.waha.deleteSession(context.name);
  return create(context);
}

/**
 * `logout`: unlink the phone. WAHA keeps the session and restarts it towards a
 * new QR. A session that does not exist has nothing to unlink: it is reported
 * `STOPPED` (the next GET creates it).
 */
export async function logoutSession(context: RuleContext): Promise<SessionView> {
  try {
    await context.waha.logoutSession(context.name);
  } catch (error) {
    if (!ignorable(error)) throw error;
  }
  const info = await context.waha.getSession(context.name);
  if (!info) return { status: 'STOPPED', unlinked: true };
  return { ...(await enrich(context, info.status, info.status === 'WORKING' ? info.me : null)), unlinked: true };
}

/** `request_code`: only while the session waits for the phone (`SCAN_QR_CODE`); answers WAHA's pairing code. */
export async function requestPairingCode(context: RuleContext, phoneNumber: string): Promise<SessionView> {
  const info = await context.waha.getSession(context.name);
  if (!info || info.status !== 'SCAN_QR_CODE') {
    throw new HttpError(409, 'invalid_state', 'A pairing code can be requested only while the session waits for the phone (SCAN_QR).');
  }
  try {
    const pairingCode = await context.waha.requestCode(context.name, phoneNumber);
    return { status: info.status, pairingCode };
  } catch (error) {
    // WAHA's own refusals are the caller's to fix, not a failure of the service.
    if (isWahaError(error) && error.kind === 'http' && error.status === 400) {
      throw new HttpError(400, 'invalid_phone_number', 'WhatsApp refused this phone number. Check it and try again.');
    }
    if (isWahaError(error) && error.kind === 'http' && error.status === 422) {
      throw new HttpError(409, 'invalid_state', 'The session stopped waiting for the phone. Reload and try again.');
    }
    throw error;
  }
}
