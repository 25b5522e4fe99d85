import { expect } from 'chai';
import sinon from 'sinon';
import { emulateMedia } from '@web/test-runner-commands';
import type { WhatsAppConnector } from '../src/whatsapp-connector.js';
import { FakeSessionClient } from './helpers/fake-client.js';
import { buttonPart, mount, part, unmountAll } from './helpers/dom.js';

const failed = { phase: 'failed', status: 'FAILED' } as const;

async function show(setup: (el: WhatsAppConnector) => void = () => undefined): Promise<WhatsAppConnector> {
  const client = new FakeSessionClient();
  client.push(failed);
  return mount((el) => {
    el.lang = 'en';
    el.client = client;
    setup(el);
  });
}

function background(element: WhatsAppConnector): string {
  return getComputedStyle(part(element, 'base')!).backgroundColor;
}

describe('<whatsapp-connector> theming', () => {
  const styles: HTMLStyleElement[] = [];

  afterEach(async () => {
    unmountAll();
    for (const style of styles.splice(0)) style.remove();
    await emulateMedia({ colorScheme: 'light' });
  });

  it('is light by default and dark with theme="dark"', async () => {
    const light = await show();
    expect(light.getAttribute('theme')).to.equal('auto');
    expect(background(light)).to.equal('rgb(255, 255, 255)');
    const dark = await show((el) => (el.theme = 'dark'));
    expect(dark.getAttribute('theme')).to.equal('dark');
    expect(background(dark)).to.equal('rgb(17, 27, 33)');
  });

  it('follows prefers-color-scheme with theme="auto", and theme="light" overrides it', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const auto = await show();
    expect(background(auto)).to.equal('rgb(17, 27, 33)');
    const light = await show((el) => el.setAttribute('theme', 'light'));
    expect(background(light)).to.equal('rgb(255, 255, 255)');
  });

  it('custom properties set by the page win over the defaults', async () => {
    const style = document.createElement('style');
    style.textContent = 'whatsapp-connector.branded { --wac-accent: rgb(200, 0, 100); --wac-radius: 3px; --wac-qr-size: 150px; }';
    document.head.append(style);
    styles.push(style);
    const element = await show((el) => el.classList.add('branded'));
    expect(getComputedStyle(buttonPart(element, 'reconnect')).backgroundColor).to.equal('rgb(200, 0, 100)');
    expect(getComputedStyle(part(element, 'base')!).borderTopLeftRadius).to.equal('3px');
  });

  it('exposes parts for ::part() styling', async () => {
    const style = document.createElement('style');
    style.textContent = 'whatsapp-connector::part(button) { text-transform: uppercase; } whatsapp-connector::part(status) { letter-spacing: 3px; }';
    document.head.append(style);
    styles.push(style);
    const element = await show();
    expect(getComputedStyle(buttonPart(element, 'change-number')).textTransform).to.equal('uppercase');
    expect(getComputedStyle(part(element, 'status')!).letterSpacing).to.equal('3px');
    for (const name of ['base', 'status', 'actions', 'button']) expect(part(element, name), name).to.exist;
  });
});

describe('registration', () => {
  it('defining the tag again (a second bundle) does not throw and keeps the first class', async () => {
    const { defineWhatsAppConnector, WhatsAppConnector } = await import('../src/define.js');
    const first = customElements.get('whatsapp-connector');
    expect(first).to.equal(WhatsAppConnector);
    expect(() => defineWhatsAppConnector()).to.not.throw();
    // A second copy of the module, as another bundle on the page would bring.
    const copy = (await import(/* @vite-ignore */ `../src/define.ts?second-bundle=${Date.now()}`)) as typeof import('../src/define.js');
    expect(copy.defineWhatsAppConnector()).to.equal(first);
    expect(customElements.get('whatsapp-connector')).to.equal(first);
  });

  it('warns once when another copy of the element already holds the tag, and answers that copy', async () => {
    const { defineWhatsAppConnector, WhatsAppConnector } = await import('../src/index.js');
    class OtherCopy extends HTMLElement {}
    const defined = new Map<string, CustomElementConstructor>([['whatsapp-connector', OtherCopy]]);
    // A registry of its own, so the page's real one is left as it is.
    const registry = { get: (name: string) => defined.get(name), define: (name: string, ctor: CustomElementConstructor) => void defined.set(name, ctor) } as unknown as CustomElementRegistry;
    const warn = sinon.stub(console, 'warn');
    try {
      expect(defineWhatsAppConnector(registry)).to.equal(OtherCopy);
      expect(defineWhatsAppConnector(registry)).to.equal(OtherCopy);
      expect(warn.callCount, 'one warning per registry').to.equal(1);
      expect(String(warn.firstCall.args[0])).to.contain('already defined by another copy');
      // The same class defined twice is no conflict: no warning.
      defined.set('whatsapp-connector', WhatsAppConnector);
      const fresh = { ...registry, get: (name: string) => defined.get(name) } as unknown as CustomElementRegistry;
      expect(defineWhatsAppConnector(fresh)).to.equal(WhatsAppConnector);
      expect(warn.callCount).to.equal(1);
    } finally {
      warn.restore();
    }
  });

  it('the index entry point registers nothing by itself and the class works in a scoped registry', async () => {
    const { WhatsAppConnector } = await import('../src/index.js');
    class Scoped extends WhatsAppConnector {}
    customElements.define('scoped-whatsapp-connector', Scoped);
    const element = document.createElement('scoped-whatsapp-connector') as InstanceType<typeof Scoped>;
    const client = new FakeSessionClient();
    client.push(failed);
    element.client = client;
    element.lang = 'en';
    document.body.append(element);
    await element.updateComplete;
    expect(element.shadowRoot?.querySelector('[part~="status"]')?.textContent).to.contain('WhatsApp is not connected');
    element.remove();
  });
});
