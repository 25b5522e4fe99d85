import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { isSimulatorError } from '../src/index.js';
import type { SessionStatusEvent, SimulatorOptions, WahaSimulator, WahaStatus } from '../src/index.js';
import type { TestClock } from './helpers/fake-clock.js';
import { call } from './helpers/http.js';
import { FIRST_QR_MS, NEXT_QR_MS, STARTING_MS, startSimulator } from './helpers/setup.js';
import { assertNestError, wahaCall } from './helpers/waha-call.js';
import { startWebhookReceiver } from './helpers/webhook-receiver.js';
import type { WebhookReceiver } from './helpers/webhook-receiver.js';

// What differs between WAHA's engines (src/core/engines/*/session.*.core.ts): WEBJS sets
// WORKING on AUTHENTICATED and again on READY, and only READY tells it the account; WEBJS
// rotates its QR for as long as WhatsApp Web does, NOWEB gives up after six; an engine that
// fails for a transient reason restarts itself 2 s later (START_ATTEMPT_DELAY_SECONDS); GOWS
// asks for a passkey on some accounts.

let sim: WahaSimulator;
let clock: TestClock;
let hooks: WebhookReceiver | null = null;

afterEach(async () => {
  await sim.close();
  await hooks?.close();
  hooks = null;
  assert.equal(clock.pendingTimers(), 0);
});

async function start(options: SimulatorOptions = {}): Promise<void> {
  ({ sim, clock } = await startSimulator({ profile: 'core-2026', ...options }));
}

const history = (name: string): WahaStatus[] => sim.getSession(name)?.statuses.map((point) => point.status) ?? [];

describe('WEBJS: WORKING before the account is known', () => {
  it('reports WORKING with me null, then WORKING again with me 1.5 s later (SessionInfo, /me, webhooks)', async () => {
    hooks = await startWebhookReceiver();
    await start({ profile: 'webjs', webhookUrl: hooks.url });
    sim.createSession('s');
    clock.tick(STARTING_MS);
    sim.scan('s', { phone: '5215512345678', pushName: 'Ana' });
    assert.equal(sim.getSession('s')?.status, 'WORKING');
    assert.equal(sim.getSession('s')?.me, null);
    assert.equal((await call(sim, 'GET', '/api/sessions/s/me')).json, null);
    assert.equal(((await call(sim, 'GET', '/api/sessions/s')).json as { me: unknown }).me, null);
    clock.tick(1499);
    assert.equal(sim.getSession('s')?.me, null);
    clock.tick(1);
    const me = { id: '5215512345678@c.us', pushName: 'Ana' };
    assert.deepEqual(sim.getSession('s')?.me, me);
    assert.deepEqual((await call(sim, 'GET', '/api/sessions/s/me')).json, me);
    assert.deepEqual(history('s').slice(-2), ['WORKING', 'WORKING']);
    const working = (await hooks.waitFor(4)).map((hook) => hook.body as SessionStatusEvent).filter((event) => event.payload.status === 'WORKING');
    assert.deepEqual(
      working.map((event) => event.me).sort((a, b) => (a === null ? -1 : b === null ? 1 : 0)),
      [null, me],
    );
  });

  it('NOWEB knows the account at once', async () => {
    await start();
    sim.createSession('s');
    clock.tick(STARTING_MS);
    sim.scan('s', { pushName: 'Ana' });
    assert.equal(sim.getSession('s')?.me?.pushName, 'Ana');
    assert.deepEqual(history('s').filter((status) => status === 'WORKING'), ['WORKING']);
  });
});

describe('QR rotation', () => {
  it('WEBJS rotates without a limit', async () => {
    await start({ profile: 'webjs' });
    sim.createSession('s');
    clock.tick(STARTING_MS + FIRST_QR_MS + 30 * NEXT_QR_MS);
    assert.equal(sim.getSession('s')?.status, 'SCAN_QR_CODE');
    assert.equal(sim.getSession('s')?.qrIndex, 32);
  });

  it('NOWEB shows six codes, then FAILED — and stays FAILED (a QR timeout is no transient failure)', async () => {
    await start();
    sim.createSession('s');
    clock.tick(STARTING_MS + FIRST_QR_MS + 5 * NEXT_QR_MS);
    assert.equal(sim.getSession('s')?.status, 'FAILED');
    assert.equal(sim.getSession('s')?.failureReason, 'qr-expired');
    clock.tick(60_000);
    assert.equal(sim.getSession('s')?.status, 'FAILED');
  });
});

