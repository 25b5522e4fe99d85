import { expect } from 'chai';
import sinon from 'sinon';
import { LINKING_VIEW, QR_DRAWING } from '../src/views/linking.js';
import { buttonPart, flush, mountOnFakeClient, part, root, statusText, unmountAll, waitFor } from './helpers/dom.js';

type QrDrawingModule = NonNullable<typeof QR_DRAWING.value>;
type LinkingModule = NonNullable<typeof LINKING_VIEW.value>;

const qrImage =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

// Mounts an element whose session awaits a scan with no QR payload yet.
async function mountAwaitingScan() {
  const { element } = await mountOnFakeClient({ phase: 'qr', status: 'SCAN_QR', qr: null });
  return element;
}

// The linking view is a chunk loaded when a scan is awaited. This test makes that
// load fail, so it runs first in this page, and puts the real loader back. Its
// session has no QR payload yet, so that the QR drawing stays unloaded for the next tests.
describe('<whatsapp-connector> when the linking view cannot be loaded', () => {
  const realLoad = LINKING_VIEW.load.bind(LINKING_VIEW);

  afterEach(() => {
    unmountAll();
    (LINKING_VIEW as { load(): Promise<LinkingModule> | null }).load = realLoad;
  });

  it('detached while its retry waits, tries again once re-attached (and leaves no timer while detached)', async () => {
    let attempts = 0;
    (LINKING_VIEW as { load(): Promise<LinkingModule> | null }).load = () => {
      attempts++;
      return Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
    };
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const element = await mountAwaitingScan();
      await flush(element, 10);
      expect(attempts, 'the first load failed').to.equal(1);
      expect(clock.countTimers(), 'its retry waits').to.equal(1);
      element.remove();
      expect(clock.countTimers(), 'no timer while detached').to.equal(0);
      clock.tick(60_000);
      document.body.append(element);
      await flush(element, 10);
      expect(attempts, 'tried again once re-attached').to.equal(2);
      expect(clock.countTimers(), 'and its retry waits again').to.equal(1);
    } finally {
      clock.restore();
    }
  });

  it('says so in an alert, tries again on the client\'s backoff (2 s, 4 s), never in a loop, then shows the view', async () => {
    let attempts = 0;
    let failing = true;
    // Counts loads started (the real loader answers null once loaded).
    (LINKING_VIEW as { load(): Promise<LinkingModule> | null }).load = () => {
      const loading = failing ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : realLoad();
      if (loading) attempts++;
      return loading;
    };
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const element = await mountAwaitingScan();
      await flush(element, 10);
      expect(statusText(element)).to.equal('Link your WhatsApp');
      expect(root(element).querySelector('[role="alert"]')?.textContent?.trim()).to.equal('The code could not be drawn. Try again.');
      expect(attempts, 'no retry loop after a failure').to.equal(1);

      clock.tick(1999);
      await flush(element);
      expect(attempts, 'not before 2 s').to.equal(1);
      clock.tick(1);
      await flush(element);
      expect(attempts, 'after 2 s').to.equal(2);
      clock.tick(3999);
      await flush(element);
      expect(attempts, 'not before 4 more s').to.equal(2);
      failing = false;
      clock.tick(1);
      await waitFor(() => part(element, 'use-phone') !== null, 'the linking view');
      expect(attempts).to.equal(3);
      expect(root(element).querySelector('.detail[role="alert"]')).to.equal(null);
      expect(clock.countTimers(), 'no retry once loaded').to.equal(0);
    } finally {
      clock.restore();
    }
  });
});

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
    const { client, element } = await mountOnFakeClient({ phase: 'qr', status: 'SCAN_QR', qr: '2@first' });
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
    const { element } = await mountOnFakeClient({ phase: 'qr', status: 'SCAN_QR', qr: null, qrImage });
    expect(part(element, 'qr-code')?.getAttribute('src')).to.equal(qrImage);
    expect(attempts, 'no load for an image').to.equal(0);
  });
});
