import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

// Server-side rendering frameworks import components in Node, where there is no
// DOM: the modules must load without throwing (Lit's node build shims the rest).
describe('element modules in Node (SSR)', () => {
  it('the side-effect-free entry point loads and exports the class', async () => {
    const module = await import('../src/index.js');
    assert.equal(typeof module.WhatsAppConnector, 'function');
    assert.equal(module.resolveLanguage(['es-MX']), 'es');
  });

  it('an element can be constructed and rendered without a DOM', async () => {
    const { WhatsAppConnector } = await import('../src/index.js');
    const element = new WhatsAppConnector();
    element.lang = 'es';
    // render() describes the card (src/dom.ts); only an update in a document patches it in.
    const card = (element as unknown as { render(): { tag: string; props: Record<string, unknown> } }).render();
    assert.equal(card.tag, 'div');
    assert.equal(card.props.part, 'base');
    assert.equal(card.props['data-phase'], 'idle');
    assert.equal(element.snapshot, null);
    assert.equal(element.language, 'es');
  });

  it('the registering entry point loads, and registering twice does not throw', async () => {
    const module = await import('../src/define.js');
    assert.doesNotThrow(() => module.defineWhatsAppConnector());
    assert.doesNotThrow(() => module.defineWhatsAppConnector());
  });
});
