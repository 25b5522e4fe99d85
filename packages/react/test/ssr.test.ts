import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { WhatsAppConnector, useWhatsAppSession } from '@whatsapp-connector/react';

function Summary() {
  const { snapshot, client } = useWhatsAppSession({ endpoint: '/api/whatsapp/session' });
  return createElement('p', null, `${snapshot.phase}:${client === null ? 'no-client' : 'client'}`);
}

describe('@whatsapp-connector/react in Node (server-side rendering)', () => {
  it('imports without a DOM and does not define the tag', () => {
    assert.equal(typeof WhatsAppConnector, 'object');
    assert.equal(typeof useWhatsAppSession, 'function');
    assert.equal(typeof document, 'undefined');
    const registry = (globalThis as { customElements?: CustomElementRegistry }).customElements;
    assert.equal(registry?.get('whatsapp-connector'), undefined);
  });

  it('renders the hook idle, without a client and without a request', () => {
    const originalFetch = globalThis.fetch;
    let requests = 0;
    globalThis.fetch = async () => {
      requests += 1;
      return new Response('{}');
    };
    try {
      assert.equal(renderToString(createElement(Summary)), '<p>idle:no-client</p>');
      assert.equal(requests, 0);
    } finally {
      globalThis.fetch = originalFetch;
    }
  });

  it('renders the wrapper as an empty <whatsapp-connector defer-hydration> for the browser to upgrade', () => {
    const html = renderToString(createElement(WhatsAppConnector, { endpoint: '/api/x', lang: 'es' }));
    assert.match(html, /^<whatsapp-connector[^>]*><\/whatsapp-connector>$/);
    // The element sends nothing until hydration has set its properties and removed it.
    assert.match(html, /^<whatsapp-connector[^>]* defer-hydration=""/);
  });
});
