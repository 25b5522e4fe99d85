import { expect } from 'chai';
import { nextTick, type App } from 'vue';
import { createSessionClient, type SessionAnswerWire, type SessionClient } from '@whatsapp-connector/client';
import { FakeBackend } from '../../packages/client/test-kit/index.js';
import { createWhatsAppApp } from './src/app.js';

const scanQr: SessionAnswerWire = { status: 'SCAN_QR_CODE', sessionName: 'eagles_42', connected: false, qr: '2@vue-example' };
const failed: SessionAnswerWire = { status: 'FAILED', sessionName: 'eagles_42', connected: false };
const working: SessionAnswerWire = { status: 'WORKING', sessionName: 'eagles_42', connected: true, me: { id: '5215512345678@c.us', pushName: 'Ventas' } };

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 10));
  }
}

describe('examples/vue', () => {
  let container: HTMLElement;
  let app: App | null = null;
  let backend: FakeBackend;
  let client: SessionClient;

  const widget = () => container.querySelector('whatsapp-connector');
  const shadowPart = (name: string) => widget()?.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;
  const text = (testId: string) => container.querySelector(`[data-testid="${testId}"]`)?.textContent ?? null;

  async function mount(session: SessionAnswerWire): Promise<void> {
    backend = FakeBackend.withPlausiblePosts(session);
    client = createSessionClient({ endpoint: '/api/whatsapp/session/vue', fetch: backend.fetch });
    container = document.createElement('div');
    document.body.append(container);
    app = createWhatsAppApp({ client });
    app.mount(container);
    await nextTick();
  }

  afterEach(() => {
    app?.unmount();
    app = null;
    client.dispose();
    container.remove();
  });

  it('mounts the element as a custom element (not a Vue component) with the client as a property', async () => {
    await mount(scanQr);
    const element = widget();
    expect(element).to.be.instanceOf(customElements.get('whatsapp-connector') as CustomElementConstructor);
    expect(element?.client).to.equal(client);
    await waitFor(() => shadowPart('qr-code') !== null, 'the QR from the backend');
    expect(backend.gets).to.have.length(1);
  });

  it('hands wac-status-change to the @wac-status-change handler', async () => {
    await mount(scanQr);
    await waitFor(() => text('status') === 'SCAN_QR', 'the status from the event');
    expect(container.querySelectorAll('[data-testid="log"] li')[0]?.textContent).to.equal('status: SCAN_QR');
  });

  it("a click on the widget's Link WhatsApp sends one POST; @wac-action and @wac-connected follow", async () => {
    await mount(failed);
    backend.onPost = () => {
      backend.session = working;
      return { json: working };
    };
    await waitFor(() => shadowPart('reconnect') !== null, 'the Link WhatsApp button');
    shadowPart('reconnect')?.click();
    await waitFor(() => text('linked') === '(Ventas)', 'the connected event');
    expect(backend.posts.map((post) => post.body)).to.deep.equal([{ action: 'reconnect' }]);
    const log = [...container.querySelectorAll('[data-testid="log"] li')].map((li) => li.textContent);
    expect(log).to.include.members(['action: reconnect start', 'action: reconnect success', 'status: WORKING']);
  });
});
