// Organizations' WAHA clients are cached per URL and key. Whoever may edit an
// organization's WAHA settings (resolveWahaConfig) can name any number of them over time:
// the cache must stay bounded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWahaResolver, MAX_CACHED_WAHA_CLIENTS } from '../src/config.js';

describe('WAHA resolver: the client cache', () => {
  it('is bounded: past its size the least recently used client is forgotten, one in use is kept', async () => {
    assert.equal(MAX_CACHED_WAHA_CLIENTS, 1_000);
    let url = '';
    const resolve = createWahaResolver(() => ({ url, apiKey: 'k' }), () => ({ url: 'http://own.example', apiKey: 'own' }), {});
    const at = async (name: string) => {
      url = `http://${name}.example`;
      return resolve('org');
    };
    const idle = await at('idle');
    const busy = await at('busy');
    assert.equal(await at('idle'), idle, 'cached');
    for (let i = 0; i < MAX_CACHED_WAHA_CLIENTS; i++) {
      await at(`waha-${i}`);
      if (i % 100 === 0) assert.equal(await at('busy'), busy, `kept while in use (${i})`);
    }
    assert.equal(await at('busy'), busy);
    const renewed = await at('idle');
    assert.notEqual(renewed, idle, 'the idle one was forgotten');
    assert.equal(renewed.url, 'http://idle.example');
  });
});
