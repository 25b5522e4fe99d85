import { expect } from 'chai';
import 'axe-core';
import type { AxeResults, RunOptions } from 'axe-core';
import type { SessionSnapshot } from '@whatsapp-connector/client';
import type { WhatsAppConnector } from '../src/whatsapp-connector.js';
import { FakeSessionClient, SessionError } from './helpers/fake-client.js';
import { buttonPart, flush, mountOnFakeClient, part, root, unmountAll, waitFor } from './helpers/dom.js';

// axe-core is a UMD bundle: imported for its side effect, it installs `window.axe`.
const axe = (globalThis as unknown as { axe: { run(context: Element, options: RunOptions): Promise<AxeResults> } }).axe;

const me = { id: '5215512345678@c.us', pushName: 'Ventas Norte' };
const qrImage =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

async function expectNoViolations(element: WhatsAppConnector, what: string): Promise<void> {
  const results = await axe.run(element, { resultTypes: ['violations'] });
  const violations = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(violations, `${what}: ${violations.join('; ')}`).to.deep.equal([]);
}

interface Scenario {
  readonly name: string;
  readonly snapshot: Partial<SessionSnapshot>;
  /** Puts the element into a local state (form, confirmation…). */
  readonly then?: (element: WhatsAppConnector, client: FakeSessionClient) => Promise<void>;
}

const scenarios: Scenario[] = [
  { name: 'loading', snapshot: { phase: 'loading' } },
  { name: 'starting', snapshot: { phase: 'starting', status: 'STARTING' } },
  {
    name: 'QR drawn',
    snapshot: { phase: 'qr', status: 'SCAN_QR', qr: '2@abc,def,ghi' },
    then: async (element) => waitFor(() => part(element, 'qr-code') !== null, 'the QR'),
  },
  { name: 'QR image', snapshot: { phase: 'qr', status: 'SCAN_QR', qrImage } },
  {
    name: 'phone form with an error',
    snapshot: { phase: 'qr', status: 'SCAN_QR', qr: 'x' },
    then: async (element) => {
      buttonPart(element, 'use-phone').click();
      await flush(element);
      buttonPart(element, 'request-code').click();
      await flush(element);
    },
  },
  {
    name: 'pairing code',
    snapshot: { phase: 'qr', status: 'SCAN_QR', qr: 'x', pairingCode: 'ABCD-EFGH' },
    then: async (element) => {
      buttonPart(element, 'use-phone').click();
      await flush(element);
    },
  },
  { name: 'passkey', snapshot: { phase: 'passkey', status: 'PASSKEY_REQUIRED' } },
  { name: 'connected', snapshot: { phase: 'connected', status: 'WORKING', me } },
  {
    name: 'logout confirmation',
    snapshot: { phase: 'connected', status: 'WORKING', me },
    then: async (element) => {
      buttonPart(element, 'logout').click();
      await flush(element);
    },
  },
  {
    name: 'an action running',
    snapshot: { phase: 'connected', status: 'WORKING', me },
    then: async (element) => {
      buttonPart(element, 'change-number').click();
      await flush(element);
    },
  },
  {
    name: 'a refused action',
    snapshot: { phase: 'failed', status: 'FAILED' },
    then: async (element, client) => {
      buttonPart(element, 'reconnect').click();
      client.settle({ ok: false, error: new SessionError({ code: 'http', message: 'Conflict', httpStatus: 409 }) });
      await flush(element);
    },
  },
  { name: 'reconnecting', snapshot: { phase: 'reconnecting', status: 'STOPPED', me } },
  { name: 'stopped, not linked', snapshot: { phase: 'reconnecting', status: 'STOPPED' } },
  {
    name: 'flapping',
    snapshot: { phase: 'connected', status: 'WORKING', me, health: { level: 'degraded', reason: 'flapping' } },
  },
  {
    name: 'failed',
    snapshot: { phase: 'failed', status: 'FAILED', error: new SessionError({ code: 'session_failed', message: 'Crashed' }) },
  },
  { name: 'qr-expired', snapshot: { phase: 'qr-expired', status: 'FAILED' } },
  { name: 'checking', snapshot: { phase: 'checking', status: 'UNKNOWN' } },
  { name: 'unreachable', snapshot: { phase: 'unreachable', error: new SessionError({ code: 'network', message: 'Failed to fetch' }) } },
  {
    name: 'unauthorized',
    snapshot: { phase: 'unauthorized', error: new SessionError({ code: 'unauthorized', message: 'Login', httpStatus: 401 }) },
  },
];

describe('<whatsapp-connector> accessibility', () => {
  afterEach(unmountAll);

  for (const theme of ['light', 'dark'] as const) {
    for (const scenario of scenarios) {
      it(`axe finds no violation: ${scenario.name} (${theme})`, async () => {
        const { client, element } = await mountOnFakeClient(scenario.snapshot, (el) => (el.theme = theme));
        await scenario.then?.(element, client);
        await expectNoViolations(element, scenario.name);
      });
    }
  }

  it('the axe harness sees inside the shadow root (an emptied label is caught)', async () => {
    const { element } = await mountOnFakeClient({ phase: 'failed', status: 'FAILED' }, (el) => (el.strings = { linkWhatsApp: '' }));
    const results = await axe.run(element, { resultTypes: ['violations'] });
    expect(results.violations.map((v) => v.id)).to.include('button-name');
  });

  it('keeps one persistent role="status" region across states', async () => {
    const { client, element } = await mountOnFakeClient({ phase: 'starting', status: 'STARTING' });
    const region = root(element).querySelector('[role="status"]');
    expect(region).to.exist;
    client.push({ phase: 'connected', status: 'WORKING', me });
    await flush(element);
    expect(root(element).querySelector('[role="status"]') === region, 'the same region element').to.equal(true);
    expect(region?.textContent).to.contain('Active');
    expect(root(element).querySelectorAll('[role="status"]').length).to.equal(1);
  });

  it('errors are alerts', async () => {
    const { element } = await mountOnFakeClient({ phase: 'unreachable', error: new SessionError({ code: 'timeout', message: 'slow' }) });
    expect(root(element).querySelector('[role="alert"]')?.textContent).to.contain('The server took too long to answer.');
  });

  it('shows a visible focus ring on buttons focused with the keyboard', async () => {
    const { element } = await mountOnFakeClient({ phase: 'failed', status: 'FAILED' });
    const { sendKeys } = await import('@web/test-runner-commands');
    element.focus();
    await sendKeys({ press: 'Tab' });
    const focused = root(element).activeElement as HTMLElement;
    expect(focused === buttonPart(element, 'reconnect'), 'focus on Link WhatsApp').to.equal(true);
    const style = getComputedStyle(focused);
    expect(style.outlineStyle).to.equal('solid');
    expect(parseFloat(style.outlineWidth)).to.be.at.least(2);
  });
});
