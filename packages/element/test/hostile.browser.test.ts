import { expect } from 'chai';
import type { SessionAnswerWire } from '@whatsapp-connector/client';
import type { WhatsAppConnector } from '../src/whatsapp-connector.js';
import { en } from '../src/i18n/built-in.js';
import { allText, buttonPart, flush, mount, mountOnFakeClient, part, root, statusText, unmountAll, waitFor } from './helpers/dom.js';
import { mountOnRealClient, plausibleBackend, realClient, type RealClientRig } from './helpers/real-client.js';

const XSS = `<img src=x onerror="window.__wacPwned=1"><script>window.__wacPwned=2</script>`;
const base = { sessionName: 'eagles_42', connected: false };

type Pwned = { __wacPwned?: number };

/** Elements the element itself never renders; finding one means markup was injected. */
function injected(element: WhatsAppConnector): Element[] {
  return [...root(element).querySelectorAll('script, iframe, object, embed, a, img:not([part~="qr-code"])')];
}

describe('<whatsapp-connector> hostile server strings', () => {
  let rig: RealClientRig;
  let element: WhatsAppConnector;

  async function show(session: SessionAnswerWire): Promise<void> {
    ({ rig, element } = await mountOnRealClient(session));
  }

  afterEach(() => {
    unmountAll();
    rig?.client.dispose();
    delete (window as Pwned).__wacPwned;
  });

  it('a push name with markup is shown as text', async () => {
    await show({ ...base, status: 'WORKING', connected: true, me: { id: '5215512345678@c.us', pushName: XSS } });
    expect(part(element, 'name')?.textContent).to.equal(XSS);
    expect(injected(element)).to.deep.equal([]);
    expect((window as Pwned).__wacPwned).to.equal(undefined);
  });

  it('an id that is not a phone number is not shown as one, and nothing is injected', async () => {
    await show({ ...base, status: 'WORKING', connected: true, me: { id: `${XSS}@c.us`, pushName: 'Ana' } });
    expect(part(element, 'phone')).to.equal(null);
    expect(part(element, 'name')?.textContent).to.equal('Ana');
    expect(injected(element)).to.deep.equal([]);
  });

  it('a failure reason with markup is text', async () => {
    await show({ ...base, status: 'FAILED', error: XSS });
    expect(part(element, 'reason')?.textContent).to.equal(XSS);
    expect(injected(element)).to.deep.equal([]);
  });

  it('an HTTP error message with markup is text', async () => {
    rig = realClient(plausibleBackend());
    rig.backend.reply({ status: 500, json: { error: { code: 'boom', message: XSS } } });
    element = await mount((el) => {
      el.lang = 'en';
      el.client = rig.client;
    });
    await waitFor(() => element.snapshot?.phase === 'unreachable', 'unreachable');
    await flush(element);
    expect(allText(element)).to.contain(XSS);
    expect(injected(element)).to.deep.equal([]);
  });

  it('an HTML error page is never rendered', async () => {
    rig = realClient(plausibleBackend());
    rig.backend.reply({ status: 502, text: `<html><body>${XSS}</body></html>`, headers: { 'content-type': 'text/html' } });
    element = await mount((el) => {
      el.lang = 'en';
      el.client = rig.client;
    });
    await waitFor(() => element.snapshot?.phase === 'unreachable', 'unreachable');
    await flush(element);
    expect(injected(element)).to.deep.equal([]);
    expect((window as Pwned).__wacPwned).to.equal(undefined);
  });

  it('a QR payload with markup is only ever encoded, never rendered', async () => {
    await show({ ...base, status: 'SCAN_QR_CODE', qr: XSS });
    await waitFor(() => part(element, 'qr-code') !== null, 'the QR');
    expect(allText(element)).to.not.contain('onerror');
    expect(injected(element)).to.deep.equal([]);
  });

  it('a pairing code with markup is text', async () => {
    await show({ ...base, status: 'SCAN_QR_CODE', qr: 'x' });
    rig.backend.onPost = () => ({ json: { ...base, status: 'SCAN_QR_CODE', qr: 'x', pairingCode: XSS } });
    buttonPart(element, 'use-phone').click();
    await flush(element);
    const input = part(element, 'input') as HTMLInputElement;
    input.value = '5215512345678';
    input.dispatchEvent(new Event('input'));
    await flush(element);
    buttonPart(element, 'request-code').click();
    await waitFor(() => part(element, 'pairing-code') !== null, 'the code');
    expect(part(element, 'pairing-code')?.textContent).to.equal(XSS);
    expect(injected(element)).to.deep.equal([]);
  });

  for (const qrImage of [
    'javascript:window.__wacPwned=1',
    'data:text/html;base64,PHNjcmlwdD53aW5kb3cuX193YWNQd25lZD0xPC9zY3JpcHQ+',
    'data:image/svg+xml;utf8,<svg onload="window.__wacPwned=1"/>',
    'https://evil.example/qr.png',
    'data:image/png;base64,AAAA" onerror="window.__wacPwned=1',
  ]) {
    it(`refuses the QR image ${qrImage.slice(0, 32)}…`, async () => {
      // Pushed straight into the snapshot: the element checks even what a client let through.
      ({ element } = await mountOnFakeClient({ phase: 'qr', status: 'SCAN_QR', qrImage }));
      await flush(element);
      expect(root(element).querySelector('img')).to.equal(null);
      expect((window as Pwned).__wacPwned).to.equal(undefined);
    });
  }
});

