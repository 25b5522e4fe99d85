import type { SessionMe } from '@whatsapp-connector/client';
import { h, type Child } from '../dom.js';
import { displayPhone } from '../phone.js';
import type { View, ViewContext } from './context.js';
import { actions, button, detail, reconnectPrompt } from './parts.js';

/** The linked number and name; server strings are text. */
export function account(me: SessionMe | null, label: string): Child {
  const phone = displayPhone(me);
  const name = me?.pushName?.trim();
  return (
    (phone || name) &&
    h(
      'div',
      { class: 'account' },
      phone && h('p', { part: 'phone', class: 'phone' }, h('span', { class: 'visually-hidden' }, `${label}: `), phone),
      name && h('p', { part: 'name', class: 'name' }, name),
    )
  );
}

/** A calm note while the link flaps; the client never restarts it. */
function flapping(ctx: ViewContext): Child {
  return ctx.snapshot.health.reason === 'flapping' && detail(ctx.strings.unstable, { part: 'health' });
}

/** `connected`: "Active", the number, Change number and Log out (confirmed first). */
export function connectedView(ctx: ViewContext): View {
  const { strings, local } = ctx;
  const buttons = local.confirming
    ? h(
        'div',
        // A group named by the question: focus lands on "Yes, log out", and a screen reader reads the question with it.
        { part: 'confirm', class: 'confirm', role: 'group', 'aria-labelledby': 'logout-question' },
        detail(strings.logoutConfirm, { id: 'logout-question' }),
        actions(
          button(ctx, { label: strings.logoutConfirmYes, variant: 'danger', action: 'logout', part: 'confirm-logout' }),
          button(ctx, { label: strings.cancel, part: 'cancel', onClick: () => ctx.set({ confirming: false }, '[part~="logout"]') }),
        ),
      )
    : actions(
        button(ctx, { label: strings.changeNumber, action: 'change_number', part: 'change-number' }),
        button(ctx, { label: strings.logout, variant: 'danger', part: 'logout', onClick: () => ctx.set({ confirming: true }, '[part~="confirm-logout"]') }),
      );
  return {
    status: strings.active,
    tone: 'ok',
    body: [account(ctx.snapshot.me, strings.linkedNumber), flapping(ctx), buttons],
  };
}

/**
 * `reconnecting` (`STOPPED`): a linked session (a known number, or the backend's
 * `connected` flag, e.g. on a page opened during a flap) gets a calm note and
 * nothing to click: it usually heals by itself, and `reconnect` would delete it;
 * only once the client calls it `stalled` (STOPPED for minutes: it will not heal)
 * does Link again appear, still a person's click. One never linked (or logged
 * out) will not start by itself, so Link WhatsApp is the way out.
 */
export function reconnectingView(ctx: ViewContext): View {
  const { strings, snapshot } = ctx;
  if (!snapshot.me && !snapshot.connected) {
    return reconnectPrompt(ctx, strings.stoppedTitle, strings.stoppedDetail, strings.linkWhatsApp);
  }
  const stuck = snapshot.stalled;
  return {
    status: strings.reconnecting,
    tone: 'warn',
    body: [
      account(snapshot.me, strings.linkedNumber),
      detail(stuck ? strings.stoppedLongDetail : strings.reconnectingDetail),
      flapping(ctx),
      stuck && actions(button(ctx, { label: strings.linkAgain, action: 'reconnect', part: 'reconnect' })),
    ],
  };
}
