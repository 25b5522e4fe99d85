import { expect } from 'chai';
import { StrictMode, act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { createSessionClient, type SessionAnswerWire, type SessionClient } from '@whatsapp-connector/client';
import type { WhatsAppConnector as WhatsAppConnectorElement } from '@whatsapp-connector/element';
import { FakeBackend } from '../../packages/client/test-kit/index.js';
import { App } from './src/App.js';
import { LegacyApp } from './src/LegacyApp.js';

// React's act() warns unless the environment says it is a test.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const scanQr: SessionAnswerWire = { status: 'SCAN_QR_CODE', sessionName: 'eagles_42', connected: false, qr: '2@react-example' };
const failed: SessionAnswerWire = { status: 'FAILED', sessionName: 'eagles_42', connected: false, error: 'Session failed' };

let endpointSeq = 0;
/** A fresh endpoint per test: the page-wide client registry must not hand a previous test's client over. */
const freshEndpoint = () => `/api/whatsapp/session/react-${++endpointSeq}`;

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 10)));
  }
}

function widget(container: HTMLElement): WhatsAppConnectorElement {
  const element = container.querySelector('whatsapp-connector');
  if (!element) throw new Error('no <whatsapp-connector> rendered');
  return element;
}

function shadowPart(element: HTMLElement, name: string): HTMLElement | null {
  return element.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;
}

const byTestId = (container: HTMLElement, id: string) => container.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const logLines = (container: HTMLElement) => [...container.querySelectorAll('[data-testid="log"] li')].map((li) => li.textContent);

describe('examples/react', () => {
  let container: HTMLElement;
  let root: Root | null = null;
  let backend: FakeBackend;
  let uninstall: () => void = () => undefined;
  let client: SessionClient | null = null;

  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
  });

  afterEach(async () => {
    await act(async () => root?.unmount());
    root = null;
    // Let the hook's deferred release stop the shared client before the fetch goes back.
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    uninstall();
    client?.dispose();
    client = null;
    container.remove();
  });

  async function render(node: React.ReactNode): Promise<void> {
    root = createRoot(container);
    await act(async () => root?.render(<StrictMode>{node}</StrictMode>));
  }

  describe('React 19: the element natively, plus useWhatsAppSession()', () => {
    it('mounts under StrictMode, shows the QR from the backend and polls once for widget and hook together', async () => {
      backend = FakeBackend.withPlausiblePosts(scanQr);
      uninstall = backend.install();
      await render(<App endpoint={freshEndpoint()} />);
      await waitFor(() => byTestId(container, 'phase')?.textContent === 'qr', 'the hook to show the qr phase');
      const element = widget(container);
      await waitFor(() => shadowPart(element, 'qr-code') !== null, 'the widget to draw the QR');
      // React 19 set the endpoint as a property; the hook and the element share one client.
      expect(element.endpoint).to.match(/\/react-\d+$/);
      expect(backend.gets).to.have.length(1);
    });

    it('sets object properties on the bare tag: strings on screen, headers on the first and only GET (issue 13 item 3)', async () => {
      backend = FakeBackend.withPlausiblePosts(scanQr);
      uninstall = backend.install();
      await render(<App endpoint={freshEndpoint()} headers={() => ({ Authorization: 'Bearer example-token' })} />);
      const element = widget(container);
      await waitFor(() => shadowPart(element, 'qr-code') !== null, 'the widget to draw the QR');
      expect(shadowPart(element, 'status')?.textContent).to.contain('Link the team’s WhatsApp');
      expect(backend.gets).to.have.length(1);
      expect(backend.gets[0]!.headers.get('authorization')).to.equal('Bearer example-token');
    });

    it('delivers wac-* events to the onwac-* props', async () => {
      backend = FakeBackend.withPlausiblePosts(scanQr);
      uninstall = backend.install();
      await render(<App endpoint={freshEndpoint()} />);
      await waitFor(() => logLines(container).includes('status: SCAN_QR'), 'the status-change event in the log');
    });

    it('the hook button sends one POST, also under StrictMode, and the widget follows', async () => {
      backend = FakeBackend.withPlausiblePosts(failed);
      uninstall = backend.install();
      await render(<App endpoint={freshEndpoint()} />);
      await waitFor(() => byTestId(container, 'relink') !== null, 'the Link again button');
      await act(async () => byTestId(container, 'relink')?.click());
      await waitFor(() => byTestId(container, 'phase')?.textContent === 'qr', 'the new QR after reconnect');
      expect(backend.posts.map((post) => post.body)).to.deep.equal([{ action: 'reconnect' }]);
      await waitFor(() => shadowPart(widget(container), 'qr-code') !== null, 'the widget to show the new QR');
    });

    it('stops polling when unmounted (the last release stops the shared client)', async () => {
      backend = FakeBackend.withPlausiblePosts(scanQr);
      uninstall = backend.install();
      await render(<App endpoint={freshEndpoint()} />);
      await waitFor(() => byTestId(container, 'phase')?.textContent === 'qr', 'the qr phase');
      const element = widget(container);
      await act(async () => root?.unmount());
      root = null;
      await new Promise<void>((resolve) => queueMicrotask(resolve));
      expect(element.isConnected).to.equal(false);
      const polls = backend.gets.length;
      const refreshed = await element.refresh();
      // Detached, the element has no client any more: nothing is sent.
      expect(backend.gets.length).to.equal(polls);
      expect(refreshed.phase).to.be.a('string');
    });
  });

  describe('React 18 style: @whatsapp-connector/react WhatsAppConnector (@lit/react)', () => {
    it('sets the client as a property, shows its state and maps onStatusChange', async () => {
      backend = FakeBackend.withPlausiblePosts(scanQr);
      client = createSessionClient({ endpoint: freshEndpoint(), fetch: backend.fetch });
      await render(<LegacyApp client={client} />);
      const element = widget(container);
      expect(element.client).to.equal(client);
      await waitFor(() => shadowPart(element, 'qr-code') !== null, 'the QR');
      await waitFor(() => logLines(container).includes('status: SCAN_QR'), 'onStatusChange');
      expect(backend.gets).to.have.length(1);
    });

    it("a click on the widget's Link WhatsApp sends one POST and reaches onAction; onConnected follows", async () => {
      backend = new FakeBackend({ session: failed });
      backend.onPost = () => {
        backend.session = { status: 'WORKING', sessionName: 'eagles_42', connected: true, me: { id: '5215512345678@c.us', pushName: 'Ventas' } };
        return { json: backend.session };
      };
      client = createSessionClient({ endpoint: freshEndpoint(), fetch: backend.fetch });
      await render(<LegacyApp client={client} />);
      const element = widget(container);
      await waitFor(() => shadowPart(element, 'reconnect') !== null, 'the Link WhatsApp button');
      await act(async () => shadowPart(element, 'reconnect')?.click());
      await waitFor(() => byTestId(container, 'linked')?.textContent === '(Ventas)', 'onConnected');
      expect(backend.posts.map((post) => post.body)).to.deep.equal([{ action: 'reconnect' }]);
      expect(logLines(container)).to.include.members(['action: reconnect start', 'action: reconnect success']);
    });
  });
});
