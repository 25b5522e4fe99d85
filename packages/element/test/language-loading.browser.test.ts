import { expect } from 'chai';
import sinon from 'sinon';
import 'axe-core';
import type { AxeResults, RunOptions } from 'axe-core';
import { LANGUAGES } from '../src/i18n/catalog.js';
import type { BuiltInLanguage } from '../src/i18n/resolve.js';
import type { WacBaseStrings } from '../src/i18n/strings.js';
import { lazy, type Lazy } from '../src/lazy.js';
import { FakeSessionClient } from './helpers/fake-client.js';
import { flush, mount, mountOnFakeClient, part, statusText, unmountAll } from './helpers/dom.js';

// This file must run in its own page: the first test checks which language chunks
// the page has fetched, so nothing here imports a language module statically.

// axe-core is a UMD bundle: imported for its side effect, it installs `window.axe`.
const axe = (globalThis as unknown as { axe: { run(context: Element, options: RunOptions): Promise<AxeResults> } }).axe;

const connected = { phase: 'connected', status: 'WORKING', me: { id: '5215512345678@c.us' } } as const;
const catalog = LANGUAGES as Record<BuiltInLanguage, Lazy<WacBaseStrings>>;
const originals = { ...LANGUAGES };

function fetchedLanguages(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((entry) => /\/i18n\/(en|es|pt-BR)\.[jt]s/.exec(entry.name)?.[1])
    .filter((name): name is string => name !== undefined);
}

/** A language whose load the test resolves or rejects. */
function controlled(texts: WacBaseStrings) {
  let attempts = 0;
  let settle: { resolve: (t: WacBaseStrings) => void; reject: (e: Error) => void } | null = null;
  const language = lazy(() => {
    attempts++;
    return new Promise<WacBaseStrings>((resolve, reject) => (settle = { resolve, reject }));
  });
  return {
    language,
    get attempts() {
      return attempts;
    },
    resolve: () => settle?.resolve(texts),
    reject: () => settle?.reject(new Error('chunk failed to load')),
  };
}

async function englishWith(text: string, key: 'active' | 'failedTitle' = 'active'): Promise<WacBaseStrings> {
  const en = (await LANGUAGES.en.load()) ?? LANGUAGES.en.value;
  if (!en) throw new Error('English did not load');
  return { ...en, [key]: text };
}

async function show(lang: string): Promise<{ element: Awaited<ReturnType<typeof mount>>; client: FakeSessionClient }> {
  const client = new FakeSessionClient();
  client.push(connected);
  const element = await mount((el) => {
    el.client = client;
    el.lang = lang;
  });
  return { element, client };
}

/** Appends an element speaking `lang` on a client at `snapshot`, without waiting for anything. */
function append(lang: string, snapshot: Parameters<FakeSessionClient['push']>[0] = connected) {
  const client = new FakeSessionClient();
  client.push(snapshot);
  const element = document.createElement('whatsapp-connector');
  element.client = client;
  element.lang = lang;
  document.body.append(element);
  return { element, client };
}

