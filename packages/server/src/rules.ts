import { HttpError } from './errors.js';
import type { WahaClient } from './waha/client.js';
import { isAlreadyStartedError, isSingleSessionError, isWahaError, isWahaStatus } from './waha/errors.js';
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
  /** What `reconnect` did to repair the session, for the logs. */
  repair?: RepairStep;
}

/**
 * What `reconnect` did, least destructive first: `start` a STOPPED session (the phone
 * stays linked), `restart` a FAILED one, `recreate` (delete + create: the phone is
 * logged out) only when the restart failed, `create` a missing one; `none` for a
 * healthy session, left alone.
 */
export type RepairStep = 'none' | 'start' | 'restart' | 'recreate' | 'create';

/** What every rule needs. */
export interface RuleContext {
  /** The WAHA client of the organization. */
  waha: WahaClient;
  /** The organization's session name. */
  name: string;
  /** Configuration sent with every create (metadata, webhooks), asked for at each create. */
  createConfig?: () => WahaSessionConfig;
  /** Told when a repair had to escalate (a restart WAHA refused), with WAHA's error. */
  onEscalation?: (step: RepairStep, error: unknown) => void;
  /** Told right before the rules change the session in WAHA (start, restart, logout, delete, create). */
  onChange?: () => void;
}

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
 * instance won the race): then it is read instead, and the 422 stands if it still
 * does not exist. WAHA's single-session refusal is passed on as it is.
 */
export async function createSession(context: RuleContext): Promise<SessionView> {
  context.onChange?.();
  try {
    const dto = await context.waha.createSession(context.name, context.createConfig?.());
    return { ...(await enrich(context, dto.status)), created: true };
  } catch (error) {
    if (!isWahaStatus(error, 422) || isSingleSessionError(error)) throw error;
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
 * `reconnect`, least destructive first, because deleting a WAHA session logs the phone
 * out: a STOPPED session is started (the phone stays linked; WAHA's "already started"
 * is a success), a FAILED / ERROR one restarted (WAHA's own advice); only when WAHA
 * refuses the restart (a 4xx or WAHA's own 500, not a proxy's 502 / 503 / 504, a
 * timeout or an unreachable WAHA), or the session comes back FAILED from it, is it
 * deleted and created anew. A missing session is created; a healthy one is left alone.
 */
export async function reconnectSession(context: RuleContext): Promise<SessionView> {
  const info = await context.waha.getSession(context.name);
  if (!info) return { ...(await createSession(context)), repair: 'create' };
  switch (info.status) {
    case 'STOPPED':
      return startExisting(context);
    case 'FAILED':
    case 'ERROR':
      return restartFailed(context);
    default:
      return { ...(await enrich(context, info.status, info.me)), repair: 'none' };
  }
}

/** Starts an existing session (the phone's auth kept); "already started" is done, a vanished session is created. */
export async function startExisting(context: RuleContext): Promise<SessionView> {
  context.onChange?.();
  try {
    const dto = await context.waha.startSession(context.name);
    return { ...(await enrich(context, dto.status)), restarted: true, repair: 'start' };
  } catch (error) {
    // Started meanwhile (by WAHA, or by another instance): what was asked is done.
    if (isAlreadyStartedError(error)) return { ...(await observeSession(context)), repair: 'none' };
    // Deleted meanwhile: nothing is left to keep.
    if (isWahaStatus(error, 404)) return { ...(await createSession(context)), repair: 'create' };
    throw error;
  }
}

/** What a proxy answers for a WAHA it could not reach or wait for: not WAHA's verdict on the session. */
const GATEWAY_STATUSES = [502, 503, 504];

async function restartFailed(context: RuleContext): Promise<SessionView> {
  context.onChange?.();
  try {
    const dto = await context.waha.restartSession(context.name);
    if (dto.status !== 'FAILED') return { ...(await enrich(context, dto.status)), restarted: true, repair: 'restart' };
    context.onEscalation?.('recreate', undefined);
  } catch (error) {
    if (isWahaStatus(error, 404)) return { ...(await createSession(context)), repair: 'create' };
    // A timeout or an unreachable WAHA says nothing about the session: WAHA may still
    // be restarting it, and deleting it now would log the phone out for nothing. So do
    // 502 / 503 / 504: a proxy in front of WAHA gave up or lost it (WAHA's NestJS answers
    // its own failures 500); the delete would queue behind the restart and unlink the phone.
    if (!isWahaError(error) || error.kind !== 'http' || isWahaStatus(error, ...GATEWAY_STATUSES)) throw error;
    context.onEscalation?.('recreate', error);
  }
  await context.waha.deleteSession(context.name);
  return { ...(await createSession(context)), repair: 'recreate' };
}

const ignorable = (error: unknown) => isWahaStatus(error, 404, 422);

/** `change_number`: log the phone out (a missing or not-logged-in session is fine), delete, create anew. */
export async function changeNumber(context: RuleContext): Promise<SessionView> {
  context.onChange?.();
  try {
    await context.waha.logoutSession(context.name);
  } catch (error) {
    if (!ignorable(error)) throw error;
  }
  await context.waha.deleteSession(context.name);
  return createSession(context);
}

/**
 * `logout`: unlink the phone. WAHA keeps the session and restarts it towards a
 * new QR. A session that does not exist has nothing to unlink: it is reported
 * `STOPPED` (the next GET creates it).
 */
export async function logoutSession(context: RuleContext): Promise<SessionView> {
  context.onChange?.();
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
