import { expect } from 'chai';
import type { SessionStatus } from '@whatsapp-connector/client';
import { LINKING_VIEW } from '../src/views/linking.js';
import { flush, mountOnFakeClient, part, root, statusText, unmountAll, waitFor } from './helpers/dom.js';

type LinkingModule = NonNullable<typeof LINKING_VIEW.value>;
type Loader = { load(): Promise<LinkingModule> | null };

// The linking view's chunk holds every linking phase (QR, passkey, an expired code)
// with its texts. This page starts without it: the first test sees whether a linked
// session makes the element load it.
describe('<whatsapp-connector> and the linking phases', () => {
  const realLoad = LINKING_VIEW.load.bind(LINKING_VIEW);
  let loads = 0;
  let failing = false;

  beforeEach(() => {
    loads = 0;
    failing = false;
    (LINKING_VIEW as Loader).load = () => {
      const loading = failing ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : realLoad();
      if (loading) loads++;
      return loading;
    };
  });

  afterEach(() => {
    unmountAll();
    (LINKING_VIEW as Loader).load = realLoad;
  });

  async function show(phase: 'connected' | 'passkey' | 'qr-expired', status: SessionStatus) {
    const { element } = await mountOnFakeClient({ phase, status, me: phase === 'connected' ? { id: '5215512345678@c.us', pushName: 'Eagles' } : null });
    return element;
  }

  it('a linked session never loads the linking view', async () => {
    const element = await show('connected', 'WORKING');
    await flush(element, 10);
    expect(statusText(element)).to.equal('Active');
    expect(loads).to.equal(0);
    expect(LINKING_VIEW.value).to.equal(undefined);
  });

  it('passkey whose chunk cannot load waits (nothing to draw, no alert)', async () => {
    failing = true;
    const element = await show('passkey', 'SCAN_QR');
    await flush(element, 10);
    expect(loads).to.equal(1);
    expect(statusText(element)).to.equal('Loading…');
    expect(root(element).querySelector('[role="alert"]')).to.equal(null);
    // Left unloaded: the next test sees an expired code's chunk fail, then arrive.
  });

  it('an expired code whose chunk cannot load keeps its way out (the failed view\'s reconnect), then offers a new code once it arrives', async () => {
    failing = true;
    const element = await show('qr-expired', 'FAILED');
    await flush(element, 10);
    expect(loads).to.equal(1);
    expect(statusText(element)).to.equal('WhatsApp is not connected');
    expect(root(element).querySelector('[part~="status"]')?.className).to.not.contain('tone-progress');
    expect(part(element, 'reconnect')?.textContent).to.equal('Link WhatsApp');
    failing = false;
    // Tried again on the client's backoff (2 s after the first failure).
    await waitFor(() => statusText(element) === 'The code expired', 'the expired view', 4000);
    expect(loads).to.equal(2);
    expect(part(element, 'reconnect')?.textContent).to.equal('Show a new code');
    expect(root(element).querySelector('[role="alert"]')).to.equal(null);
  });

  it('passkey: the phone must confirm, with the texts that came with the chunk', async () => {
    const element = await show('passkey', 'SCAN_QR');
    await element.updateComplete;
    expect(statusText(element)).to.equal('Confirm on your phone');
    expect(root(element).querySelector('.detail')?.textContent).to.equal('WhatsApp is waiting for you to confirm on your phone.');
  });
});
