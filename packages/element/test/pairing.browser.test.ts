import { expect } from 'chai';
import { sendKeys } from '@web/test-runner-commands';
import type { SessionAnswerWire } from '@whatsapp-connector/client';
import type { WhatsAppConnector } from '../src/whatsapp-connector.js';
import { buttonLabels, buttonPart, describeNode, flush, focused, mount, part, root, statusText, unmountAll, waitFor } from './helpers/dom.js';
import { plausibleBackend, realClient, type RealClientRig } from './helpers/real-client.js';

const base = { sessionName: 'eagles_42', connected: false };
const scanning: SessionAnswerWire = { ...base, status: 'SCAN_QR_CODE', qr: 'qr-payload' };

describe('<whatsapp-connector> link with a phone number', () => {
  let rig: RealClientRig;
  let element: WhatsAppConnector;

  async function openForm(): Promise<HTMLInputElement> {
    rig = realClient(plausibleBackend(scanning));
    element = await mount((el) => {
      el.lang = 'en';
      el.client = rig.client;
    });
    await waitFor(() => element.snapshot?.phase === 'qr', 'the QR');
    await flush(element);
    buttonPart(element, 'use-phone').click();
    await flush(element);
    const input = part(element, 'input');
    if (!(input instanceof HTMLInputElement)) throw new Error('no phone input');
    return input;
  }

  async function type(input: HTMLInputElement, value: string): Promise<void> {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    await flush(element);
  }

  afterEach(() => {
    unmountAll();
    rig?.client.dispose();
  });

  it('offers the phone number form next to the QR, labelled, with a hint, focused', async () => {
    const input = await openForm();
    expect(focused(element)).to.equal(describeNode(input));
    const label = root(element).querySelector(`label[for="${input.id}"]`);
    expect(label?.textContent).to.equal('Phone number with country code');
    expect(input.getAttribute('aria-describedby')).to.equal('phone-hint');
    expect(root(element).getElementById('phone-hint')?.textContent).to.contain('country code first');
    expect(buttonLabels(element)).to.deep.equal(['Get code', 'Use a QR code instead']);
    expect(rig.backend.posts).to.deep.equal([]);
  });

  for (const bad of ['', '123', '0155123456', '52 1 55 abc 5678', '+1234567890123456']) {
    it(`refuses ${JSON.stringify(bad)} with a clear error and sends nothing`, async () => {
      const input = await openForm();
      await type(input, bad);
      buttonPart(element, 'request-code').click();
      await flush(element);
      expect(rig.backend.posts).to.deep.equal([]);
      expect(input.getAttribute('aria-invalid')).to.equal('true');
      const error = root(element).getElementById('phone-error');
      expect(error?.getAttribute('role')).to.equal('alert');
      expect(error?.textContent).to.equal('Enter 7 to 15 digits, starting with the country code.');
      expect(input.getAttribute('aria-describedby')).to.equal('phone-hint phone-error');
      expect(focused(element)).to.equal(describeNode(input));
    });
  }

  it('sends request_code with the digits, shows the pairing code large with instructions, then connects', async () => {
    const input = await openForm();
    await type(input, '+52 1 (55) 1234-5678');
    buttonPart(element, 'request-code').click();
    await waitFor(() => part(element, 'pairing-code') !== null, 'the pairing code');
    expect(rig.backend.posts.map((post) => post.body)).to.deep.equal([{ action: 'request_code', phoneNumber: '5215512345678' }]);
    expect(part(element, 'pairing-code')?.textContent).to.equal('ABCD-EFGH');
    expect(statusText(element)).to.equal('Enter this code on your phone');
    const steps = [...root(element).querySelectorAll('[part~="instructions"] li')].map((li) => li.textContent);
    expect(steps).to.have.length(4);
    expect(steps[2]).to.contain('Link with phone number instead');

    rig.backend.session = { ...base, status: 'WORKING', connected: true, me: { id: '5215512345678@c.us', pushName: 'Ana' } };
    await rig.clock.advance(8000);
    await waitFor(() => element.snapshot?.phase === 'connected', 'connected');
    await flush(element);
    expect(statusText(element)).to.equal('Active');
    expect(part(element, 'phone')?.textContent).to.contain('+52 1 55 1234 5678');
    expect(rig.backend.posts).to.have.length(1);
  });

  it('submits with the Enter key', async () => {
    const input = await openForm();
    input.focus();
    await sendKeys({ type: '5511912345678' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => rig.backend.posts.length === 1, 'the POST');
    expect(rig.backend.posts[0]?.body).to.deep.equal({ action: 'request_code', phoneNumber: '5511912345678' });
  });

  it('explains a backend that cannot give a code, and keeps the form', async () => {
    const input = await openForm();
    rig.backend.onPost = () => ({ status: 400, json: { error: { code: 'unsupported_action', message: 'Pairing codes are not enabled' } } });
    await type(input, '5215512345678');
    buttonPart(element, 'request-code').click();
    await waitFor(() => part(element, 'error') !== null, 'the error');
    expect(part(element, 'error')?.getAttribute('role')).to.equal('alert');
    expect(part(element, 'error')?.textContent).to.contain('Pairing codes are not enabled');
    expect(part(element, 'input')).to.exist;
    expect(buttonPart(element, 'request-code').disabled).to.equal(false);
  });

  it('while the code is requested, Get code is busy and its spinner says so (the working text)', async () => {
    const input = await openForm();
    rig.backend.holdPosts = true;
    await type(input, '5215512345678');
    buttonPart(element, 'request-code').click();
    await flush(element);
    const button = buttonPart(element, 'request-code');
    expect(button.getAttribute('aria-busy')).to.equal('true');
    expect(button.querySelector('.spinner[role="img"]')?.getAttribute('aria-label')).to.equal('Working…');
    rig.backend.releasePosts();
    await waitFor(() => part(element, 'pairing-code') !== null, 'the pairing code');
  });

  it('goes back to the QR', async () => {
    await openForm();
    buttonPart(element, 'use-qr').click();
    await flush(element);
    expect(part(element, 'input')).to.equal(null);
    await waitFor(() => part(element, 'qr-code') !== null, 'the QR');
    expect(focused(element)).to.equal(describeNode(buttonPart(element, 'use-phone')));
  });
});
