import { expect } from 'chai';
import sinon from 'sinon';
import { FakeBackend } from '../../client/test-kit/index.js';
import { FakeSessionClient } from './helpers/fake-client.js';
import { flush, mount, statusText, unmountAll, waitFor } from './helpers/dom.js';
import { plausibleBackend } from './helpers/real-client.js';

const base = { sessionName: 'eagles_42', connected: false };

describe('<whatsapp-connector> lifecycle', () => {
  let backend: FakeBackend;
  let restoreFetch: () => void;
  let clock: sinon.SinonFakeTimers;
  let addListener: sinon.SinonSpy;
  let removeListener: sinon.SinonSpy;

  beforeEach(() => {
    backend = plausibleBackend({ ...base, status: 'SCAN_QR_CODE', qr: 'code' });
    restoreFetch = backend.install();
    clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    addListener = sinon.spy(document, 'addEventListener');
    removeListener = sinon.spy(document, 'removeEventListener');
  });

  afterEach(() => {
    unmountAll();
    addListener.restore();
    removeListener.restore();
    clock.restore();
    restoreFetch();
  });

  /** `visibilitychange` listeners added to the document and not removed. */
  function visibilityListeners(): number {
    const added = addListener.getCalls().filter((call) => call.args[0] === 'visibilitychange').map((call) => call.args[1]);
    const removed = new Set(removeListener.getCalls().filter((call) => call.args[0] === 'visibilitychange').map((call) => call.args[1]));
    return added.filter((listener) => !removed.has(listener)).length;
  }

  it('removing the element stops polling and leaves no timer or listener', async () => {
    const element = await mount((el) => (el.lang = 'en'));
    await waitFor(() => element.snapshot?.phase === 'qr', 'the first answer');
    expect(clock.countTimers()).to.be.greaterThan(0);
    element.remove();
    await flush();
    expect(clock.countTimers()).to.equal(0);
    expect(visibilityListeners()).to.equal(0);
    await clock.tickAsync(10 * 60_000);
    expect(backend.gets.length).to.equal(1);
  });

  it('putting it back resumes with a fresh poll and the cadence', async () => {
    const element = await mount((el) => (el.lang = 'en'));
    await waitFor(() => element.snapshot?.phase === 'qr', 'the first answer');
    element.remove();
    await flush();
    backend.session = { ...base, status: 'WORKING', connected: true, me: { id: '5215512345678@c.us' } };
    document.body.append(element);
    await waitFor(() => element.snapshot?.phase === 'connected', 'connected after re-attach');
    await flush(element);
    expect(backend.gets.length).to.equal(2);
    expect(statusText(element)).to.equal('Active');
    await clock.tickAsync(30000);
    await flush();
    expect(backend.gets.length).to.equal(3);
  });

  it('uses properties set right after append: no request goes to the default endpoint', async () => {
    const element = document.createElement('whatsapp-connector');
    document.body.append(element);
    element.endpoint = '/custom/session';
    await waitFor(() => backend.gets.length === 1, 'the first poll');
    await flush(element);
    expect(new URL(backend.gets[0]!.url).pathname).to.equal('/custom/session');
    element.remove();
  });

  it('with defer-hydration it sends nothing until the attribute goes, then uses the properties set meanwhile', async () => {
    const element = document.createElement('whatsapp-connector');
    element.setAttribute('defer-hydration', '');
    document.body.append(element);
    await clock.tickAsync(60_000);
    await flush(element);
    expect(backend.requests).to.deep.equal([]);
    element.endpoint = '/hydrated/session';
    element.headers = { 'X-Org-Token': 'org-42' };
    element.removeAttribute('defer-hydration');
    await waitFor(() => backend.gets.length === 1, 'the first poll');
    await flush(element);
    expect(new URL(backend.gets[0]!.url).pathname).to.equal('/hydrated/session');
    expect(backend.gets[0]!.headers.get('x-org-token')).to.equal('org-42');
    expect(backend.gets.length).to.equal(1);
    element.remove();
  });

  it('changing the endpoint at runtime moves to the new one and lets the old one go', async () => {
    const element = await mount((el) => (el.endpoint = '/a'));
    await waitFor(() => element.snapshot?.phase === 'qr', 'the first answer');
    element.endpoint = '/b';
    await waitFor(() => backend.gets.length === 2, 'a poll of /b');
    await clock.tickAsync(8000);
    await flush();
    const paths = backend.gets.map((request) => new URL(request.url).pathname);
    expect(paths).to.deep.equal(['/a', '/b', '/b']);
  });

  it('an injected client is started, listened to, and left alone on removal', async () => {
    const client = new FakeSessionClient();
    const element = await mount((el) => (el.client = client));
    expect(client.calls).to.deep.equal(['start']);
    expect(client.listenerCount).to.be.greaterThan(0);
    element.remove();
    await flush();
    expect(client.listenerCount).to.equal(0);
    expect(client.calls).to.deep.equal(['start']);
    document.body.append(element);
    await element.updateComplete;
    expect(client.listenerCount).to.be.greaterThan(0);
    expect(client.calls).to.deep.equal(['start', 'start']);
    expect(backend.requests).to.deep.equal([]);
  });

  it('re-renders for a new snapshot and skips the same one repeated', async () => {
    const client = new FakeSessionClient();
    const element = await mount((el) => (el.client = client));
    client.push({ phase: 'starting', status: 'STARTING' });
    await element.updateComplete;
    const render = sinon.spy(element as unknown as { render(): unknown }, 'render');
    client.push({ phase: 'connected', status: 'WORKING', me: { id: '5215512345678@c.us' } });
    await element.updateComplete;
    expect(render.callCount).to.equal(1);
    client.repeat();
    client.repeat();
    await element.updateComplete;
    expect(render.callCount).to.equal(1);
    render.restore();
  });
});