// `strings` is typed, but translations often come from JSON (a file, a CMS): at run time
// anything may arrive. docs/security.md: "Your own strings overrides are text as well".
describe('<whatsapp-connector> strings overrides from JSON', () => {
  afterEach(() => {
    unmountAll();
    delete (window as { __pwned?: number }).__pwned;
  });

  it('an object shaped like a view description is never turned into markup; the built-in text stays', async () => {
    const translations = JSON.parse(
      '{"active": {"tag": "img", "props": {"src": "data:,x", "onerror": "window.__pwned = 1", ".innerHTML": "<b>bold</b>"}, "children": []},' +
        ' "changeNumber": {"tag": "span", "props": {".innerHTML": "<img src=x onerror=\\"window.__pwned = 2\\">"}, "children": []},' +
        ' "logout": "Sign out"}',
    );
    const { element } = await mountOnFakeClient({ phase: 'connected', status: 'WORKING', me: { id: '5215512345678@c.us', pushName: 'E' } }, (el) => (el.strings = translations));
    await flush(element);
    // No <img> exists, so no onerror can ever run.
    expect(root(element).querySelectorAll('img, b')).to.have.length(0);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    expect(part(element, 'status')?.textContent).to.equal('Active');
    expect(buttonPart(element, 'change-number').textContent).to.equal('Change number');
    expect(buttonPart(element, 'logout').textContent).to.equal('Sign out');
  });

  it('a text where a list belongs, or a list where a text belongs, keeps the built-in value', async () => {
    const translations = JSON.parse('{"qrSteps": "Scan the code", "qrTitle": ["Link", {"x": 1}]}');
    const { element } = await mountOnFakeClient({ phase: 'qr', status: 'SCAN_QR', qr: 'code-1' }, (el) => (el.strings = translations));
    await waitFor(() => part(element, 'instructions') !== null, 'the linking view');
    expect([...part(element, 'instructions')!.querySelectorAll('li')].map((li) => li.textContent)).to.deep.equal([...en.qrSteps]);
    expect(statusText(element)).to.equal(en.qrTitle);
  });

  it('a list of texts where a list belongs is used; a list with anything else in it is not', async () => {
    const { element } = await mountOnFakeClient({ phase: 'qr', status: 'SCAN_QR', qr: 'code-1' }, (el) => (el.strings = JSON.parse('{"qrSteps": ["One", "Two"], "qrTitle": "Link the sales phone"}')));
    await waitFor(() => part(element, 'instructions') !== null, 'the linking view');
    expect([...part(element, 'instructions')!.querySelectorAll('li')].map((li) => li.textContent)).to.deep.equal(['One', 'Two']);
    expect(statusText(element)).to.equal('Link the sales phone');
    element.strings = JSON.parse('{"qrSteps": ["One", 2]}');
    await flush(element);
    expect([...part(element, 'instructions')!.querySelectorAll('li')].map((li) => li.textContent)).to.deep.equal([...en.qrSteps]);
  });
});
