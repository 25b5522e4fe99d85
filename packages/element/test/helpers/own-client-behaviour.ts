// What a page sees of the element's OWN client, written once and run against two builds of the element, each in its own page:
// the sources (ELEMENT_OWNED false: what a bundler makes from npm) and the standalone build
// (dist/standalone, ELEMENT_OWNED true). Both files must pass: same cadence, floor, sharing rule,
// backoff, timeout, visibility pause, wac-qr and status-line margin. Real Chromium; the global fetch
// and timers are replaced (the element's own client looks them up at call time).
import { expect } from 'chai';
import sinon from 'sinon';
import { FakeEventSource } from '../../../client/test-kit/index.js';
// page.js, not dom.js: dom.js loads the sources, which would define the element before the standalone build does.
import { flush, part, statusText, useGlobalRig, waitFor } from './page.js';

const base = { sessionName: 'eagles_42', connected: false };
const me = { id: '5215512345678@c.us', pushName: 'Ventas' };

export function describeOwnClient(build: string, load: () => Promise<unknown>): void {
  describe(`the element's own client (${build})`, () => {
    const rig = useGlobalRig({ ...base, status: 'SCAN_QR_CODE', qr: 'code-1' });
    const { widget, tick } = rig;

    before(async () => {
      await load();
    });

    afterEach(() => {
      delete (document as { visibilityState?: string }).visibilityState;
    });

    it('qr-interval and connected-interval are the cadences', async () => {
      const el = await widget((e) => {
        e.setAttribute('qr-interval', '5000');
        e.setAttribute('connected-interval', '12000');
      });
      await waitFor(() => el.snapshot?.phase === 'qr', 'the first answer');
      await tick(4999);
      expect(rig.backend.gets.length).to.equal(1);
      rig.backend.session = { ...base, status: 'WORKING', connected: true, me };
      await tick(1);
      expect(rig.backend.gets.length).to.equal(2);
      await waitFor(() => el.snapshot?.phase === 'connected', 'connected');
      await tick(11999);
      expect(rig.backend.gets.length).to.equal(2);
      await tick(1);
      expect(rig.backend.gets.length).to.equal(3);
    });

    it('an interval below the floor polls every second', async () => {
      const el = await widget((e) => e.setAttribute('qr-interval', '10'));
      await waitFor(() => el.snapshot?.phase === 'qr', 'the first answer');
      await tick(999);
      expect(rig.backend.gets.length).to.equal(1);
      await tick(1);
      expect(rig.backend.gets.length).to.equal(2);
    });

    it('a changed qr-interval on the only element is used from then on', async () => {
      const el = await widget((e) => e.setAttribute('qr-interval', '5000'));
      await waitFor(() => el.snapshot?.phase === 'qr', 'the first answer');
      el.setAttribute('qr-interval', '2000');
      await el.updateComplete;
      await waitFor(() => rig.backend.gets.length === 2, 'the new client\'s first poll');
      await tick(1999);
      expect(rig.backend.gets.length).to.equal(2);
      await tick(1);
      expect(rig.backend.gets.length).to.equal(3);
    });

    it('two elements on one endpoint share a client: the first one\'s interval and headers', async () => {
      const a = await widget((e) => {
        e.setAttribute('qr-interval', '5000');
        e.headers = { 'X-Org': 'a' };
      });
      const b = await widget((e) => {
        e.setAttribute('qr-interval', '2000');
        e.headers = { 'X-Org': 'b' };
      });
      await waitFor(() => a.snapshot?.phase === 'qr' && b.snapshot?.phase === 'qr', 'both show the QR');
      expect(rig.backend.gets.length).to.equal(1);
      await tick(4999);
      expect(rig.backend.gets.length).to.equal(1);
      await tick(1);
      expect(rig.backend.gets.length).to.equal(2);
      expect(rig.backend.gets.map((r) => r.headers.get('x-org'))).to.deep.equal(['a', 'a']);
    });

    it('backs off by the default backoff after a failed poll (2 s step, full jitter)', async () => {
      sinon.stub(Math, 'random').returns(0.5);
      try {
        rig.backend.reply({ json: { error: { code: 'server', message: 'x' } }, status: 500 });
        const el = await widget((e) => e.setAttribute('qr-interval', '30000'));
        await waitFor(() => rig.backend.gets.length === 1 && el.snapshot !== null, 'the failed poll');
        await flush();
        await tick(999);
        expect(rig.backend.gets.length).to.equal(1);
        await tick(1);
        expect(rig.backend.gets.length).to.equal(2);
      } finally {
        (Math.random as sinon.SinonStub).restore();
      }
    });

    it('times a hanging request out after the default 15 s', async () => {
      rig.backend.reply({ hang: true });
      const errors: string[] = [];
      const el = await widget((e) => e.addEventListener('wac-error', (event) => errors.push((event as CustomEvent).detail.error.code)));
      await waitFor(() => rig.backend.gets.length === 1, 'the first poll');
      await tick(14999);
      expect(errors).to.deep.equal([]);
      await tick(1);
      await waitFor(() => errors.length === 1, 'the timeout');
      expect(errors).to.deep.equal(['timeout']);
      expect(el.isConnected).to.equal(true);
    });

    it('pauses polling while the page is hidden and polls at once when it shows again', async () => {
      const el = await widget();
      await waitFor(() => el.snapshot?.phase === 'qr', 'the first answer');
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
      await tick(60000);
      expect(rig.backend.gets.length).to.equal(1);
      delete (document as { visibilityState?: string }).visibilityState;
      document.dispatchEvent(new Event('visibilitychange'));
      await waitFor(() => rig.backend.gets.length === 2, 'the poll on showing');
    });

    it('follows the push stream a rig.backend offers, with the page\'s EventSource', async () => {
      const original = (globalThis as { EventSource?: unknown }).EventSource;
      FakeEventSource.reset();
      (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
      try {
        rig.backend.session = { ...base, status: 'SCAN_QR_CODE', qr: 'code-1', stream: '/api/whatsapp/session/stream' } as typeof rig.backend.session;
        const el = await widget();
        await waitFor(() => el.snapshot?.phase === 'qr', 'the first answer');
        await waitFor(() => FakeEventSource.instances.length === 1, 'the stream opened');
        FakeEventSource.last!.open();
        FakeEventSource.last!.message({ ...base, status: 'WORKING', connected: true, me });
        await waitFor(() => el.snapshot?.phase === 'connected', 'connected through the stream');
        expect(rig.backend.gets.length).to.equal(1);
      } finally {
        (globalThis as { EventSource?: unknown }).EventSource = original;
        FakeEventSource.reset();
      }
    });

    it('sends wac-qr once per new QR', async () => {
      const qrs: string[] = [];
      const el = await widget((e) => e.addEventListener('wac-qr', (event) => qrs.push((event as CustomEvent).detail.qr)));
      await waitFor(() => qrs.length === 1, 'the first wac-qr');
      await tick(8000);
      await flush();
      expect(qrs).to.deep.equal(['code-1']);
      rig.backend.session = { ...base, status: 'SCAN_QR_CODE', qr: 'code-2' };
      await tick(8000);
      await waitFor(() => qrs.length === 2, 'the second wac-qr');
      expect(qrs).to.deep.equal(['code-1', 'code-2']);
      expect(el.snapshot?.phase).to.equal('qr');
    });

    it('the status line (a <p>) has no margin', async () => {
      const el = await widget();
      await waitFor(() => statusText(el) !== '', 'the status text');
      const status = part(el, 'status')!;
      expect(status.tagName).to.equal('P');
      const style = getComputedStyle(status);
      expect([style.marginTop, style.marginRight, style.marginBottom, style.marginLeft]).to.deep.equal(['0px', '0px', '0px', '0px']);
    });
  });
}
