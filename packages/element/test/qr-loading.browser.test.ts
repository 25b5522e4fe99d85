import { expect } from 'chai';
import { QR_DRAWING } from '../src/views/qr.js';
import { FakeSessionClient } from './helpers/fake-client.js';
import { buttonPart, flush, mount, part, root, statusText, unmountAll, waitFor } from './helpers/dom.js';

type QrDrawingModule = NonNullable<typeof QR_DRAWING.value>;

const qrImage =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

// The QR drawing (and its encoder) is one chunk loaded on demand. These tests
// make that load fail, so they run before anything in this page has loaded it,
// and put the real loader back afterwards.
describe('<whatsapp-connector> when the QR drawing cannot be loaded', () => {
  const realLoad = QR_DRAWING.load.bind(QR_DRAWING);
  let attempts = 0;
  let failing = true;

  beforeEach(() => {
    attempts = 0;
    failing = true;
    let last: Promise<QrDrawingModule> | null = null;
    // Counts loads started, as the real loader joins one under way.
    (QR_DRAWING as { load(): Promise<QrDrawingModule> | null }).load = () => {
      const loading = failing ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : realLoad();
      if (loading !== null && loading !== last) attempts++;
      last = loading;
      return loading;
    };
  });

  afterEach(() => {
    unmountAll();
    (QR_DRAWING as { load(): Promise<QrDrawingModule> | null }).load = realLoad;
  });

  it('says the code could not be drawn, does not retry in a loop, and tries again with the next QR', async () => {
    const client = new FakeSessionClient();
    client.push({ phase: 'qr', status: 'SCAN_QR', qr: '2@first' });
    const element = await mount((el) => {
      el.lang = 'en';
      el.client = client;
    });
    expect(statusText(element)).to.equal('Link your WhatsApp');
    const alert = root(element).querySelector('[part~="qr"] [role="alert"]');
    expect(alert?.textContent?.trim()).to.equal('The code could not be drawn. Try again.');
    expect(attempts).to.equal(1);
    // Linking by phone number does not need the chunk.
    buttonPart(element, 'use-phone').click();
    await element.updateComplete;
    expect(part(element, 'phone-form')).to.not.equal(null);
    root(element).querySelector<HTMLButtonElement>('[part~="use-qr"]')?.click();
    await element.updateComplete;

    // Other updates with the same QR (a poll, a language switch) do not retry.
    client.push({ lastUpdatedAt: 2 });
    element.lang = 'es';
    await flush(element, 10);
    expect(attempts, 'no retry while the same QR is shown').to.equal(1);
    expect(part(element, 'qr-code')).to.equal(null);

    failing = false;
    client.push({ qr: '2@second' });
    await element.updateComplete;
    expect(attempts, 'the next QR tries again').to.equal(2);
    await waitFor(() => part(element, 'qr-code') !== null, 'the QR');
    expect(root(element).querySelector('[part~="qr"] [role="alert"]')).to.equal(null);
  });

  it('shows a backend\'s ready image without loading the drawing', async () => {
    const client = new FakeSessionClient();
    client.push({ phase: 'qr', status: 'SCAN_QR', qr: null, qrImage });
    const element = await mount((el) => {
      el.lang = 'en';
      el.client = client;
    });
    expect(part(element, 'qr-code')?.getAttribute('src')).to.equal(qrImage);
    expect(attempts, 'no load for an image').to.equal(0);
  });
});
