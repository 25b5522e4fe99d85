import { expect } from 'chai';
import { StrictMode, act, useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import {
  createSessionClient,
  createSessionClientRegistry,
  type SessionAnswerWire,
  type SessionClient,
  type SessionClientOptions,
  type SessionClientRegistry,
} from '@whatsapp-connector/client';
import { useWhatsAppSession, type WhatsAppSession } from '@whatsapp-connector/react';
import { FakeBackend } from '../../client/test-kit/index.js';
import { itRunsOnTheExpectedReact } from './helpers/react-under-test.js';
import { plausibleBackend } from '../../element/test/helpers/real-client.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const scanQr: SessionAnswerWire = { status: 'SCAN_QR_CODE', sessionName: 'eagles_42', connected: false, qr: '2@hook' };
const failed: SessionAnswerWire = { status: 'FAILED', sessionName: 'eagles_42', connected: false };

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 10)));
  }
}

/** Lets the hook's deferred (microtask) release run. */
const settle = () => act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));

describe('useWhatsAppSession()', () => {
  let container: HTMLElement;
  let root: Root | null;
  let backend: FakeBackend;
  let created: SessionClient[];
  let registry: SessionClientRegistry;
  let latest: WhatsAppSession | null;

  /** Renders the hook in StrictMode and keeps its latest result in `latest`. */
  function Probe({ source }: { source: Parameters<typeof useWhatsAppSession>[0] }) {
    latest = useWhatsAppSession(source);
    return <p>{latest.snapshot.phase}</p>;
  }

  async function render(node: React.ReactNode): Promise<void> {
    root ??= createRoot(container);
    await act(async () => root?.render(<StrictMode>{node}</StrictMode>));
  }

  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = null;
    latest = null;
    backend = plausibleBackend(scanQr);
    created = [];
    // A private registry that counts the clients it creates (and injects the scripted fetch).
    registry = createSessionClientRegistry((options: SessionClientOptions) => {
      const client = createSessionClient({ ...options, fetch: backend.fetch });
      created.push(client);
      return client;
    });
  });

  afterEach(async () => {
    await act(async () => root?.unmount());
    await settle();
    for (const client of created) client.dispose();
    container.remove();
  });

  itRunsOnTheExpectedReact();

  it("StrictMode's double mount creates one client and sends one GET", async () => {
    await render(<Probe source={{ endpoint: '/hook/a', registry }} />);
    await waitFor(() => latest?.snapshot.phase === 'qr', 'the qr phase');
    await settle();
    expect(created).to.have.length(1);
    expect(registry.size).to.equal(1);
    expect(backend.gets).to.have.length(1);
    expect(latest?.client).to.equal(created[0]);
    expect(container.textContent).to.equal('qr');
  });

  it('releases the shared client on unmount: it stops and leaves the registry', async () => {
    await render(<Probe source={{ endpoint: '/hook/b', registry }} />);
    await waitFor(() => latest?.snapshot.phase === 'qr', 'the qr phase');
    await act(async () => root?.unmount());
    root = null;
    await settle();
    expect(registry.size).to.equal(0);
    expect(created[0]?.getSnapshot().polling).to.equal(false);
  });

  it('two components on one endpoint share one client; inline option objects do not re-acquire', async () => {
    function Twice() {
      const [count, setCount] = useState(0);
      return (
        <>
          <Probe source={{ endpoint: '/hook/c', registry }} />
          <Probe source={{ endpoint: '/hook/c', registry }} />
          <button type="button" onClick={() => setCount(count + 1)}>
            {count}
          </button>
        </>
      );
    }
    await render(<Twice />);
    await waitFor(() => latest?.snapshot.phase === 'qr', 'the qr phase');
    await act(async () => container.querySelector('button')?.click());
    await settle();
    expect(created).to.have.length(1);
    expect(backend.gets).to.have.length(1);
  });

  it('a new endpoint switches to another client and releases the old one', async () => {
    await render(<Probe source={{ endpoint: '/hook/d1', registry }} />);
    await waitFor(() => latest?.snapshot.phase === 'qr', 'the first client');
    await render(<Probe source={{ endpoint: '/hook/d2', registry }} />);
    await waitFor(() => latest?.client?.endpoint === '/hook/d2' && latest.snapshot.phase === 'qr', 'the second client');
    await settle();
    expect(created.map((client) => client.endpoint)).to.deep.equal(['/hook/d1', '/hook/d2']);
    expect(registry.size).to.equal(1);
    expect(created[0]?.getSnapshot().polling).to.equal(false);
  });

  it('an action is sent once, also under StrictMode', async () => {
    backend.session = failed;
    await render(<Probe source={{ endpoint: '/hook/e', registry }} />);
    await waitFor(() => latest?.snapshot.phase === 'failed', 'the failed phase');
    let result: Awaited<ReturnType<WhatsAppSession['reconnect']>> | undefined;
    await act(async () => {
      result = await latest?.reconnect();
    });
    expect(result?.ok).to.equal(true);
    expect(backend.posts.map((post) => post.body)).to.deep.equal([{ action: 'reconnect' }]);
    await waitFor(() => latest?.snapshot.phase === 'qr', 'the QR after reconnect');
  });

  it('an injected client is started and followed, but never stopped or disposed', async () => {
    const client = createSessionClient({ endpoint: '/hook/f', fetch: backend.fetch });
    created.push(client);
    await render(<Probe source={client} />);
    await waitFor(() => latest?.snapshot.phase === 'qr', 'the qr phase');
    expect(latest?.client).to.equal(client);
    await act(async () => root?.unmount());
    root = null;
    await settle();
    expect(client.getSnapshot().polling).to.equal(true);
  });
});
