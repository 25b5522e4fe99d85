// The whole kit against the reference backend: @whatsapp-connector/server's session
// handler, mounted with its Node adapter, talking to the WAHA simulator. This is
// the CI run the tracker asks for: if the server drifts from the contract, it fails here.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSessionHandler, silentLogger, type SessionHandler } from '@whatsapp-connector/server';
import { toNodeHandler } from '@whatsapp-connector/server/node';
import { createWahaSimulator, type WahaSimulator } from '@whatsapp-connector/waha-simulator';
import { ALL_CHECKS, runConformance, type ConformanceReport } from '../src/index.js';
import { expectOutcome, failures } from './helpers.js';

const TOKEN = 'Bearer org-42';

/**
 * Checks the reference backend is known to fail today, with the reason. Each is
 * asserted in its own `todo` test (reported, not failing the run) and left out of
 * the "everything passes" assertions. Remove an entry once the server is fixed.
 */
// Checks the reference backend is known to fail, each with the reason; each runs only in its
// own todo test. Empty since the node adapter drains an unread body after an early 413.
const KNOWN_SERVER_ISSUES: Readonly<Record<string, string>> = {};
const SESSION_NAME = 'wac_42';

describe('the reference backend (server package + WAHA simulator)', () => {
  let simulator: WahaSimulator;
  let handler: SessionHandler;
  let server: Server;
  let url: string;

  before(async () => {
    // A short STARTING phase so that the checks waiting for a QR settle quickly.
    simulator = createWahaSimulator({ timings: { startingMs: 30 } });
    const wahaUrl = await simulator.listen(0, '127.0.0.1');
    handler = createSessionHandler({
      getOrganizationId: (request) => (request.headers.get('authorization') === TOKEN ? '42' : null),
      waha: { url: wahaUrl, apiKey: simulator.apiKey ?? undefined },
      stream: true,
      logger: silentLogger,
    });
    server = createServer(toNodeHandler(handler));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/whatsapp/session`;
  });

  after(async () => {
    handler.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await simulator.close();
  });

  /** Asserts no failure except the known issues. */
  function assertConformant(report: ConformanceReport): void {
    const unexpected = report.results.filter((entry) => entry.outcome === 'fail' && !(entry.id in KNOWN_SERVER_ISSUES));
    assert.deepEqual(unexpected, [], failures(report));
  }

  function check(): Promise<ConformanceReport> {
    // Known issues run only in their own todo test (a stalled check would cost a full timeout here).
    const include = ALL_CHECKS.map((entry) => entry.id).filter((id) => !(id in KNOWN_SERVER_ISSUES));
    return runConformance({ url, headers: { authorization: TOKEN }, destructive: true, include, settleMs: 10_000, pollIntervalMs: 20, timeoutMs: 10_000 });
  }

  it('passes every check from a fresh session (QR), destructive ones included', async () => {
    const report = await check();
    assertConformant(report);
    expectOutcome(report, 'get.qr-when-scan', 'pass');
    expectOutcome(report, 'auth.401', 'pass');
    expectOutcome(report, 'stream.advertised', 'pass');
    expectOutcome(report, 'post.change-number', 'pass');
    expectOutcome(report, 'post.reconnect-leaves-healthy', 'pass');
    expectOutcome(report, 'post.request-code', 'pass');
  });

  it('passes every check from a linked phone (WORKING), destructive ones included', async () => {
    const { met } = await waitForQr(simulator);
    assert.ok(met, 'the simulator shows a QR to scan');
    simulator.scan(SESSION_NAME, { phone: '5215512345678', pushName: 'Ana' });
    const report = await check();
    assertConformant(report);
    expectOutcome(report, 'get.me-when-working', 'pass', /5215512345678@c\.us/);
    expectOutcome(report, 'post.reconnect-leaves-healthy', 'pass', /WORKING kept/);
    expectOutcome(report, 'post.logout', 'pass');
  });

  for (const [id, reason] of Object.entries(KNOWN_SERVER_ISSUES)) {
    it(`passes ${id}`, { todo: reason }, async () => {
      const report = await runConformance({ url, headers: { authorization: TOKEN }, include: [id], timeoutMs: 2_000 });
      expectOutcome(report, id, 'pass');
    });
  }
});

/** Waits (on real time, the simulator's clock) until the session shows a QR. */
async function waitForQr(simulator: WahaSimulator): Promise<{ met: boolean }> {
  for (let attempt = 0; attempt < 250; attempt++) {
    if (simulator.getSession(SESSION_NAME)?.status === 'SCAN_QR_CODE') return { met: true };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { met: false };
}