describe('FAILED restarts itself', () => {
  it('2 s after a transient failure: STARTING, then WORKING again with the phone still linked', async () => {
    await start();
    sim.createSession('s');
    clock.tick(STARTING_MS);
    sim.scan('s');
    sim.fail('s', 'stream errored');
    clock.tick(1999);
    assert.equal(sim.getSession('s')?.status, 'FAILED');
    clock.tick(1);
    assert.equal(sim.getSession('s')?.status, 'STARTING');
    clock.tick(STARTING_MS);
    assert.equal(sim.getSession('s')?.status, 'WORKING');
  });

  it('not after the phone removed the device (logged out), and never with failedRestartMs Infinity', async () => {
    await start();
    sim.createSession('s');
    clock.tick(STARTING_MS);
    sim.scan('s');
    sim.unlink('s');
    clock.tick(10_000);
    assert.equal(sim.getSession('s')?.status, 'FAILED');
    sim.configure({ timings: { failedRestartMs: Number.POSITIVE_INFINITY } });
    sim.createSession('t');
    sim.fail('t');
    clock.tick(10_000);
    assert.equal(sim.getSession('t')?.status, 'FAILED');
  });
});

describe('GOWS passkey statuses', () => {
  it('SCAN_QR_CODE → PASSKEY_REQUIRED → (assertion) → WORKING, with the challenge route', async () => {
    // nullFields off: the answers are then checked against WAHA's schema as published.
    await start({ profile: 'gows', nullFields: false });
    sim.createSession('s');
    clock.tick(STARTING_MS);
    const view = sim.requirePasskey('s');
    assert.equal(view.status, 'PASSKEY_REQUIRED');
    const info = await wahaCall(sim, 'GET', '/api/sessions/s');
    assert.equal((info.json as { status: string }).status, 'PASSKEY_REQUIRED', 'valid against the 2026.7.1 status enum');
    const challenge = await wahaCall(sim, 'GET', '/api/s/auth/passkey/challenge');
    assert.equal(challenge.status, 200);
    assert.equal((challenge.json as { rpId: string }).rpId, 'web.whatsapp.com');
    const assertion = { id: 'cred', rawId: 'cred', type: 'public-key', response: { clientDataJSON: 'x', authenticatorData: 'y', signature: 'z' } };
    assert.equal((await call(sim, 'POST', '/api/s/auth/passkey', { body: assertion })).status, 201);
    assert.equal(sim.getSession('s')?.status, 'WORKING');
  });

  it('with a confirmation code: PASSKEY_CONFIRMATION_REQUIRED, the code, confirm → WORKING', async () => {
    await start({ profile: 'gows' });
    sim.createSession('s');
    clock.tick(STARTING_MS);
    sim.requirePasskey('s', { confirmation: true });
    await call(sim, 'POST', '/api/s/auth/passkey', { body: { id: 'a', rawId: 'a', type: 'public-key', response: {} } });
    assert.equal(sim.getSession('s')?.status, 'PASSKEY_CONFIRMATION_REQUIRED');
    const code = await wahaCall(sim, 'GET', '/api/s/auth/passkey/confirmation');
    assert.match((code.json as { code: string }).code, /^\d{4}$/);
    assert.equal((code.json as { code: string }).code, sim.getSession('s')?.passkeyCode);
    assert.equal((await call(sim, 'POST', '/api/s/auth/passkey/confirm')).status, 201);
    assert.equal(sim.getSession('s')?.status, 'WORKING');
  });

  it('a passkey step nobody finishes → FAILED after 60 s; the wrong step → 422; other engines refuse', async () => {
    await start({ profile: 'gows' });
    sim.createSession('s');
    clock.tick(STARTING_MS);
    sim.requirePasskey('s');
    assertNestError(await call(sim, 'GET', '/api/s/auth/passkey/confirmation'), 422, 'Unprocessable Entity');
    assertNestError(await call(sim, 'POST', '/api/s/auth/passkey', { body: { id: 1 } }), 400, 'Bad Request');
    clock.tick(60_000);
    assert.equal(sim.getSession('s')?.status, 'FAILED');
    assert.equal(sim.getSession('s')?.failureReason, 'passkey-timeout');
    sim.configure({ engine: 'NOWEB' });
    sim.createSession('n');
    clock.tick(STARTING_MS);
    assert.throws(() => sim.requirePasskey('n'), (error: unknown) => isSimulatorError(error) && error.code === 'INVALID_ARGUMENT');
    const refused = await call(sim, 'GET', '/api/n/auth/passkey/challenge');
    assert.equal((refused.json as { message: string }).message, 'The method is not implemented by the engine.');
  });
});
