import type { SessionClient, SessionSnapshot } from '@whatsapp-connector/client';
import { drawQr } from './qr-canvas.js';

/** What each phase says; server text is always inserted as text, never as HTML. */
const HEADLINES: Record<SessionSnapshot['phase'], string> = {
  idle: 'Not started',
  loading: 'Loading…',
  starting: 'Starting the session…',
  qr: 'Scan this code with WhatsApp → Linked devices',
  passkey: 'Confirm on your phone',
  connected: 'Linked',
  reconnecting: 'Reconnecting…',
  failed: 'The session failed',
  'qr-expired': 'The code expired',
  checking: 'Checking…',
  unreachable: 'Cannot reach the server; retrying',
  unauthorized: 'Sign in to manage WhatsApp',
};

function button(label: string, onClick: () => void, disabled: boolean): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  element.disabled = disabled;
  element.addEventListener('click', onClick);
  return element;
}

/**
 * A session panel in plain DOM, without Lit: it subscribes to the client and redraws
 * from each snapshot (a headline, the QR on a canvas, the linked account, the buttons
 * that fit the phase). Buttons call the client's actions; a running action disables them.
 *
 * Returns the unmount function (unsubscribes; the client stays yours to stop).
 */
export function mountSessionPanel(container: HTMLElement, client: SessionClient): () => void {
  const panel = document.createElement('section');
  panel.className = 'session-panel';
  const headline = document.createElement('p');
  headline.setAttribute('role', 'status');
  const body = document.createElement('div');
  const actions = document.createElement('div');
  panel.append(headline, body, actions);
  container.append(panel);
  // Redraw the QR only when its payload changes (WAHA rotates it every ~20 s).
  let drawnQr: string | null = null;

  function render(snapshot: SessionSnapshot): void {
    panel.dataset.phase = snapshot.phase;
    headline.textContent = HEADLINES[snapshot.phase];

    if (snapshot.phase === 'qr' && snapshot.qr) {
      if (snapshot.qr !== drawnQr) body.replaceChildren(drawQr(snapshot.qr));
      drawnQr = snapshot.qr;
    } else {
      drawnQr = null;
      const detail = document.createElement('p');
      if (snapshot.me) detail.textContent = `${snapshot.me.pushName ?? ''} ${snapshot.me.phone ?? snapshot.me.id}`.trim();
      else if (snapshot.error) detail.textContent = snapshot.error.message;
      body.replaceChildren(detail);
    }

    const busy = snapshot.pendingAction !== null;
    const buttons: HTMLButtonElement[] = [];
    if (snapshot.phase === 'failed' || snapshot.phase === 'qr-expired') {
      buttons.push(button(snapshot.phase === 'qr-expired' ? 'Show a new code' : 'Link WhatsApp', () => void client.reconnect(), busy));
      buttons.push(button('Change number', () => void client.changeNumber(), busy));
    } else if (snapshot.phase === 'connected' || snapshot.phase === 'reconnecting') {
      buttons.push(button('Log out', () => void client.logout(), busy));
    } else if (snapshot.phase === 'unreachable' || snapshot.phase === 'unauthorized') {
      buttons.push(button('Try again', () => void client.refresh(), busy));
    }
    actions.replaceChildren(...buttons);
  }

  render(client.getSnapshot());
  const unsubscribe = client.subscribe(render);
  return () => {
    unsubscribe();
    panel.remove();
  };
}
