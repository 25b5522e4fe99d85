import { bodyOf, QR_STATUSES, statusOf, type CheckContext } from '../context.js';
import { describeExchange, type Exchange } from '../http.js';
import { auth401Post } from './auth.js';
import { fail, pass, skip, verdictOf, type ConformanceCheck } from './define.js';
import { errorAnswerProblems, sessionAnswerProblems, statusNameProblems } from './expect.js';

/** Statuses a freshly created session may answer with. */
const FRESH_STATUSES = ['STARTING', ...QR_STATUSES];

function postAction(context: CheckContext, body: Record<string, unknown>): Promise<Exchange> {
  return context.http.send({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}

/** Schema and status-name problems of an action's answer. */
function actionAnswerProblems(exchange: Exchange): string[] {
  const problems = sessionAnswerProblems(exchange);
  if (problems.length > 0) return problems;
  return statusNameProblems(bodyOf(exchange)?.status);
}

/** Problems of an answer that should show an unlinked session. */
function unlinkedProblems(body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (body.connected !== false) problems.push(`connected is ${JSON.stringify(body.connected)}, expected false`);
  if (body.status === 'WORKING') problems.push('status is still WORKING');
  if (body.me !== undefined && body.me !== null) problems.push('"me" is still present');
  return problems;
}

/** Waits out `STARTING` so that checks see a settled status. */
async function settled(context: CheckContext): Promise<Exchange> {
  return (await context.waitFor((body) => body.status !== 'STARTING')).exchange;
}

/**
 * `post.reconnect-answers-session` — `POST {"action":"reconnect"}` answers `200` with a
 * valid session answer whose status is a documented name.
 */
export const postReconnectAnswersSession: ConformanceCheck = {
  id: 'post.reconnect-answers-session',
  title: 'POST reconnect answers the session',
  destructive: true,
  async run(context) {
    const exchange = await postAction(context, { action: 'reconnect' });
    return verdictOf(actionAnswerProblems(exchange), statusOf(exchange));
  },
};

/**
 * `post.reconnect-leaves-healthy` — `reconnect` on a healthy session (`SCAN_QR` or
 * `WORKING`) leaves it alone: a `WORKING` session stays `WORKING` with the same
 * `me.id`; a `SCAN_QR` session is not recreated (no `STARTING`). Skipped when the
 * session is in another status.
 */
export const postReconnectLeavesHealthy: ConformanceCheck = {
  id: 'post.reconnect-leaves-healthy',
  title: 'POST reconnect leaves a healthy session alone',
  destructive: true,
  async run(context) {
    const before = bodyOf(await settled(context));
    const status = typeof before?.status === 'string' ? before.status : undefined;
    if (!before || !status || (status !== 'WORKING' && !QR_STATUSES.includes(status))) {
      return skip(`session is ${status ?? 'unreadable'}, not SCAN_QR or WORKING`);
    }
    const exchange = await postAction(context, { action: 'reconnect' });
    const problems = actionAnswerProblems(exchange);
    if (problems.length > 0) return verdictOf(problems);
    const after = bodyOf(exchange)!;
    if (status === 'WORKING') {
      const meBefore = (before.me as { id?: unknown } | undefined)?.id;
      const meAfter = (after.me as { id?: unknown } | undefined)?.id;
      if (after.status !== 'WORKING') return fail(`WORKING became ${String(after.status)} after reconnect`);
      if (meBefore !== meAfter) return fail(`me.id changed from ${String(meBefore)} to ${String(meAfter)}`);
      return pass('WORKING kept');
    }
    if (after.status !== 'WORKING' && !QR_STATUSES.includes(String(after.status))) {
      return fail(`${status} became ${String(after.status)}: the session was restarted`);
    }
    return pass(`${status} kept`);
  },
};

/**
 * `post.logout` — `POST {"action":"logout"}` answers `200` with a session answer that
 * shows the phone unlinked: `connected: false`, not `WORKING`, no `me`.
 */
export const postLogout: ConformanceCheck = {
  id: 'post.logout',
  title: 'POST logout answers an unlinked session',
  destructive: true,
  async run(context) {
    const exchange = await postAction(context, { action: 'logout' });
    const problems = actionAnswerProblems(exchange);
    if (problems.length > 0) return verdictOf(problems);
    return verdictOf(unlinkedProblems(bodyOf(exchange)!), statusOf(exchange));
  },
};

/**
 * `post.change-number` — `POST {"action":"change_number"}` answers `200` with a fresh,
 * unlinked session (`STARTING` or `SCAN_QR`, `connected: false`, no `me`), and a
 * new QR follows on `GET` within `settleMs`.
 */
export const postChangeNumber: ConformanceCheck = {
  id: 'post.change-number',
  title: 'POST change_number answers a fresh session, then a QR',
  destructive: true,
  async run(context) {
    const exchange = await postAction(context, { action: 'change_number' });
    const problems = actionAnswerProblems(exchange);
    if (problems.length > 0) return verdictOf(problems);
    const body = bodyOf(exchange)!;
    problems.push(...unlinkedProblems(body));
    if (!FRESH_STATUSES.includes(String(body.status))) {
      problems.push(`status is ${String(body.status)}, expected STARTING or SCAN_QR`);
    }
    if (problems.length > 0) return verdictOf(problems);
    const { exchange: later, met } = await context.waitFor(
      (answer) => QR_STATUSES.includes(String(answer.status)) && (Boolean(answer.qr) || Boolean(answer.qrImage)),
    );
    if (!met) return fail(`no QR within ${context.settleMs} ms after change_number (last: ${describeExchange(later)})`);
    return pass(`${String(body.status)}, then a QR`);
  },
};

/**
 * `post.request-code` — optional extension: with the session showing a QR,
 * `POST {"action":"request_code","phoneNumber":…}` answers `200` with a session
 * answer carrying a non-empty `pairingCode`. Skipped when the backend answers
 * `400 invalid_action` (extension not offered).
 */
export const postRequestCode: ConformanceCheck = {
  id: 'post.request-code',
  title: 'POST request_code answers a pairingCode (extension)',
  destructive: true,
  async run(context) {
    const { met } = await context.waitFor((body) => QR_STATUSES.includes(String(body.status)));
    if (!met) return skip(`the session did not reach SCAN_QR within ${context.settleMs} ms`);
    const exchange = await postAction(context, { action: 'request_code', phoneNumber: context.phoneNumber });
    if (exchange.status === 400 && errorAnswerProblems(exchange, { status: [400], codes: ['invalid_action'] }).length === 0) {
      return skip('request_code is not offered (400 invalid_action)');
    }
    const problems = actionAnswerProblems(exchange);
    if (problems.length > 0) return verdictOf(problems);
    const code = bodyOf(exchange)!.pairingCode;
    if (typeof code !== 'string' || code.trim() === '') return fail(`no "pairingCode" in the answer: ${describeExchange(exchange)}`);
    return pass(code);
  },
};

/** The checks that change the session, in running order (run only with `destructive`). */
export const ACTION_CHECKS: readonly ConformanceCheck[] = [
  auth401Post,
  postReconnectAnswersSession,
  postReconnectLeavesHealthy,
  postLogout,
  postChangeNumber,
  postRequestCode,
];
