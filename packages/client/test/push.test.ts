import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sameOriginStreamUrl } from '../src/push.js';

const ENDPOINT = 'https://app.example/api/whatsapp/session';

describe('sameOriginStreamUrl', () => {
  it('resolves relative URLs against the endpoint', () => {
    assert.equal(sameOriginStreamUrl('session/events', 'http://x.test/api/session'), 'http://x.test/api/session/events');
    assert.equal(sameOriginStreamUrl('/api/whatsapp/session/stream', ENDPOINT), 'https://app.example/api/whatsapp/session/stream');
    assert.equal(sameOriginStreamUrl('https://app.example/s?x=1', ENDPOINT), 'https://app.example/s?x=1');
  });

  it('refuses another origin: protocol-relative, absolute, another port or scheme', () => {
    for (const foreign of ['//evil.host/api/whatsapp/session/stream', 'https://evil.host/stream', 'https://app.example:8443/stream', 'http://app.example/stream', 'data:text/event-stream,x', 'https://app.example.evil.host/s']) {
      assert.equal(sameOriginStreamUrl(foreign, ENDPOINT), null, foreign);
    }
  });

  it('a relative endpoint is resolved against the page; without a page only its own origin could be known', () => {
    const page = globalThis as { location?: unknown };
    page.location = { href: 'https://app.example/settings' };
    try {
      assert.equal(sameOriginStreamUrl('/s', '/api/whatsapp/session'), 'https://app.example/s');
      assert.equal(sameOriginStreamUrl('//evil.host/s', '/api/whatsapp/session'), null);
    } finally {
      delete page.location;
    }
    assert.equal(sameOriginStreamUrl('/s', '/api/whatsapp/session'), null);
  });
});
