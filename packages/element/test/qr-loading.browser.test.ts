import { expect } from 'chai';
import { QR_PHASE } from '../src/views/index.js';
import { FakeSessionClient } from './helpers/fake-client.js';
import { flush, mount, part, root, statusText, unmountAll, waitFor } from './helpers/dom.js';

type QrPhaseModule = NonNullable<typeof QR_PHASE.value>;

// The QR phase (its view, the drawing and the encoder) is one chunk loaded on
// demand. These tests make that load fail, so they run before anything in this
// page has loaded it, and put the real loader back afterwards.
describe('<whatsapp-connector> when the QR chunk cannot be loaded', () => {
  const realLoad = QR_PHASE.load.bind(QR_PHASE);
  let attempts = 0;
  let failing = true;

  beforeEach(() => {
    attempts = 0;
    failing = true;
    let last: Promise<QrPhaseModule> | null = null;
    // Counts loads started, as the real loader joins one under way.
    (QR_PHASE as { load(): Promise<QrPhaseModule> | null }).load = () => {
      const loading = failing ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : realLoad();
      if (loading !== null && loading !== last) attempts++;
      last = loading;
      return loading;
    };
  });

  afterEach(() => {
    unmountAll();
    (QR_PHASE as { load(): Promise<QrPhaseModule> | null }).load = realLoad;
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
});
