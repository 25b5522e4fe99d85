// A caller's cancellation of a WAHA call (`WahaCallOptions.signal`): reported as a
// `timeout` (the caller gave up), never retried, never counted by `onError`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWahaClient, isWahaError, type WahaError } from '../src/index.js';

function client(fetch: typeof globalThis.fetch, errors: WahaError[]) {
  return createWahaClient({ url: 'http://waha.test', apiKey: 'k', fetch, retry: { attempts: 3 }, onError: (error) => errors.push(error) });
}

describe('a WAHA call the caller aborts', () => {
  it('sends nothing when the signal is aborted already: a timeout, not retried, not counted', async () => {
    let fetched = 0;
    const errors: WahaError[] = [];
    const waha = client(async () => {
      fetched++;
      return new Response('[]', { headers: { 'content-type': 'application/json' } });
    }, errors);
    const failure = await waha.listSessions({ signal: AbortSignal.abort() }).then(
      () => assert.fail('resolved'),
      (error: unknown) => error,
    );
    assert.ok(isWahaError(failure));
    assert.equal(failure.kind, 'timeout');
    assert.equal(failure.method, 'GET');
    assert.equal(failure.path, '/api/sessions?all=true');
    assert.equal(fetched, 0, 'no request left');
    assert.deepEqual(errors, [], 'the caller that aborted counts it');
  });

  it('ends an exchange in flight at once, even with a fetch that ignores its signal', async () => {
    let fetched = 0;
    const errors: WahaError[] = [];
    const waha = client(() => {
      fetched++;
      return new Promise<Response>(() => {});
    }, errors);
    const cancel = new AbortController();
    const call = waha.listSessions({ signal: cancel.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    cancel.abort();
    const failure = await call.then(
      () => assert.fail('resolved'),
      (error: unknown) => error,
    );
    assert.ok(isWahaError(failure));
    assert.equal(failure.kind, 'timeout');
    assert.equal(fetched, 1, 'not retried');
    assert.deepEqual(errors, []);
  });
});
