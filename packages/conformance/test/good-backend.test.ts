// The kit against backends that follow the contract: everything that applies passes.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { goodBackend, SCAN_SESSION, startBackend, WORKING_SESSION, type RunningBackend } from './fixtures/backend.js';
import { expectOutcome, failures, run } from './helpers.js';
import { ALL_CHECKS } from '../src/index.js';

/** The `action` of a POST body, when it is JSON with one. */
function actionOf(body: string | undefined): unknown {
  try {
    return (JSON.parse(body ?? '') as { action?: unknown }).action;
  } catch {
    return undefined;
  }
}

describe('a backend that follows the contract', () => {
  const backends: RunningBackend[] = [];
  after(async () => {
    await Promise.all(backends.map((backend) => backend.close()));
  });
  async function start(...args: Parameters<typeof goodBackend>): Promise<RunningBackend> {
    const backend = await startBackend(goodBackend(...args));
    backends.push(backend);
    return backend;
  }

  it('passes every check, destructive ones included, from SCAN_QR with credentials and a stream', async () => {
    const backend = await start({ session: SCAN_SESSION, token: 't0k3n', stream: true });
    const report = await run(backend.url, { headers: { authorization: 'Bearer t0k3n' }, destructive: true });
    assert.equal(report.failed, 0, failures(report));
    assert.equal(report.results.length, ALL_CHECKS.length);
    assert.deepEqual(
      report.results.filter((entry) => entry.outcome === 'skip').map((entry) => entry.id),
      ['get.me-when-working'],
    );
    expectOutcome(report, 'stream.advertised', 'pass', /first event SCAN_QR/);
    expectOutcome(report, 'post.request-code', 'pass', /ABCD-EFGH/);
    expectOutcome(report, 'post.reconnect-leaves-healthy', 'pass', /SCAN_QR kept/);
    assert.equal(report.passed + report.skipped, report.results.length);
  });

  it('passes from WORKING and checks me', async () => {
    const backend = await start({ session: WORKING_SESSION });
    const report = await run(backend.url, { destructive: true });
    assert.equal(report.failed, 0, failures(report));
    expectOutcome(report, 'get.me-when-working', 'pass', /5215512345678@c\.us/);
    expectOutcome(report, 'get.qr-when-scan', 'skip', /WORKING/);
    expectOutcome(report, 'post.reconnect-leaves-healthy', 'pass', /WORKING kept/);
    expectOutcome(report, 'auth.401', 'skip', /--header/);
    expectOutcome(report, 'stream.advertised', 'skip', /optional/);
  });

  it('waits out STARTING before judging the QR', async () => {
    const backend = await start({ session: { status: 'STARTING', connected: false }, startingPolls: 3 });
    const report = await run(backend.url, { include: ['get'] });
    assert.equal(report.failed, 0, failures(report));
    expectOutcome(report, 'get.qr-when-scan', 'pass', /qr/);
    assert.ok(backend.requests.filter((request) => request.method === 'GET').length >= 4, 'it polled GET');
  });

  it('skips destructive checks unless allowed, and sends no action', async () => {
    const backend = await start({ session: WORKING_SESSION });
    const report = await run(backend.url);
    assert.equal(report.failed, 0, failures(report));
    for (const id of ['post.logout', 'post.change-number', 'post.reconnect-answers-session', 'auth.401-post']) {
      expectOutcome(report, id, 'skip', /--destructive/);
    }
    const actions = backend.requests.filter((request) => request.method === 'POST').map((request) => actionOf(request.body));
    assert.ok(!actions.some((action) => action === 'reconnect' || action === 'logout' || action === 'change_number'), String(actions));
  });
});
