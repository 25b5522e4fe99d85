// The server against every WAHA the simulator imitates (its profiles: WAHA Core 2026 on
// NOWEB, WEBJS and GOWS, single-session Core 2025 and 2024, and the instant one), with
// WAHA's own latencies and quirks on one fake clock shared with the handler, and WAHA's
// webhooks delivered over HTTP: one organization's whole life, and never a 5xx.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { SIMULATOR_PROFILE_NAMES, SIMULATOR_PROFILES, type SimulatorProfileName } from '@whatsapp-connector/waha-simulator';
import { toNodeHandler } from '../src/node.js';
import { advance, closeServer, harness, json, mutatingCalls, settleOnClock, type Harness, type Instance } from './helpers.js';
import { TOKEN } from './webhook-helpers.js';

let h: Harness;
let server: Server | undefined;
afterEach(async () => {
  await closeServer(server);
  await h.close();
});

/** A handler on the simulator's clock whose sessions register their webhook with it, over HTTP. */
async function app(profile: SimulatorProfileName): Promise<Instance> {
  h = await harness({ sim: { profile }, sharedClock: true });
  let node: ReturnType<typeof toNodeHandler> | undefined;
  server = createServer((req, res) => node!(req, res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  // The token in the URL too: WAHA 2024 sends no custom headers with its webhooks.
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/whatsapp/session/webhook?token=${TOKEN}`;
  const instance = h.instance({ webhook: { token: TOKEN, url }, stream: true });
  node = toNodeHandler(instance.handler);
  return instance;
}

/** Sends a request, moving WAHA's clock until it is answered; it must be a session answer. */
async function ok(request: Promise<Response>): Promise<SessionAnswerWire> {
  const { value: response } = await settleOnClock(h.fake, request);
  assert.equal(response.status, 200, await response.clone().text());
  return json<SessionAnswerWire>(response);
}

/** Lets WAHA move on (and its webhooks arrive) for `ms`, then reads the session. */
async function after(instance: Instance, ms: number): Promise<SessionAnswerWire> {
  await advance(h.fake, ms);
  await h.sim.webhooksSettled();
  return ok(instance.get('1'));
}

for (const profile of SIMULATOR_PROFILE_NAMES) {
  const { quirks, engine } = SIMULATOR_PROFILES[profile];
  const single = quirks.singleSession !== false;
  const name = single ? 'default' : 'eagles_1';

  describe(`against ${profile} (${engine}${single ? ', single session' : ''})`, () => {
    it('links, flaps, fails and repairs without a new scan, changes number, and never answers 5xx', async () => {
      const wac = await app(profile);
      const statuses: string[] = [];
      const read = async (ms: number) => {
        const answer = await after(wac, ms);
        statuses.push(answer.status);
        return answer;
      };

      // The first GET creates (or, single-session, claims and starts) the session.
      const first = await ok(wac.get('1'));
      assert.equal(first.sessionName, name);
      assert.equal((await read(3_000)).status, 'SCAN_QR');
      const scanning = await read(0);
      assert.equal(scanning.qr, h.sim.getSession(name)?.qr ?? undefined);

      h.sim.scan(name, { phone: '5215512345678', pushName: 'Ana' });
      const working = await read(2_000);
      assert.equal(working.status, 'WORKING');
      assert.equal(working.connected, true);
      assert.equal(working.me?.phone, '5215512345678');

      // Stopped: still linked; reconnect starts it (no delete, no scan).
      h.sim.stopSession(name);
      const stopped = await read(0);
      assert.equal(stopped.status, 'STOPPED');
      assert.equal(stopped.connected, true);
      h.sim.clearRequestLog();
      await ok(wac.post('1', { action: 'reconnect' }));
      assert.deepEqual(mutatingCalls(h.calls()), [`POST /api/sessions/${name}/start`]);
      assert.equal((await read(3_000)).status, 'WORKING', 'back without a scan');

      // FAILED: reconnect restarts it (no delete, no scan).
      h.sim.fail(name, 'engine crashed');
      h.sim.clearRequestLog();
      await ok(wac.post('1', { action: 'reconnect' }));
      assert.deepEqual(mutatingCalls(h.calls()), [`POST /api/sessions/${name}/restart`]);
      assert.equal((await read(3_000)).status, 'WORKING', 'back without a scan');
      assert.equal(h.sim.getSession(name)?.linked, true);

      // Change number: a new session and a new QR, whatever WAHA's latencies.
      await ok(wac.post('1', { action: 'change_number' }));
      const fresh = await read(12_000);
      assert.equal(fresh.status, 'SCAN_QR');
      assert.equal(fresh.connected, false);
      assert.equal(h.sim.getSession(name)?.linked, false);

      // Single-session: nobody else gets in.
      if (single) {
        const { value: other } = await settleOnClock(h.fake, wac.get('2'));
        assert.equal(other.status, 409);
        assert.equal((await json<{ error: { code: string } }>(other)).error.code, 'waha_single_session');
      }

      // WAHA's webhooks reached the handler; the record agrees with WAHA; no request failed.
      await h.sim.webhooksSettled();
      assert.ok(wac.logs.some((entry) => entry.event === 'webhook.status'), 'webhooks were applied');
      assert.equal(h.store.entries().get('1')?.status, 'SCAN_QR');
      assert.deepEqual(
        wac.logs.filter((entry) => entry.event === 'request.failed' && entry.orgId === '1'),
        [],
      );
    });
  });
}
