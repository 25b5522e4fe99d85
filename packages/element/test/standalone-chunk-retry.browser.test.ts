import { expect } from 'chai';
import type { WhatsAppConnector } from '../src/whatsapp-connector.js';
// page.js, not dom.js: dom.js loads the sources, which would define the element before the standalone build does.
import { statusText } from './helpers/page.js';

// The standalone build (`npm run build`) as a page loads it, with one of its chunks
// failing once (the dev server's flakyOnce middleware, web-test-runner.config.mjs).
// A browser keeps a module that failed to load as failed for the life of the page,
// so the element's retries must ask for the chunk under a new URL.

const STANDALONE = '/packages/element/dist/standalone/';

/**
 * Waits until `predicate` holds, looking every 20 ms of real time (the element retries a language
 * on its real 2 s backoff timer): helpers/page.ts's waitFor spins macrotask turns instead.
 */
async function waitFor(predicate: () => boolean, what: string, timeoutMs = 6000): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 20));
  }
}

/** Makes the next request for the chunk named `prefix…` (its name before its hash) fail once. */
async function failOnce(prefix: string): Promise<void> {
  await fetch('/__flaky-once', { method: 'POST', body: JSON.stringify({ prefix: STANDALONE + prefix }) });
}

/** The queries of the requests for the chunk named `prefix…`, in order (all for one file). */
async function requested(prefix: string): Promise<string[]> {
  const { seen } = (await (await fetch('/__flaky-once')).json()) as { seen: string[] };
  const urls = seen.filter((url) => url.startsWith(STANDALONE + prefix)).map((url) => new URL(url, location.href));
  expect(new Set(urls.map((url) => url.pathname)).size, 'one chunk file').to.be.at.most(1);
  return urls.map((url) => url.search);
}

let seq = 0;

async function mount(lang: string, session: object): Promise<{ element: WhatsAppConnector; endpoint: string }> {
  const endpoint = `/__fake-session/retry-${Date.now()}-${++seq}`;
  await fetch(`${endpoint}/__control`, { method: 'POST', body: JSON.stringify({ session }) });
  const element = document.createElement('whatsapp-connector');
  element.setAttribute('lang', lang);
  element.setAttribute('endpoint', endpoint);
  document.body.append(element);
  return { element, endpoint };
}

describe('the standalone build asks again for a chunk that failed to load', () => {
  before(async () => {
    const url = `${STANDALONE}whatsapp-connector.js`;
    if (!(await fetch(url, { method: 'HEAD' })).ok) throw new Error('The standalone build is missing: run `npm run build` first.');
    await import(/* @vite-ignore */ url);
  });

  afterEach(async () => {
    document.querySelectorAll('whatsapp-connector').forEach((element) => element.remove());
    // Disarms a failure no request took (a test that failed early) and starts the next test's record afresh.
    await fetch('/__flaky-once', { method: 'DELETE' });
  });

  it('a language chunk that failed once arrives on the element\'s retry, under a new URL', async () => {
    await failOnce('lang-es-');
    const { element } = await mount('es', { status: 'WORKING', sessionName: 'eagles_42', connected: true, me: { id: '5215512345678@c.us' } });
    await waitFor(() => statusText(element) === 'Activo', 'the Spanish texts');
    expect(await requested('lang-es-')).to.deep.equal(['', '?retry=1']);
  });

  it('an action runner that failed once is asked for again by the next action, and the actions went out meanwhile', async () => {
    await failOnce('action-runner-');
    const { element, endpoint } = await mount('en', { status: 'FAILED', sessionName: 'eagles_42', connected: false });
    await waitFor(() => statusText(element) === 'WhatsApp is not connected', 'the failed view');
    expect((await element.reconnect()).ok).to.equal(true);
    // An action that starts while the failing load is still under way joins it; the next one after it asks again.
    let actions = 1;
    const start = performance.now();
    while ((await requested('action-runner-')).length < 2 && performance.now() - start < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await element.changeNumber()).ok).to.equal(true);
      actions++;
    }
    expect(await requested('action-runner-')).to.deep.equal(['', '?retry=1']);
    const { requests } = (await (await fetch(`${endpoint}/__control`)).json()) as { requests: { method: string; body: unknown }[] };
    const posted = requests.filter((request) => request.method === 'POST').map((request) => request.body);
    expect(posted).to.deep.equal([{ action: 'reconnect' }, ...Array.from({ length: actions - 1 }, () => ({ action: 'change_number' }))]);
  });
});
