import { expect } from 'chai';
import sinon from 'sinon';
import type { WhatsAppConnector } from '../src/whatsapp-connector.js';
import { FakeBackend } from '../../client/test-kit/index.js';
import { buttonPart, flush, mount, statusText, unmountAll, waitFor } from './helpers/dom.js';
import { plausibleBackend } from './helpers/real-client.js';

const base = { sessionName: 'eagles_42', connected: false };
const me = { id: '5215512345678@c.us', pushName: 'Ventas' };

// These elements make their own (shared) clients, so the test replaces the
// global fetch and the global timers: cadences are then exact to the millisecond.
describe('<whatsapp-connector> shared client', () => {
  let backend: FakeBackend;
  let restoreFetch: () => void;
  let clock: sinon.SinonFakeTimers;

  beforeEach(() => {
    backend = plausibleBackend({ ...base, status: 'SCAN_QR_CODE', qr: 'code' });
    restoreFetch = backend.install();
    clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });

  afterEach(() => {
    unmountAll();
    clock.restore();
    restoreFetch();
  });

  async function widget(setup: (el: WhatsAppConnector) => void = () => undefined): Promise<WhatsAppConnector> {
    return mount((el) => {
      el.lang = 'en';
      setup(el);
    });
  }

  async function tick(ms: number): Promise<void> {
    await clock.tickAsync(ms);
    await flush();
  }

  it('two elements with the same endpoint send one request per cadence tick', async () => {
    const a = await widget();
    const b = await widget();
    await waitFor(() => backend.gets.length === 1 && a.snapshot?.phase === 'qr', 'the first poll');
    await flush(b);
    expect(a.snapshot).to.equal(b.snapshot);
    expect(statusText(b)).to.equal('Link your WhatsApp');
    await tick(7999);
    expect(backend.gets.length).to.equal(1);
    await tick(1);
    expect(backend.gets.length).to.equal(2);
    await tick(8000);
    expect(backend.gets.length).to.equal(3);
    expect(new Set(backend.gets.map((request) => new URL(request.url).pathname))).to.deep.equal(new Set(['/api/whatsapp/session']));
  });

  it('elements with different endpoints poll separately', async () => {
    await widget((el) => (el.endpoint = '/org-a/session'));
    await widget((el) => (el.endpoint = '/org-b/session'));
    await waitFor(() => backend.gets.length === 2, 'two polls');
    expect(backend.gets.map((request) => new URL(request.url).pathname).sort()).to.deep.equal(['/org-a/session', '/org-b/session']);
  });

  it('an action started in one element disables the buttons of the other', async () => {
    backend.session = { ...base, status: 'WORKING', connected: true, me };
    const a = await widget();
    const b = await widget();
    await waitFor(() => a.snapshot?.phase === 'connected', 'connected');
    await flush(a);
    await flush(b);
    backend.holdPosts = true;
    buttonPart(a, 'change-number').click();
    await flush(b);
    expect(buttonPart(b, 'change-number').disabled).to.equal(true);
    buttonPart(b, 'change-number').click();
    backend.releasePosts();
    await waitFor(() => b.snapshot?.phase === 'qr', 'the QR');
    expect(backend.posts.map((post) => post.body)).to.deep.equal([{ action: 'change_number' }]);
  });

  it('defaults to 8 s while waiting and 30 s while connected', async () => {
    const element = await widget();
    await waitFor(() => element.snapshot?.phase === 'qr', 'the first answer');
    backend.session = { ...base, status: 'WORKING', connected: true, me };
    await tick(8000);
    expect(backend.gets.length).to.equal(2);
    await waitFor(() => element.snapshot?.phase === 'connected', 'connected');
    await tick(29999);
    expect(backend.gets.length).to.equal(2);
    await tick(1);
    expect(backend.gets.length).to.equal(3);
  });

  it('sends the headers and the credentials mode it is given', async () => {
    await widget((el) => {
      el.headers = { 'X-Org-Token': 'abc' };
      el.credentials = 'include';
      el.endpoint = '/with-headers';
    });
    await waitFor(() => backend.gets.length === 1, 'the first poll');
    expect(backend.gets[0]?.headers.get('x-org-token')).to.equal('abc');
  });
});
