import { expect } from 'chai';
import type { SessionAnswerWire } from '@whatsapp-connector/client';
import type { WhatsAppConnector } from '../src/whatsapp-connector.js';
import { allText, buttonLabels, flush, mount, part, root, statusText, unmountAll, waitFor } from './helpers/dom.js';
import { mountOnRealClient, nextPoll, plausibleBackend, realClient, type RealClientRig } from './helpers/real-client.js';

const base = { sessionName: 'eagles_42', connected: false };
const working: SessionAnswerWire = {
  status: 'WORKING',
  sessionName: 'eagles_42',
  connected: true,
  me: { id: '5215512345678@c.us', pushName: 'Ventas Norte' },
};

describe('<whatsapp-connector> states (real client, scripted backend)', () => {
  let rig: RealClientRig;
  let element: WhatsAppConnector;

  async function show(session: SessionAnswerWire): Promise<void> {
    ({ rig, element } = await mountOnRealClient(session));
  }

  /** Serves `session` on the next poll and runs the clock to it. */
  async function next(session: SessionAnswerWire, ms: number): Promise<void> {
    await nextPoll({ rig, element }, session, ms);
  }

  afterEach(() => {
    unmountAll();
    rig?.client.dispose();
  });

  it('renders a progress indicator with text before the first answer', async () => {
    rig = realClient(plausibleBackend({ ...base, status: 'STARTING' }));
    rig.backend.holdPosts = true;
    element = await mount((el) => {
      el.lang = 'en';
      el.client = rig.client;
    });
    expect(statusText(element)).to.be.oneOf(['Loading…', 'Starting WhatsApp…']);
    expect(root(element).querySelector('[role="status"] .spinner')).to.exist;
  });

  it('STARTING: progress indicator, "Starting WhatsApp…", no buttons', async () => {
    await show({ ...base, status: 'STARTING' });
    expect(statusText(element)).to.equal('Starting WhatsApp…');
    expect(root(element).querySelector('[part~="status"] .spinner')).to.exist;
    expect(buttonLabels(element)).to.deep.equal([]);
    expect(part(element, 'base')?.dataset.phase).to.equal('starting');
  });

  it('SCAN_QR: the QR drawn locally, numbered instructions, the phone-number alternative', async () => {
    await show({ ...base, status: 'SCAN_QR_CODE', qr: '2@abc,def,ghi' });
    await waitFor(() => part(element, 'qr-code') !== null, 'the QR');
    expect(statusText(element)).to.equal('Link your WhatsApp');
    const svg = part(element, 'qr-code');
    expect(svg?.tagName.toLowerCase()).to.equal('svg');
    expect(svg?.getAttribute('role')).to.equal('img');
    expect(svg?.getAttribute('aria-label')).to.contain('QR code');
    const steps = root(element).querySelectorAll('[part~="instructions"] li');
    expect(steps.length).to.equal(4);
    expect(steps[2]?.textContent).to.equal('Tap Link a device.');
    expect(allText(element)).to.contain('Linked devices');
    expect(buttonLabels(element)).to.deep.equal(['Link with phone number instead']);
  });

  it('SCAN_QR with only a safe qrImage shows that image', async () => {
    const qrImage = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    await show({ ...base, status: 'SCAN_QR', qrImage });
    const image = part(element, 'qr-code');
    expect(image?.tagName.toLowerCase()).to.equal('img');
    expect(image?.getAttribute('src')).to.equal(qrImage);
    expect(image?.getAttribute('alt')).to.contain('QR code');
  });

  it('WORKING: "Active", the formatted number, the push name, Change number and Log out', async () => {
    await show(working);
    expect(statusText(element)).to.equal('Active');
    expect(part(element, 'phone')?.textContent).to.contain('+52 1 55 1234 5678');
    expect(part(element, 'name')?.textContent).to.equal('Ventas Norte');
    expect(buttonLabels(element)).to.deep.equal(['Change number', 'Log out']);
    expect(part(element, 'actions')).to.exist;
    expect(root(element).querySelector('[role="alert"]')).to.equal(null);
  });

  it('STOPPED after WORKING: keeps the last number with a calm reconnecting note and nothing to click', async () => {
    await show(working);
    await next({ ...base, status: 'STOPPED' }, 30000);
    expect(statusText(element)).to.equal('Reconnecting…');
    expect(part(element, 'phone')?.textContent).to.contain('+52 1 55 1234 5678');
    expect(allText(element)).to.contain('usually comes back by itself');
    expect(buttonLabels(element)).to.deep.equal([]);
    expect(root(element).querySelector('[role="alert"]')).to.equal(null);
  });

  it('a linked session STOPPED for two minutes: Link again appears, and only a click sends reconnect', async () => {
    await show(working);
    await next({ ...base, status: 'STOPPED' }, 30000);
    // 112 s more of STOPPED (14 polls at the 8 s waiting cadence, each answering STOPPED): still calm.
    const before = rig.backend.gets.length;
    await rig.clock.advance(14 * 8000);
    await flush(element);
    expect(rig.backend.gets.length - before, 'polls at the waiting cadence').to.equal(14);
    expect(buttonLabels(element)).to.deep.equal([]);
    await next({ ...base, status: 'STOPPED' }, 8000);
    expect(statusText(element)).to.equal('Reconnecting…');
    expect(part(element, 'phone')?.textContent).to.contain('+52 1 55 1234 5678');
    expect(allText(element)).to.contain('Linking again shows a new code');
    expect(allText(element), 'the calm "usually comes back" gives way').to.not.contain('usually comes back by itself');
    expect(buttonLabels(element)).to.deep.equal(['Link again']);
    expect(rig.backend.posts).to.deep.equal([]);
    (part(element, 'reconnect') as HTMLButtonElement).click();
    await waitFor(() => rig.backend.posts.length === 1, 'the POST');
    expect(rig.backend.posts.map((post) => post.body)).to.deep.equal([{ action: 'reconnect' }]);
  });

  it('STOPPED on a page opened during a flap (linked, number unknown): the calm note, no reconnect that would delete it', async () => {
    await show({ ...base, status: 'STOPPED', connected: true });
    expect(statusText(element)).to.equal('Reconnecting…');
    expect(allText(element)).to.contain('usually comes back by itself');
    expect(part(element, 'phone')).to.equal(null);
    expect(buttonLabels(element)).to.deep.equal([]);
  });

  it('STOPPED with no linked number (e.g. after a logout): Link WhatsApp, since nothing else will start it', async () => {
    await show({ ...base, status: 'STOPPED' });
    expect(statusText(element)).to.equal('WhatsApp is not linked');
    expect(part(element, 'phone')).to.equal(null);
    expect(buttonLabels(element)).to.deep.equal(['Link WhatsApp']);
    await rig.clock.advance(8000);
    await flush(element);
    expect(rig.backend.gets.length).to.equal(2);
    expect(rig.backend.posts).to.deep.equal([]);
  });

  it('FAILED: the reason, Link WhatsApp and Change number', async () => {
    await show({ ...base, status: 'FAILED', error: 'Session crashed <b>hard</b>' });
    expect(statusText(element)).to.equal('WhatsApp is not connected');
    const alert = root(element).querySelector('[role="alert"]');
    expect(alert?.textContent).to.contain('Session crashed <b>hard</b>');
    expect(buttonLabels(element)).to.deep.equal(['Link WhatsApp', 'Change number']);
  });

  it('FAILED without a backend reason shows only the translated text, never the client\'s English default', async () => {
    rig = realClient(plausibleBackend({ ...base, status: 'FAILED' }));
    element = await mount((el) => {
      el.lang = 'es';
      el.client = rig.client;
    });
    await waitFor(() => element.snapshot?.phase === 'failed', 'the failed answer');
    await flush(element);
    const alert = root(element).querySelector('[role="alert"]');
    expect(alert?.querySelector('[part~="reason"]')).to.equal(null);
    expect(element.snapshot?.error?.message).to.match(/session failed/i);
    expect(alert?.textContent).not.to.match(/session failed/i);
  });

  it('ERROR is shown like FAILED', async () => {
    await show({ ...base, status: 'ERROR' });
    expect(statusText(element)).to.equal('WhatsApp is not connected');
    expect(buttonLabels(element)).to.deep.equal(['Link WhatsApp', 'Change number']);
  });

  it('FAILED right after an unscanned QR: "the code expired" and Show a new code', async () => {
    await show({ ...base, status: 'SCAN_QR_CODE', qr: 'first' });
    await next({ ...base, status: 'FAILED' }, 8000);
    expect(statusText(element)).to.equal('The code expired');
    expect(buttonLabels(element)).to.deep.equal(['Show a new code']);
    expect(root(element).querySelector('[role="alert"]')).to.equal(null);
  });

  it('a page opened after the QR expired (FAILED marked qr_expired): the same calm "code expired"', async () => {
    await show({ ...base, status: 'FAILED', reason: 'qr_expired', error: 'The QR code expired before it was scanned.' });
    expect(statusText(element)).to.equal('The code expired');
    expect(buttonLabels(element)).to.deep.equal(['Show a new code']);
    expect(rig.backend.posts).to.deep.equal([]);
  });

  it('SCAN_QR without a QR yet (WAHA rotated it between two calls): the QR box says it is coming', async () => {
    await show({ ...base, status: 'SCAN_QR_CODE' });
    expect(statusText(element)).to.equal('Link your WhatsApp');
    expect(part(element, 'qr')?.textContent?.trim()).to.equal('Preparing the code…');
    expect(part(element, 'qr-code')).to.equal(null);
    expect(buttonLabels(element)).to.deep.equal(['Link with phone number instead']);
  });

  it('PASSKEY_REQUIRED: confirm on the phone', async () => {
    await show({ ...base, status: 'PASSKEY_REQUIRED' });
    expect(statusText(element)).to.equal('Confirm on your phone');
    expect(buttonLabels(element)).to.deep.equal([]);
  });

  it('an unknown status: a neutral "checking…"', async () => {
    await show({ ...base, status: 'REBOOTING' });
    expect(statusText(element)).to.equal('Checking the connection…');
    expect(buttonLabels(element)).to.deep.equal([]);
  });

  it('unreachable: the error in plain words and Try again', async () => {
    rig = realClient(plausibleBackend());
    rig.backend.reply({ networkError: true });
    element = await mount((el) => {
      el.lang = 'en';
      el.client = rig.client;
    });
    await waitFor(() => element.snapshot?.phase === 'unreachable', 'unreachable');
    await flush(element);
    expect(statusText(element)).to.equal('Cannot reach the server');
    expect(root(element).querySelector('[role="alert"]')?.textContent).to.contain('Check your internet connection.');
    expect(buttonLabels(element)).to.deep.equal(['Try again']);
  });

  it('not authorized: the error in plain words and Try again', async () => {
    rig = realClient(plausibleBackend());
    rig.backend.reply({ status: 401, json: { error: { code: 'unauthorized', message: 'Session expired' } } });
    element = await mount((el) => {
      el.lang = 'en';
      el.client = rig.client;
    });
    await waitFor(() => element.snapshot?.phase === 'unauthorized', 'unauthorized');
    await flush(element);
    expect(statusText(element)).to.equal('Not allowed');
    expect(root(element).querySelector('[role="alert"]')?.textContent).to.contain('cannot manage this WhatsApp connection');
    expect(buttonLabels(element)).to.deep.equal(['Try again']);
  });

  it('sends no POST in any state without a click', async () => {
    const sessions: SessionAnswerWire[] = [
      { ...base, status: 'STARTING' },
      { ...base, status: 'SCAN_QR_CODE', qr: 'one' },
      { ...base, status: 'SCAN_QR_CODE', qr: 'two' },
      { ...base, status: 'FAILED' },
    ];
    await show(sessions[0]!);
    for (const session of sessions.slice(1)) await next(session, 8000);
    // FAILED stops polling; a person must act. Time passes, nothing is sent.
    await rig.clock.advance(10 * 60_000);
    await flush(element);
    expect(statusText(element)).to.equal('The code expired');
    expect(rig.backend.posts).to.deep.equal([]);
    expect(rig.backend.gets.length).to.equal(4);
  });
});
