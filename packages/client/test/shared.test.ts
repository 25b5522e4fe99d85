import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { SessionClientOptions } from '../src/options.js';
import { acquireSessionClient, createSessionClientRegistry, type SessionClientRegistry } from '../src/shared.js';
import { wire } from '../test-kit/index.js';
import { FakeBackend } from '../test-kit/index.js';
import { FakeClock, settle } from '../test-kit/index.js';
import { FakeVisibility } from '../test-kit/index.js';

let clock: FakeClock;
let backend: FakeBackend;
let visibility: FakeVisibility;
let registry: SessionClientRegistry;

function options(extra: Partial<SessionClientOptions> = {}): SessionClientOptions {
  return { endpoint: 'http://backend.test/api/whatsapp/session', fetch: backend.fetch, timers: clock, visibility, stream: false, ...extra };
}

beforeEach(() => {
  clock = new FakeClock(0);
  backend = new FakeBackend({ session: wire.scanQr(), clock });
  visibility = new FakeVisibility();
  registry = createSessionClientRegistry();
});

afterEach(() => {
  assert.equal(registry.size, 0, 'every test releases what it acquired');
  assert.equal(clock.pending, 0);
  backend.assertPosts(0);
});

describe('shared clients', () => {
  it('elements with the same endpoint share one started client and one poller', async () => {
    const a = registry.acquire(options());
    const b = registry.acquire(options({ cadence: { waitingMs: 1000 } }));
    assert.equal(a.client, b.client);
    assert.equal(registry.size, 1);
    await settle();
    assert.equal(backend.gets.length, 1, 'one GET for both');
    await clock.advance(8000);
    assert.equal(backend.gets.length, 2, "the first acquirer's options win");
    a.release();
    b.release();
  });

  it('keeps polling until the last release, then stops and disposes', async () => {
    const a = registry.acquire(options());
    const b = registry.acquire(options());
    await settle();
    a.release();
    a.release(); // idempotent: does not release b's share
    await clock.advance(8000);
    assert.equal(backend.gets.length, 2);
    b.release();
    assert.equal(registry.size, 0);
    assert.equal(clock.pending, 0);
    await clock.advance(60_000);
    assert.equal(backend.gets.length, 2);
    assert.equal(b.client.getSnapshot().polling, false);
  });

  it('a different endpoint or credentials mode gets its own client', () => {
    const a = registry.acquire(options());
    const b = registry.acquire(options({ endpoint: 'http://backend.test/other' }));
    const c = registry.acquire(options({ credentials: 'include' }));
    assert.notEqual(a.client, b.client);
    assert.notEqual(a.client, c.client);
    assert.equal(registry.size, 3);
    for (const lease of [a, b, c]) lease.release();
  });

  it('acquiring after the last release creates a fresh client', () => {
    const a = registry.acquire(options());
    a.release();
    const b = registry.acquire(options());
    assert.notEqual(a.client, b.client);
    b.release();
  });

  it('acquireSessionClient uses one page-wide registry', async () => {
    const a = acquireSessionClient(options());
    const b = acquireSessionClient(options());
    assert.equal(a.client, b.client);
    a.release();
    b.release();
    await settle();
  });
});
