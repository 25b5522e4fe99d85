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

  it('the registering entry point loads, and registering twice does not throw', async () => {
    const module = await import('../src/define.js');
    assert.doesNotThrow(() => module.defineWhatsAppConnector());
    assert.doesNotThrow(() => module.defineWhatsAppConnector());
  });
});