describe('<whatsapp-connector> loads only the language it speaks', () => {
  afterEach(() => {
    unmountAll();
    Object.assign(catalog, originals);
  });

  it('an English widget fetches the English texts and no other language', async () => {
    const { element } = await show('en');
    expect(statusText(element)).to.equal('Active');
    expect(fetchedLanguages()).to.deep.equal(['en']);
  });

  it('updateComplete waits for the language, and nothing but a spinner shows before it', async () => {
    const es = controlled(await englishWith('Activo (prueba)'));
    catalog.es = es.language;
    const { element } = append('es');
    let complete = false;
    void element.updateComplete.then(() => (complete = true));
    await flush();
    expect(complete, 'updateComplete before the language arrived').to.equal(false);
    expect(part(element, 'base')?.getAttribute('aria-busy')).to.equal('true');
    expect(part(element, 'status')?.querySelector('.spinner')).to.not.equal(null);
    expect(statusText(element)).to.equal('');
    const results = await axe.run(element, { resultTypes: ['violations'] });
    expect(results.violations.map((v) => v.id), 'axe, while the language loads').to.deep.equal([]);
    es.resolve();
    await element.updateComplete;
    expect(complete).to.equal(true);
    expect(statusText(element)).to.equal('Activo (prueba)');
    expect(part(element, 'base')?.hasAttribute('aria-busy')).to.equal(false);
    element.remove();
  });

  it('a language switched to at runtime replaces the old texts only once it has arrived', async () => {
    const { element } = await show('en');
    const es = controlled(await englishWith('Activo (prueba)'));
    catalog.es = es.language;
    element.lang = 'es';
    await flush();
    expect(statusText(element), 'the previous language stays meanwhile').to.equal('Active');
    es.resolve();
    await element.updateComplete;
    expect(statusText(element)).to.equal('Activo (prueba)');
  });

  it('while a QR is shown, a language switched to replaces the linking texts together with the rest, never a mix', async () => {
    const { element } = await mountOnFakeClient({ phase: 'qr', status: 'SCAN_QR', qr: '2@language-switch' });
    const firstStep = () => part(element, 'instructions')?.querySelector('li')?.textContent;
    expect(firstStep()).to.equal('Open WhatsApp on your phone.');
    const es = controlled({ ...(await englishWith('unused')), qrTitle: 'Vincula tu WhatsApp (prueba)' });
    catalog.es = es.language;
    element.lang = 'es';
    await flush(undefined, 12);
    expect(statusText(element), 'the previous language stays meanwhile').to.equal('Link your WhatsApp');
    expect(firstStep(), 'and so do its linking texts').to.equal('Open WhatsApp on your phone.');
    es.resolve();
    await element.updateComplete;
    expect(statusText(element)).to.equal('Vincula tu WhatsApp (prueba)');
    expect(firstStep()).to.equal('Abre WhatsApp en tu teléfono.');
  });

  it('a language that fails to load is not retried in a loop, and the next update tries again', async () => {
    const pt = controlled(await englishWith('Ativo (teste)'));
    catalog['pt-BR'] = pt.language;
    const { element, client } = append('pt-BR');
    await flush();
    expect(pt.attempts).to.equal(1);
    pt.reject();
    await flush(element, 12);
    expect(pt.attempts, 'no retry loop after a failure').to.equal(1);
    expect(part(element, 'base')?.getAttribute('aria-busy')).to.equal('true');

    client.push({ lastUpdatedAt: 1 });
    await flush();
    expect(pt.attempts, 'the next update retries').to.equal(2);
    pt.resolve();
    await element.updateComplete;
    expect(statusText(element)).to.equal('Ativo (teste)');
    element.remove();
  });

  it('an action asked for right after append() does not wait for the language', async () => {
    const es = controlled(await englishWith('Activo (prueba)'));
    catalog.es = es.language;
    const { element, client } = append('es');
    void element.reconnect();
    await flush();
    expect(client.calls).to.include('reconnect');
    expect(statusText(element), 'the language is still on its way').to.equal('');
    es.resolve();
    await element.updateComplete;
    element.remove();
  });

  it('a language that keeps failing is tried again on a timer (2 s, 4 s, …), which leaves with the element', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const pt = controlled(await englishWith('Falhou (teste)', 'failedTitle'));
      catalog['pt-BR'] = pt.language;
      // A FAILED session: no poll will come to cause an update.
      const { element } = append('pt-BR', { phase: 'failed', status: 'FAILED', polling: false });
      await flush();
      pt.reject();
      await flush();
      expect(pt.attempts).to.equal(1);

      clock.tick(1999);
      await flush();
      expect(pt.attempts, 'not before 2 s').to.equal(1);
      clock.tick(1);
      await flush();
      expect(pt.attempts, 'after 2 s').to.equal(2);
      pt.reject();
      await flush();
      clock.tick(3999);
      await flush();
      expect(pt.attempts, 'not before 4 more s').to.equal(2);
      clock.tick(1);
      await flush();
      expect(pt.attempts, 'after 4 more s').to.equal(3);
      pt.resolve();
      await element.updateComplete;
      expect(statusText(element)).to.equal('Falhou (teste)');
      expect(clock.countTimers(), 'no retry once loaded').to.equal(0);

      // A failure while the element is away from the page leaves no timer behind.
      const es = controlled(await englishWith('Activo (prueba)'));
      catalog.es = es.language;
      element.lang = 'es';
      await flush();
      element.remove();
      es.reject();
      await flush();
      expect(clock.countTimers(), 'no timer for a removed element').to.equal(0);
    } finally {
      clock.restore();
    }
  });
});
