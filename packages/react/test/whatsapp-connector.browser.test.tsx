import { expect } from 'chai';
import { StrictMode, act } from 'react';
import { createRoot, hydrateRoot, type Root } from 'react-dom/client';
import { createSessionClient, type SessionAnswerWire, type SessionClient } from '@whatsapp-connector/client';
import { WhatsAppConnector } from '@whatsapp-connector/react';
import { FakeBackend } from '../../client/test-kit/index.js';
import { itRunsOnTheExpectedReact } from './helpers/react-under-test.js';
import { plausibleBackend } from '../../element/test/helpers/real-client.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const scanQr: SessionAnswerWire = { status: 'SCAN_QR_CODE', sessionName: 'eagles_42', connected: false, qr: '2@wrapper' };
const failed: SessionAnswerWire = { status: 'FAILED', sessionName: 'eagles_42', connected: false };
const working: SessionAnswerWire = {
  status: 'WORKING',
  sessionName: 'eagles_42',
  connected: true,
  me: { id: '5215512345678@c.us', pushName: 'Ventas' },
};

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 10)));
  }
}

const shadowPart = (element: Element | null, name: string) => element?.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;
const countOf = (list: readonly string[], item: string) => list.filter((entry) => entry === item).length;

// React 18 cannot set object properties on custom elements nor listen to their events:
// these are the wrapper's (@lit/react's) jobs, and StrictMode's double mount must not
// double a listener, a poll or a POST.
describe('WhatsAppConnector (the @lit/react wrapper) under StrictMode', () => {
  let container: HTMLElement;
  let root: Root;
  let backend: FakeBackend;
  let client: SessionClient | null;
  let events: string[];

  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
    events = [];
    client = null;
  });

  afterEach(async () => {
    await act(async () => root.unmount());
    client?.dispose();
    container.remove();
  });

  async function render(): Promise<HTMLElement> {
    const own = createSessionClient({ endpoint: '/wrapper', fetch: backend.fetch });
    client = own;
    await act(async () =>
      root.render(
        <StrictMode>
          <WhatsAppConnector
            client={own}
            lang="en"
            onStatusChange={(event) => events.push(`status ${event.detail.status}`)}
            onQr={(event) => events.push(`qr ${event.detail.qr}`)}
            onAction={(event) => events.push(`action ${event.detail.action} ${event.detail.stage}`)}
            onConnected={(event) => events.push(`connected ${event.detail.me?.pushName ?? ''}`)}
          />
        </StrictMode>,
      ),
    );
    const element = container.querySelector<HTMLElement>('whatsapp-connector');
    if (!element) throw new Error('no <whatsapp-connector> rendered');
    return element;
  }

  itRunsOnTheExpectedReact();

  it('sets the client as a property (not an attribute) and polls it once', async () => {
    backend = plausibleBackend(scanQr);
    const element = await render();
    expect((element as HTMLElement & { client?: unknown }).client).to.equal(client);
    expect(element.hasAttribute('client')).to.equal(false);
    await waitFor(() => shadowPart(element, 'qr-code') !== null, 'the QR');
    expect(backend.gets).to.have.length(1);
  });

  it('delivers each wac-* event once to its on* prop', async () => {
    backend = plausibleBackend(scanQr);
    await render();
    await waitFor(() => events.includes('qr 2@wrapper'), 'onQr');
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 50)));
    expect(countOf(events, 'qr 2@wrapper')).to.equal(1);
    expect(countOf(events, 'status SCAN_QR')).to.equal(1);
  });

  it("a click on the widget's Link WhatsApp sends one POST; onAction and onConnected follow once", async () => {
    backend = plausibleBackend(failed);
    backend.onPost = () => {
      backend.session = working;
      return { json: working };
    };
    const element = await render();
    await waitFor(() => shadowPart(element, 'reconnect') !== null, 'the Link WhatsApp button');
    await act(async () => shadowPart(element, 'reconnect')?.click());
    await waitFor(() => events.includes('connected Ventas'), 'onConnected');
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 50)));
    expect(backend.posts.map((post) => post.body)).to.deep.equal([{ action: 'reconnect' }]);
    expect(countOf(events, 'action reconnect start')).to.equal(1);
    expect(countOf(events, 'action reconnect success')).to.equal(1);
    expect(countOf(events, 'connected Ventas')).to.equal(1);
  });
});

// Issue 13 item 5: the element must not contact the backend before React has set its
// properties, whether React creates it or hydrates server-rendered HTML (where the tag is
// upgraded as soon as this package defines it, long before hydration sets `headers`).
describe('WhatsAppConnector: the first request carries the properties', () => {
  const headers = { 'X-Org-Token': 'org-42' };
  let container: HTMLElement;
  let root: Root | null;
  let backend: FakeBackend;
  let restoreFetch: () => void;

  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = null;
    backend = plausibleBackend(scanQr);
    restoreFetch = backend.install();
  });

  afterEach(async () => {
    await act(async () => root?.unmount());
    container.remove();
    restoreFetch();
  });

  async function expectOneGetWithTheHeaders(): Promise<void> {
    await waitFor(() => backend.gets.length > 0, 'the first GET');
    // Long enough for a second request (a re-created client) to show up.
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 100)));
    expect(backend.gets.map((request) => request.headers.get('x-org-token'))).to.deep.equal(['org-42']);
    expect(new URL(backend.gets[0]!.url).pathname).to.equal('/with-headers/session');
  }

  it('rendered in the browser: one GET, with the headers', async () => {
    root = createRoot(container);
    await act(async () => root?.render(<WhatsAppConnector endpoint="/with-headers/session" headers={headers} lang="en" />));
    await expectOneGetWithTheHeaders();
  });

  it('hydrating server-rendered HTML: the element waits for React, then one GET, with the headers', async () => {
    // What the wrapper renders on a server (ssr.test.ts checks it): the element is
    // upgraded at once, since this package has defined the tag.
    container.innerHTML = '<whatsapp-connector defer-hydration=""></whatsapp-connector>';
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 50)));
    expect(backend.requests, 'nothing before hydration').to.deep.equal([]);
    await act(async () => {
      root = hydrateRoot(container, <WhatsAppConnector endpoint="/with-headers/session" headers={headers} lang="en" />);
    });
    await expectOneGetWithTheHeaders();
    expect(container.querySelector('whatsapp-connector')?.hasAttribute('defer-hydration')).to.equal(false);
  });
});
