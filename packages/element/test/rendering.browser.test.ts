import { expect } from 'chai';
import type { SessionHealth, SessionSnapshot } from '@whatsapp-connector/client';
import { SessionError } from './helpers/fake-client.js';
import { buttonPart, flush, mountOnFakeClient, part, root, unmountAll, waitFor } from './helpers/dom.js';

// What the views' DOM does between two renders (src/dom.ts keeps nodes in place):
// focus, announcements and typed text must not depend on an unrelated change.
describe('<whatsapp-connector> re-rendering in place', () => {
  afterEach(() => unmountAll());

  const me = { id: '5215512345678@c.us', pushName: 'Eagles' };
  const flapping: SessionHealth = { level: 'degraded', reason: 'flapping' };
  const healthy: SessionHealth = { level: 'healthy', reason: 'connected' };

  async function show(snapshot: Partial<SessionSnapshot>) {
    const shown = await mountOnFakeClient(snapshot);
    await flush(shown.element, 10);
    return shown;
  }

  it('the flapping note goes (a background poll): a focused Log out keeps its node and focus', async () => {
    const { client, element } = await show({ phase: 'connected', status: 'WORKING', me, health: flapping });
    const logout = part(element, 'logout')!;
    logout.focus();
    client.push({ health: healthy });
    await flush(element);
    expect(part(element, 'health')).to.equal(null);
    expect(part(element, 'logout')).to.equal(logout);
    expect(root(element).activeElement).to.equal(logout);
  });

  it('the flapping note goes while the logout question is open: focus stays on "Yes, log out"', async () => {
    const { client, element } = await show({ phase: 'connected', status: 'WORKING', me, health: flapping });
    part(element, 'logout')!.click();
    await flush(element);
    const yes = part(element, 'confirm-logout');
    expect(root(element).activeElement).to.equal(yes);
    client.push({ health: healthy });
    await flush(element);
    expect(root(element).activeElement).to.equal(yes);
  });

  it('an action\'s alert is not made again (announced twice) when an earlier note goes', async () => {
    const { client, element } = await show({ phase: 'connected', status: 'WORKING', me, health: flapping });
    buttonPart(element, 'change-number').click();
    await flush(element);
    client.settle({ ok: false, error: new SessionError({ code: 'http', message: 'Conflict', httpStatus: 409 }) });
    await flush(element);
    const alert = part(element, 'error');
    expect(alert).to.not.equal(null);
    client.push({ health: healthy });
    await flush(element);
    expect(part(element, 'error')).to.equal(alert);
  });

  it('failed, then unreachable: the second alert is a new node, so it is announced', async () => {
    const { client, element } = await show({ phase: 'failed', status: 'FAILED', me: null });
    const before = root(element).querySelector('[role="alert"]');
    client.push({ phase: 'unreachable', status: null, error: new SessionError({ code: 'network', message: 'offline' }) });
    await flush(element);
    const after = root(element).querySelector('[role="alert"]');
    expect(after?.textContent).to.contain('Check your internet connection');
    expect(after).to.not.equal(before);
  });

  it('a phone number put in without an input event survives a poll\'s re-render, and is what Get code sends', async () => {
    const { client, element } = await show({ phase: 'qr', status: 'SCAN_QR', qr: '2@first', me: null });
    await waitFor(() => part(element, 'use-phone') !== null, 'the linking view');
    part(element, 'use-phone')!.click();
    await flush(element);
    const input = root(element).querySelector<HTMLInputElement>('#phone-input')!;
    input.value = '5215512345678';
    client.push({ qr: '2@second' });
    await flush(element);
    expect(input.value).to.equal('5215512345678');
    buttonPart(element, 'request-code').click();
    await flush(element);
    expect(client.calls).to.include('request_code:5215512345678');
  });
});
