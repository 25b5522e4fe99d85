// The whole kit against the reference backend: @whatsapp-connector/server's session
// handler, mounted with its Node adapter, talking to the WAHA simulator on its
// realistic default profile. This is
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

const SESSION_NAME = 'wac_42';

describe('the reference backend (server package + WAHA simulator)', () => {
  let simulator: WahaSimulator;
  let handler: SessionHandler;
  let server: Server;
  let url: string;

  before(async () => {
    // The simulator's realistic default profile (WAHA Core 2026: stop ~3 s, unpair ~1 s,
    // the QR route's wait, "already started", 404 for a stopped session): the contract
    // must hold over WAHA's real latencies. Only the engine's boot is shortened, so that
    // the checks waiting for a QR settle quickly.
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

  /** Asserts that no check failed. */
  function assertConformant(report: ConformanceReport): void {
    const failed = report.results.filter((entry) => entry.outcome === 'fail');
    assert.deepEqual(failed, [], failures(report));
  }

  /** Every check of the kit, destructive ones included. */
  function check(): Promise<ConformanceReport> {
    const include = ALL_CHECKS.map((entry) => entry.id);
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

});

/** Waits (on real time, the simulator's clock) until the session shows a QR. */
async function waitForQr(simulator: WahaSimulator): Promise<{ met: boolean }> {
  for (let attempt = 0; attempt < 250; attempt++) {
    if (simulator.getSession(SESSION_NAME)?.status === 'SCAN_QR_CODE') return { met: true };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { met: false };
}
