import { expect } from 'chai';
import { resolveLanguage } from '../src/i18n/resolve.js';
import type { WhatsAppConnector } from '../src/whatsapp-connector.js';
import { FakeSessionClient } from './helpers/fake-client.js';
import { buttonLabels, mount, statusText, unmountAll } from './helpers/dom.js';

const connected = { phase: 'connected', status: 'WORKING', me: { id: '5215512345678@c.us' } } as const;

describe('<whatsapp-connector> languages', () => {
  let client: FakeSessionClient;
  const containers: HTMLElement[] = [];

  async function show(setup: (el: WhatsAppConnector) => void, parent?: HTMLElement): Promise<WhatsAppConnector> {
    client = new FakeSessionClient();
    client.push(connected);
    return mount((el) => {
      el.client = client;
      setup(el);
    }, parent);
  }

  function container(lang: string): HTMLElement {
    const div = document.createElement('div');
    div.lang = lang;
    document.body.append(div);
    containers.push(div);
    return div;
  }

  afterEach(() => {
    unmountAll();
    for (const div of containers.splice(0)) div.remove();
  });

  const cases: Array<[string, string, string[]]> = [
    ['en', 'Active', ['Change number', 'Log out']],
    ['es', 'Activo', ['Cambiar número', 'Cerrar sesión']],
    ['pt-BR', 'Ativo', ['Trocar número', 'Desconectar']],
    ['es-MX', 'Activo', ['Cambiar número', 'Cerrar sesión']],
    ['ES_ar', 'Activo', ['Cambiar número', 'Cerrar sesión']],
    ['pt', 'Ativo', ['Trocar número', 'Desconectar']],
    ['pt-PT', 'Ativo', ['Trocar número', 'Desconectar']],
    ['en-GB', 'Active', ['Change number', 'Log out']],
  ];
  for (const [lang, active, buttons] of cases) {
    it(`lang="${lang}" speaks ${active}`, async () => {
      const element = await show((el) => (el.lang = lang));
      expect(statusText(element)).to.equal(active);
      expect(buttonLabels(element)).to.deep.equal(buttons);
    });
  }

  it('without its own lang, follows the nearest ancestor', async () => {
    const outer = container('es');
    const inner = document.createElement('section');
    inner.lang = 'pt-BR';
    outer.append(inner);
    const element = await show(() => undefined, inner);
    expect(element.language).to.equal('pt-BR');
    expect(statusText(element)).to.equal('Ativo');
  });

  it('crosses a shadow root to find the ancestor language', async () => {
    const host = container('es');
    const shadow = host.attachShadow({ mode: 'open' });
    const slot = document.createElement('div');
    shadow.append(slot);
    const element = await show(() => undefined, slot);
    expect(statusText(element)).to.equal('Activo');
  });

  it('an unsupported language falls back to the ancestor, then the browser', async () => {
    const element = await show((el) => (el.lang = 'fr'), container('es-MX'));
    expect(statusText(element)).to.equal('Activo');
    const alone = await show((el) => (el.lang = 'fr'));
    const expected = resolveLanguage([document.documentElement.lang, ...navigator.languages]);
    expect(alone.language).to.equal(expected);
  });

  it('switching lang at runtime re-renders', async () => {
    const element = await show((el) => (el.lang = 'en'));
    expect(statusText(element)).to.equal('Active');
    element.lang = 'es';
    await element.updateComplete;
    expect(statusText(element)).to.equal('Activo');
    expect(element.getAttribute('lang')).to.equal('es');
    element.setAttribute('lang', 'pt-BR');
    await element.updateComplete;
    expect(statusText(element)).to.equal('Ativo');
  });

  it('strings override any text and keep the rest', async () => {
    const element = await show((el) => {
      el.lang = 'es';
      el.strings = { active: 'Conectado', logout: undefined };
    });
    expect(statusText(element)).to.equal('Conectado');
    expect(buttonLabels(element)).to.deep.equal(['Cambiar número', 'Cerrar sesión']);
    element.strings = { changeNumber: 'Otro número' };
    await element.updateComplete;
    expect(statusText(element)).to.equal('Activo');
    expect(buttonLabels(element)).to.deep.equal(['Otro número', 'Cerrar sesión']);
  });
});

describe('resolveLanguage', () => {
  it('takes the first usable candidate with regional fallback', () => {
    expect(resolveLanguage([null, '', ' es-MX ', 'en'])).to.equal('es');
    expect(resolveLanguage(['pt-br'])).to.equal('pt-BR');
    expect(resolveLanguage(['de', 'fr-CA'])).to.equal('en');
    expect(resolveLanguage([])).to.equal('en');
  });
});
