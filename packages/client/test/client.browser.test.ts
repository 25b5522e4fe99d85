import { expect } from 'chai';
import { createSessionClient } from '../src/client.js';
import type { SessionClient } from '../src/client-types.js';
import { documentVisibility } from '../src/visibility.js';

/**
 * The client in a real browser (Chromium): relative endpoints resolved by the
 * page, the real `document` as visibility source, relative stream URLs.
 */

function fakeFetch(answer: unknown, urls: string[]): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    urls.push(request.url);
    return new Response(JSON.stringify(answer), { headers: { 'content-type': 'application/json' } });
  };
}

function setVisibility(state: 'visible' | 'hidden'): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!check()) throw new Error('condition not met');
}

describe('client in the browser', () => {
  let client: SessionClient | undefined;

  afterEach(() => {
    client?.dispose();
    client = undefined;
    // Restore the real getter.
    delete (document as { visibilityState?: string }).visibilityState;
  });

  it('resolves the default relative endpoint against the page', async () => {
    const urls: string[] = [];
    client = createSessionClient({ fetch: fakeFetch({ status: 'SCAN_QR_CODE', qr: 'x' }, urls) });
    client.start();
    await until(() => client?.getSnapshot().phase === 'qr');
    expect(urls[0]).to.equal(new URL('/api/whatsapp/session', location.href).href);
  });

  it('uses the real document as visibility source: hidden pauses, visible refreshes at once', async () => {
    const source = documentVisibility();
    expect(source.isVisible()).to.equal(true);
    const urls: string[] = [];
    client = createSessionClient({ fetch: fakeFetch({ status: 'WORKING', me: { id: '1@c.us' } }, urls) });
    client.start();
    await until(() => client?.getSnapshot().phase === 'connected');
    expect(client.getSnapshot().nextPollAt).to.be.a('number');
    setVisibility('hidden');
    expect(client.getSnapshot().nextPollAt).to.equal(null);
    setVisibility('visible');
    await until(() => urls.length === 2);
    await until(() => client?.getSnapshot().nextPollAt !== null);
  });

  it('resolves a relative stream URL against the page and opens it', async () => {
    const opened: string[] = [];
    class RecordingEventSource {
      constructor(url: string) {
        opened.push(url);
      }
      addEventListener(): void {}
      close(): void {}
    }
    client = createSessionClient({
      endpoint: '/api/whatsapp/session',
      fetch: fakeFetch({ status: 'WORKING', stream: 'session/events' }, []),
      EventSource: RecordingEventSource,
    });
    client.start();
    await until(() => opened.length === 1);
    expect(opened[0]).to.equal(new URL('/api/whatsapp/session/events', location.href).href);
  });
});
