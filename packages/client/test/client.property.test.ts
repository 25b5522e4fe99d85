import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createSessionClient } from '../src/client.js';
import { wire } from '../test-kit/index.js';
import { FakeBackend, type Reply } from '../test-kit/index.js';
import { FakeClock } from '../test-kit/index.js';
import { FakeVisibility } from '../test-kit/index.js';

const replyArb: fc.Arbitrary<Reply> = fc.oneof(
  fc.constantFrom<Reply>(
    { json: wire.starting() },
    { json: wire.scanQr() },
    { json: wire.working() },
    { json: wire.stopped() },
    { json: wire.failed() },
    { json: wire.error() },
    { json: wire.passkey() },
    { json: wire.unknown() },
    { networkError: true },
    { text: '<html>oops</html>', headers: { 'content-type': 'text/html' } },
    { text: '', status: 401 },
    { json: {}, status: 500 },
    { json: {}, status: 429, headers: { 'retry-after': '3' } },
  ),
  fc.jsonValue().map((json): Reply => ({ json })),
);

const stepArb = fc.oneof(
  fc.integer({ min: 0, max: 70_000 }).map((ms) => ({ kind: 'advance' as const, ms })),
  fc.boolean().map((visible) => ({ kind: 'visibility' as const, visible })),
  fc.constant({ kind: 'refresh' as const }),
  fc.constant({ kind: 'restart' as const }),
);

describe('client (properties)', () => {
  it('for any backend behaviour: no POST, no exception, at most one GET in flight, no timer after dispose', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(replyArb, { maxLength: 15 }), fc.array(stepArb, { maxLength: 12 }), async (replies, steps) => {
        // Fewer settle turns per timer: 25 runs of up to 12 steps stay fast.
        const clock = new FakeClock(0, 4);
        const backend = new FakeBackend({ session: wire.scanQr(), clock }).reply(...replies);
        const visibility = new FakeVisibility();
        let inFlight = 0;
        let maxInFlight = 0;
        const fetch: typeof globalThis.fetch = async (input, init) => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          try {
            return await backend.fetch(input, init);
          } finally {
            inFlight -= 1;
          }
        };
        const client = createSessionClient({ endpoint: 'http://backend.test/s', fetch, timers: clock, visibility, stream: false });
        client.start();
        for (const step of steps) {
          if (step.kind === 'advance') await clock.advance(step.ms);
          else if (step.kind === 'visibility') visibility.set(step.visible);
          else if (step.kind === 'refresh') await client.refresh();
          else {
            client.stop();
            client.start();
          }
        }
        client.dispose();
        assert.equal(backend.posts.length, 0);
        assert.equal(clock.pending, 0);
        assert.equal(visibility.listenerCount, 0);
        assert.ok(maxInFlight <= 1 || steps.some((s) => s.kind === 'restart'), `GETs in flight at once: ${maxInFlight}`);
      }),
      { numRuns: 25 },
    );
  });
});
