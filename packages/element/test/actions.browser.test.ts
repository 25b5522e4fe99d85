import { expect } from 'chai';
import { sendKeys } from '@web/test-runner-commands';
import type { SessionAnswerWire } from '@whatsapp-connector/client';
import type { WhatsAppConnector } from '../src/whatsapp-connector.js';
import { buttonLabels, buttonPart, describeNode, flush, focused, mount, part, record, root, statusText, unmountAll, waitFor } from './helpers/dom.js';
import { mountOnRealClient, plausibleBackend, realClient, type RealClientRig } from './helpers/real-client.js';

const base = { sessionName: 'eagles_42', connected: false };
const working: SessionAnswerWire = { ...base, status: 'WORKING', connected: true, me: { id: '5215512345678@c.us', pushName: 'Ventas' } };

describe('<whatsapp-connector> actions (real client, scripted backend)', () => {
  let rig: RealClientRig;
  let element: WhatsAppConnector;

  async function show(session: SessionAnswerWire): Promise<void> {
    ({ rig, element } = await mountOnRealClient(session));
  }

  function postedActions(): unknown[] {
    return rig.backend.posts.map((post) => post.body);
  }

  afterEach(() => {
    unmountAll();
    rig?.client.dispose();
  });

  it('Change number: one POST; while it runs the button shows progress and every button is disabled', async () => {
    await show(working);
    rig.backend.holdPosts = true;
    const change = buttonPart(element, 'change-number');
    change.click();
    await flush(element);
    expect(postedActions()).to.deep.equal([{ action: 'change_number' }]);
    expect(change.getAttribute('aria-busy')).to.equal('true');
    expect(change.querySelector('.spinner')).to.exist;
    // The spinner says that it runs (the `working` text); the label still says what.
    expect(change.querySelector('.spinner[role="img"]')?.getAttribute('aria-label')).to.equal('Working…');
    for (const button of root(element).querySelectorAll('button')) expect(button.disabled, button.textContent ?? '').to.equal(true);
    rig.backend.releasePosts();
    await waitFor(() => element.snapshot?.phase === 'qr', 'the new QR');
    await flush(element);
    expect(postedActions()).to.deep.equal([{ action: 'change_number' }]);
    expect(statusText(element)).to.equal('Link your WhatsApp');
  });

  it('a double click sends one POST', async () => {
    await show({ ...base, status: 'FAILED' });
    rig.backend.holdPosts = true;
    const events = record(element, ['wac-action']);
    const link = buttonPart(element, 'reconnect');
    // The second click lands before the re-render disables the button: the element itself must refuse it.
    link.click();
    link.click();
    link.dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));
    await flush(element);
    link.click();
    buttonPart(element, 'change-number').click();
    await flush(element);
    expect(postedActions()).to.deep.equal([{ action: 'reconnect' }]);
    rig.backend.releasePosts();
    await waitFor(() => element.snapshot?.phase === 'qr', 'the QR after reconnect');
    await flush(element);
    expect(postedActions()).to.deep.equal([{ action: 'reconnect' }]);
    // The element refused the extra clicks itself (the client's single-flight would also have merged them).
    expect(events.log.map((event) => event.detail)).to.deep.equal([
      { action: 'reconnect', stage: 'start' },
      { action: 'reconnect', stage: 'success' },
    ]);
  });

  it('Log out asks first; Cancel sends nothing; confirming sends one logout', async () => {
    await show(working);
    buttonPart(element, 'logout').click();
    await flush(element);
    expect(postedActions()).to.deep.equal([]);
    const confirm = part(element, 'confirm')!;
    expect(confirm.textContent).to.contain('Unlink this number?');
    // Named by the question, so the question is read with the focused button.
    expect(confirm.getAttribute('role')).to.equal('group');
    const name = element.shadowRoot!.getElementById(confirm.getAttribute('aria-labelledby') ?? '');
    expect(name?.textContent).to.equal('Unlink this number? Messages will stop until you link WhatsApp again.');
    expect(buttonLabels(element)).to.deep.equal(['Yes, log out', 'Cancel']);
    expect(focused(element)).to.equal(describeNode(buttonPart(element, 'confirm-logout')));

    buttonPart(element, 'cancel').click();
    await flush(element);
    expect(postedActions()).to.deep.equal([]);
    expect(buttonLabels(element)).to.deep.equal(['Change number', 'Log out']);
    expect(focused(element)).to.equal(describeNode(buttonPart(element, 'logout')));

    buttonPart(element, 'logout').click();
    await flush(element);
    buttonPart(element, 'confirm-logout').click();
    await waitFor(() => rig.backend.posts.length === 1, 'the logout');
    await flush(element);
    expect(postedActions()).to.deep.equal([{ action: 'logout' }]);
  });

  it('FAILED: Link WhatsApp sends reconnect, Change number sends change_number', async () => {
    await show({ ...base, status: 'FAILED' });
    buttonPart(element, 'change-number').click();
    await waitFor(() => element.snapshot?.phase === 'qr', 'the QR');
    expect(postedActions()).to.deep.equal([{ action: 'change_number' }]);
  });

  it('the expired QR: Show a new code sends reconnect and shows the new code', async () => {
    await show({ ...base, status: 'SCAN_QR_CODE', qr: 'old' });
    rig.backend.session = { ...base, status: 'FAILED' };
    await rig.clock.advance(8000);
    await waitFor(() => element.snapshot?.phase === 'qr-expired', 'qr-expired');
    await flush(element);
    buttonPart(element, 'reconnect').click();
    await waitFor(() => element.snapshot?.qr === 'qr-after-action', 'the new QR');
    expect(postedActions()).to.deep.equal([{ action: 'reconnect' }]);
  });

  it('Try again polls (a GET, never a POST)', async () => {
    rig = realClient(plausibleBackend(working));
    rig.backend.reply({ status: 401, json: { error: { code: 'unauthorized', message: 'no' } } });
    element = await mount((el) => {
      el.lang = 'en';
      el.client = rig.client;
    });
    await waitFor(() => element.snapshot?.phase === 'unauthorized', 'unauthorized');
    await flush(element);
    buttonPart(element, 'try-again').click();
    await waitFor(() => element.snapshot?.phase === 'connected', 'connected');
    await flush(element);
    expect(rig.backend.gets.length).to.equal(2);
    expect(postedActions()).to.deep.equal([]);
    expect(statusText(element)).to.equal('Active');
  });

  it('a backend failure during an action shows the unreachable state with its words', async () => {
    await show({ ...base, status: 'FAILED' });
    rig.backend.onPost = () => ({ status: 502, json: { error: { code: 'waha_unreachable', message: 'WAHA is down' } } });
    buttonPart(element, 'reconnect').click();
    await waitFor(() => element.snapshot?.phase === 'unreachable', 'unreachable');
    await flush(element);
    expect(root(element).querySelector('[role="alert"]')?.textContent).to.contain('WAHA is down');
    expect(buttonLabels(element)).to.deep.equal(['Try again']);
  });

  it('a refused action is explained in an alert and the buttons come back', async () => {
    await show({ ...base, status: 'FAILED' });
    rig.backend.onPost = () => ({ status: 409, json: { error: { code: 'conflict', message: 'Already reconnecting' } } });
    buttonPart(element, 'reconnect').click();
    await waitFor(() => part(element, 'error') !== null, 'the action error');
    const alert = part(element, 'error');
    expect(alert?.getAttribute('role')).to.equal('alert');
    expect(alert?.textContent).to.contain('That did not work.');
    expect(alert?.textContent).to.contain('Already reconnecting');
    expect(statusText(element)).to.equal('WhatsApp is not connected');
    expect(buttonPart(element, 'reconnect').disabled).to.equal(false);
  });

  it("an injected client's logout() answering a thenable: success is reported and the question closes", async () => {
    await show(working);
    buttonPart(element, 'logout').click();
    await flush(element);
    expect(part(element, 'confirm'), 'the question is open').to.not.equal(null);
    // A page's own SessionClient may answer with any thenable, as `await` accepts.
    const answered = { ok: true, action: 'logout', session: null };
    rig.client.logout = () => ({ then: (resolve: (value: unknown) => void) => resolve(answered) }) as unknown as ReturnType<typeof rig.client.logout>;
    const stages = record(element, ['wac-action']);
    buttonPart(element, 'confirm-logout').click();
    await waitFor(() => stages.log.length === 2, 'the action to end');
    await flush(element);
    stages.stop();
    expect(stages.log.map((e) => (e.detail as { stage: string }).stage)).to.deep.equal(['start', 'success']);
    expect(part(element, 'confirm'), 'the question closed').to.equal(null);
  });

  it('the methods delegate to the client', async () => {
    await show(working);
    const result = await element.changeNumber();
    expect(result.ok).to.equal(true);
    expect(postedActions()).to.deep.equal([{ action: 'change_number' }]);
    const snapshot = await element.refresh();
    expect(snapshot).to.equal(element.snapshot);
    expect(rig.backend.gets.length).to.equal(2);
  });

  it('a method called right after append waits for the client instead of failing', async () => {
    rig = realClient(plausibleBackend({ ...base, status: 'FAILED' }));
    const fresh = document.createElement('whatsapp-connector');
    fresh.client = rig.client;
    document.body.append(fresh);
    const result = await fresh.reconnect();
    fresh.remove();
    expect(result.ok).to.equal(true);
    expect(postedActions()).to.deep.equal([{ action: 'reconnect' }]);
  });

  it('a method called on an element out of the document answers a failure, sends nothing', async () => {
    rig = realClient(plausibleBackend({ ...base, status: 'FAILED' }));
    const detached = document.createElement('whatsapp-connector');
    detached.client = rig.client;
    const result = await detached.logout();
    expect(result.ok).to.equal(false);
    expect(rig.backend.requests).to.deep.equal([]);
  });

  it('every action is a real button reachable with the keyboard', async () => {
    await show({ ...base, status: 'FAILED' });
    element.focus();
    await sendKeys({ press: 'Tab' });
    expect(focused(element)).to.equal(describeNode(buttonPart(element, 'reconnect')));
    await sendKeys({ press: 'Tab' });
    expect(focused(element)).to.equal(describeNode(buttonPart(element, 'change-number')));
    await sendKeys({ press: 'Enter' });
    await waitFor(() => rig.backend.posts.length === 1, 'the POST');
    expect(postedActions()).to.deep.equal([{ action: 'change_number' }]);
    // The pressed button went away with the view: focus lands on the next view's first control.
    await waitFor(() => element.snapshot?.phase === 'qr', 'the QR');
    await flush(element);
    expect(focused(element)).to.equal(describeNode(buttonPart(element, 'use-phone')));
  });

  it('focus returns to the pressed button when the action is refused', async () => {
    await show({ ...base, status: 'FAILED' });
    rig.backend.onPost = () => ({ status: 409, json: { error: { code: 'conflict', message: 'busy' } } });
    element.focus();
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => part(element, 'error') !== null, 'the error');
    await flush(element);
    expect(focused(element)).to.equal(describeNode(buttonPart(element, 'reconnect')));
  });
});
