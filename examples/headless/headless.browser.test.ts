import { expect } from 'chai';
import { createSessionClient, type SessionAnswerWire, type SessionClient } from '@whatsapp-connector/client';
import { FakeBackend } from '../../packages/client/test-kit/index.js';
import { logSessionEvents } from './src/event-log.js';
import { mountSessionPanel } from './src/session-panel.js';

const base = { sessionName: 'eagles_42', connected: false };

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 10));
  }
}

/** Whether the canvas has both dark and light pixels (a drawn code, not a blank). */
function hasDarkAndLight(canvas: HTMLCanvasElement): boolean {
  const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
  let dark = 0;
  for (let i = 0; i < pixels.length; i += 4) if ((pixels[i] ?? 255) < 128) dark += 1;
  return dark > 0 && dark < pixels.length / 4;
}

describe('examples/headless', () => {
  let container: HTMLElement;
  let backend: FakeBackend;
  let client: SessionClient;
  let unmount: () => void;

  const panel = () => container.querySelector<HTMLElement>('.session-panel');
  const buttons = () => [...container.querySelectorAll('button')];

  function mount(session: SessionAnswerWire): void {
    backend = FakeBackend.withPlausiblePosts(session);
    client = createSessionClient({ endpoint: '/api/whatsapp/session/headless', fetch: backend.fetch });
    container = document.createElement('div');
    document.body.append(container);
    unmount = mountSessionPanel(container, client);
    client.start();
  }

  afterEach(() => {
    unmount();
    client.dispose();
    container.remove();
  });

  it('draws the QR from the snapshot on its own canvas, and redraws it only when it changes', async () => {
    mount({ ...base, status: 'SCAN_QR_CODE', qr: '2@first-code' });
    expect(panel()?.dataset.phase).to.be.oneOf(['idle', 'loading']);
    await waitFor(() => panel()?.dataset.phase === 'qr', 'the qr phase');
    const first = container.querySelector('canvas');
    expect(first).to.exist;
    expect(hasDarkAndLight(first as HTMLCanvasElement)).to.equal(true);
    expect(container.querySelector('[role="status"]')?.textContent).to.contain('Scan this code');

    backend.session = { ...base, status: 'SCAN_QR_CODE', qr: '2@second-code' };
    await client.refresh();
    expect(container.querySelector('canvas')).to.not.equal(first);
    const second = container.querySelector('canvas');
    await client.refresh();
    expect(container.querySelector('canvas')).to.equal(second);
  });

  it('shows the linked account as text, with a Log out button', async () => {
    mount({ ...base, status: 'WORKING', connected: true, me: { id: '5215512345678@c.us', pushName: '<b>Ventas</b>' } });
    await waitFor(() => panel()?.dataset.phase === 'connected', 'the connected phase');
    expect(panel()?.textContent).to.contain('<b>Ventas</b>');
    expect(panel()?.querySelector('b')).to.equal(null);
    expect(buttons().map((b) => b.textContent)).to.deep.equal(['Log out']);
  });

  it('a click on Link WhatsApp sends one POST, disables the buttons meanwhile, then shows the new QR', async () => {
    mount({ ...base, status: 'FAILED', error: 'Session failed' });
    await waitFor(() => panel()?.dataset.phase === 'failed', 'the failed phase');
    expect(buttons().map((b) => b.textContent)).to.deep.equal(['Link WhatsApp', 'Change number']);
    backend.holdPosts = true;
    buttons()[0]?.click();
    await waitFor(() => buttons().every((b) => b.disabled), 'disabled buttons while the action runs');
    buttons()[0]?.click();
    backend.releasePosts();
    await waitFor(() => panel()?.dataset.phase === 'qr', 'the new QR');
    expect(backend.posts.map((post) => post.body)).to.deep.equal([{ action: 'reconnect' }]);
  });

  it("delivers the client's events to the page's event log", async () => {
    mount({ ...base, status: 'FAILED', error: 'Session failed' });
    const list = document.createElement('ol');
    container.append(list);
    const stop = logSessionEvents(client, list);
    await waitFor(() => list.children.length >= 2, 'two log lines');
    expect([...list.children].map((li) => li.textContent)).to.deep.equal(['status: FAILED', 'failed: Session failed']);
    stop();
    backend.session = { ...base, status: 'SCAN_QR_CODE', qr: '2@x' };
    await client.refresh();
    expect(list.children).to.have.length(2);
  });
});
