import { expect } from 'chai';
import type { SessionAnswerWire } from '@whatsapp-connector/client';
import type { WhatsAppConnector } from '../src/whatsapp-connector.js';
import { flush, part, record, unmountAll, waitFor } from './helpers/dom.js';
import { mountOnRealClient, type RealClientRig } from './helpers/real-client.js';

const base = { sessionName: 'eagles_42', connected: false };
// A payload shaped like WhatsApp's: ref, public keys, secret, comma separated.
const payload = '2@Zp1VbX3pL9c6nM0qR8sT2uV4wX6yZ8aB1cD3eF5gH7iJ9kL0mN2oP4qR6sT8uV0wX2yZ4==,dGhpcyBpcyBhIGtleQ==,c2VjcmV0IGtleSBoZXJl,YWR2IHNlY3JldA==';

/** Rebuilds the module matrix from the drawn SVG path (runs of `M x y h n v1 h -n z`). */
function drawnMatrix(element: WhatsAppConnector): boolean[][] {
  const svg = part(element, 'qr-code');
  const size = Number(svg?.getAttribute('data-size'));
  const d = svg?.querySelector('path')?.getAttribute('d') ?? '';
  const grid = Array.from({ length: size }, () => Array.from({ length: size }, () => false));
  for (const [, x, y, n] of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let i = 0; i < Number(n); i++) grid[Number(y)]![Number(x) + i] = true;
  }
  return grid;
}

// Imported on demand so that the first test can see the element load the encoder by itself.
// The element encodes a payload as ONE byte-mode segment at level M (qr-encoder.ts): the
// reference is qrcode's own encoder told the same, so an equal drawing decodes to the payload.
async function expectedMatrix(text: string): Promise<boolean[][]> {
  const { default: QRCode } = await import('qrcode');
  const { modules } = QRCode.create([{ data: new TextEncoder().encode(text), mode: 'byte' }], { errorCorrectionLevel: 'M' });
  return Array.from({ length: modules.size }, (_, y) => Array.from({ length: modules.size }, (_, x) => Boolean(modules.get(y, x))));
}

function encoderLoaded(): boolean {
  return performance.getEntriesByType('resource').some((entry) => /qr-encoder|qrcode/.test(entry.name));
}

// The linking view (src/linking/, with its texts from src/i18n/linking/) is a chunk of its own.
function linkingLoaded(): boolean {
  return performance.getEntriesByType('resource').some((entry) => /\/linking\//.test(entry.name));
}

describe('<whatsapp-connector> QR code', () => {
  let rig: RealClientRig;
  let element: WhatsAppConnector;

  async function start(session: SessionAnswerWire): Promise<void> {
    ({ rig, element } = await mountOnRealClient(session));
  }

  afterEach(() => {
    unmountAll();
    rig?.client.dispose();
  });

  // Keep this test first: it checks what this page has loaded so far.
  it('does not load the linking view or the encoder while a number is connected, and loads them when a QR is shown', async () => {
    await start({ ...base, status: 'WORKING', connected: true, me: { id: '5215512345678@c.us' } });
    expect(encoderLoaded(), 'encoder loaded while connected').to.equal(false);
    expect(linkingLoaded(), 'linking view loaded while connected').to.equal(false);
    rig.backend.session = { ...base, status: 'SCAN_QR_CODE', qr: payload };
    await rig.clock.advance(30000);
    await waitFor(() => part(element, 'qr-code') !== null, 'the QR');
    expect(encoderLoaded(), 'encoder loaded for the QR').to.equal(true);
    expect(linkingLoaded(), 'linking view loaded for the QR').to.equal(true);
  });

  it('draws exactly the matrix qrcode makes of the payload in byte mode', async () => {
    await start({ ...base, status: 'SCAN_QR_CODE', qr: payload });
    await waitFor(() => part(element, 'qr-code') !== null, 'the QR');
    const drawn = drawnMatrix(element);
    expect(drawn.length).to.be.greaterThan(20);
    expect(drawn).to.deep.equal(await expectedMatrix(payload));
  });

  it('re-draws when the payload changes, and the new drawing decodes to the new payload', async () => {
    await start({ ...base, status: 'SCAN_QR_CODE', qr: payload });
    await waitFor(() => part(element, 'qr-code') !== null, 'the QR');
    const first = drawnMatrix(element);
    const events = record(element, ['wac-qr']);
    const rotated = `${payload.slice(0, -4)}ZZ==`;
    rig.backend.session = { ...base, status: 'SCAN_QR_CODE', qr: rotated };
    await rig.clock.advance(8000);
    await waitFor(() => events.log.length === 1, 'wac-qr for the new code');
    events.stop();
    const second = drawnMatrix(element);
    expect(second).to.not.deep.equal(first);
    expect(second).to.deep.equal(await expectedMatrix(rotated));
  });

  it('draws a payload that qrcode alone would split into numeric and byte segments in byte mode', async () => {
    const digits = `2@${'1234567890'.repeat(6)},a`;
    await start({ ...base, status: 'SCAN_QR_CODE', qr: digits });
    await waitFor(() => part(element, 'qr-code') !== null, 'the QR');
    const { default: QRCode } = await import('qrcode');
    expect(QRCode.create(digits).segments.map((segment) => segment.mode.id), 'qrcode segments it').to.include('Numeric');
    expect(drawnMatrix(element)).to.deep.equal(await expectedMatrix(digits));
  });

  it('keeps a quiet zone, a white background and a text alternative', async () => {
    await start({ ...base, status: 'SCAN_QR_CODE', qr: 'short' });
    await waitFor(() => part(element, 'qr-code') !== null, 'the QR');
    const svg = part(element, 'qr-code')!;
    const size = Number(svg.getAttribute('data-size'));
    expect(svg.getAttribute('viewBox')).to.equal(`-4 -4 ${size + 8} ${size + 8}`);
    expect(svg.querySelector('rect')?.getAttribute('fill')).to.equal('#fff');
    expect(svg.getAttribute('role')).to.equal('img');
    expect(svg.getAttribute('aria-label')).to.equal('QR code to link WhatsApp. Scan it with WhatsApp on your phone.');
  });

  it('shows nothing of the QR after it is scanned', async () => {
    await start({ ...base, status: 'SCAN_QR_CODE', qr: payload });
    await waitFor(() => part(element, 'qr-code') !== null, 'the QR');
    rig.backend.session = { ...base, status: 'WORKING', connected: true, me: { id: '5215512345678@c.us' } };
    await rig.clock.advance(8000);
    await waitFor(() => element.snapshot?.phase === 'connected', 'connected');
    await flush(element);
    expect(part(element, 'qr')).to.equal(null);
    expect(part(element, 'qr-code')).to.equal(null);
  });
});
