import { expect } from 'chai';
import type { SessionAnswerWire } from '@whatsapp-connector/client';

// The page is loaded as it is, in an iframe, with the standalone build (`npm run build`)
// and `?endpoint=` pointing at the dev server's scripted session backend (see
// fakeSessionEndpoint in web-test-runner.config.mjs).

interface Recorded {
  readonly method: string;
  readonly body: unknown;
}

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 10));
  }
}

let seq = 0;

describe('examples/vanilla (standalone build in a plain HTML page)', () => {
  let frame: HTMLIFrameElement;
  let endpoint: string;

  async function open(session: SessionAnswerWire): Promise<Document> {
    endpoint = `/__fake-session/vanilla-${Date.now()}-${++seq}`;
    await fetch(`${endpoint}/__control`, { method: 'POST', body: JSON.stringify({ session }) });
    frame = document.createElement('iframe');
    frame.src = `/examples/vanilla/index.html?endpoint=${encodeURIComponent(endpoint)}`;
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    await loaded;
    const doc = frame.contentDocument;
    if (!doc) throw new Error('no iframe document');
    return doc;
  }

  async function requests(): Promise<Recorded[]> {
    const answer = (await (await fetch(`${endpoint}/__control`)).json()) as { requests: Recorded[] };
    return answer.requests;
  }

  const widget = (doc: Document) => doc.querySelector('whatsapp-connector');
  const shadowPart = (doc: Document, name: string) => widget(doc)?.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;
  const events = (doc: Document) => [...doc.querySelectorAll('#events li')].map((li) => li.textContent);

  before(async () => {
    const standalone = await fetch('/packages/element/dist/standalone/whatsapp-connector.js', { method: 'HEAD' });
    if (!standalone.ok) throw new Error('The standalone build is missing: run `npm run build` (or `WAC_PACKAGES=element npx rollup -c`) first.');
  });

  afterEach(() => frame.remove());

  it('upgrades the element from the standalone build and shows the QR of the backend', async () => {
    const doc = await open({ status: 'SCAN_QR_CODE', sessionName: 'eagles_42', connected: false, qr: '2@vanilla' });
    await waitFor(() => shadowPart(doc, 'qr-code') !== null, 'the QR');
    const element = widget(doc);
    expect(frame.contentWindow?.customElements.get('whatsapp-connector')).to.be.a('function');
    expect(element?.getAttribute('endpoint')).to.equal(endpoint);
    // The ?endpoint= was in place before the first request: the default endpoint was never asked.
    expect((await requests()).map((r) => r.method)).to.deep.equal(['GET']);
  });

  it('draws with the build\'s own QR chunk exactly the matrix qrcode makes of the payload', async () => {
    // A payload shaped like WhatsApp's (about 240 bytes: version 10 at level M, several blocks).
    const payload = `2@${'Zp1VbX3pL9c6nM0qR8sT2uV4wX6yZ8aB1cD3eF5gH7iJ9kL0mN2oP4qR6sT8uV0wX2yZ4'.repeat(2)}==,dGhpcyBpcyBhIGtleQ==,c2VjcmV0IGtleSBoZXJl,YWR2IHNlY3JldA==,ñandú`;
    const doc = await open({ status: 'SCAN_QR_CODE', sessionName: 'eagles_42', connected: false, qr: payload });
    await waitFor(() => shadowPart(doc, 'qr-code') !== null, 'the QR');
    const svg = shadowPart(doc, 'qr-code')!;
    const size = Number(svg.getAttribute('data-size'));
    const drawn = Array.from({ length: size }, () => Array.from({ length: size }, () => false));
    for (const [, x, y, n] of (svg.querySelector('path')?.getAttribute('d') ?? '').matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
      for (let i = 0; i < Number(n); i++) drawn[Number(y)]![Number(x) + i] = true;
    }
    const { default: QRCode } = await import('qrcode');
    const { modules } = QRCode.create([{ data: new TextEncoder().encode(payload), mode: 'byte' }], { errorCorrectionLevel: 'M' });
    const expected = Array.from({ length: modules.size }, (_, y) => Array.from({ length: modules.size }, (_, x) => Boolean(modules.get(y, x))));
    expect(size).to.equal(modules.size);
    expect(drawn).to.deep.equal(expected);
  });

  it('logs the wac-* events on the page', async () => {
    const doc = await open({ status: 'SCAN_QR_CODE', sessionName: 'eagles_42', connected: false, qr: '2@vanilla' });
    await waitFor(() => events(doc).includes('wac-qr new code'), 'the wac-qr line');
    expect(events(doc)[0]).to.equal('wac-status-change SCAN_QR');
  });

  it('a click on Link WhatsApp sends one POST and the log shows the action', async () => {
    const doc = await open({ status: 'FAILED', sessionName: 'eagles_42', connected: false, error: 'Session failed' });
    await waitFor(() => shadowPart(doc, 'reconnect') !== null, 'the Link WhatsApp button');
    expect(events(doc)).to.include('wac-failed FAILED');
    shadowPart(doc, 'reconnect')?.click();
    await waitFor(() => events(doc).includes('wac-action reconnect success'), 'the action in the log');
    await waitFor(() => shadowPart(doc, 'qr-code') !== null, 'the new QR');
    const posts = (await requests()).filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.body)).to.deep.equal([{ action: 'reconnect' }]);
    expect(events(doc)).to.include.members(['wac-action reconnect start', 'wac-status-change SCAN_QR']);
  });
});
