import { expect } from 'chai';
import { createSessionClient } from '../src/client.js';
import { withLogger } from '../src/log.js';
import type { SessionClient } from '../src/client-types.js';
import { alwaysVisible, documentVisibility } from '../src/visibility.js';
import { FakeBackend, FakeClock, settle, wire } from '../test-kit/index.js';

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

  it('refuses a protocol-relative stream URL to another host, and keeps polling', async () => {
    const opened: string[] = [];
    class RecordingEventSource {
      constructor(url: string) {
        opened.push(url);
      }
      addEventListener(): void {}
      close(): void {}
    }
    const clock = new FakeClock();
    const backend = new FakeBackend({ session: { ...wire.scanQr(), stream: '//evil.example/api/whatsapp/session/stream' }, clock });
    const warnings: unknown[] = [];
    client = createSessionClient(
      withLogger({
        fetch: backend.fetch,
        timers: clock,
        visibility: alwaysVisible,
        EventSource: RecordingEventSource,
        logger: (record) => record.level === 'warn' && warnings.push(record.event),
      }),
    );
    client.start();
    await clock.advance(8000);
    expect(opened).to.deep.equal([]);
    expect(warnings).to.deep.equal(['stream.refused']);
    expect(backend.gets.map((get) => get.at)).to.deep.equal([0, 8000]);
  });

  it('the test kit runs in the browser: exact cadence, held and plausible POSTs', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const backend = new FakeBackend({ session: wire.working(), clock });
    backend.onPost = FakeBackend.plausible(backend);
    client = createSessionClient({ fetch: backend.fetch, timers: clock, visibility: alwaysVisible, stream: false });
    client.start();
    await settle();
    expect(client.getSnapshot().phase).to.equal('connected');
    expect(clock.delays).to.deep.equal([30_000]);
    await clock.advance(30_000);
    expect(backend.gets.map((get) => get.at - Date.UTC(2026, 0, 1))).to.deep.equal([0, 30_000]);
    backend.holdPosts = true;
    const result = client.changeNumber();
    await settle();
    expect(backend.held).to.equal(1);
    backend.releasePosts();
    expect((await result).ok).to.equal(true);
    expect(client.getSnapshot().qr).to.equal('qr-after-action');
    expect(backend.posts.map((post) => post.body)).to.deep.equal([{ action: 'change_number' }]);
  });
});
