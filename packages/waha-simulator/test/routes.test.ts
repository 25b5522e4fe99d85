import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { WahaSimulator } from '../src/index.js';
import type { TestClock } from './helpers/fake-clock.js';
import { call } from './helpers/http.js';
import { SchemaMismatch, wahaOpenApi } from './helpers/openapi.js';
import { STARTING_MS, startSimulator } from './helpers/setup.js';
import { assertNestError, wahaCall } from './helpers/waha-call.js';

let sim: WahaSimulator;
let clock: TestClock;

beforeEach(async () => {
  ({ sim, clock } = await startSimulator());
});

afterEach(async () => {
  await sim.close();
  assert.equal(clock.pendingTimers(), 0);
});

const create = (name: string, extra: Record<string, unknown> = {}) => wahaCall(sim, 'POST', '/api/sessions', { body: { name, ...extra } });
const names = (json: unknown) => (json as { name: string }[]).map((info) => info.name).sort();
/** The SessionDTO part of an answer (WAHA's actions answer with the whole SessionInfo). */
const dto = (json: unknown) => {
  const { name, status, config } = json as { name: string; status: string; config?: unknown };
  return config === undefined ? { name, status } : { name, status, config };
};

describe('POST /api/sessions', () => {
  it('creates and starts (fast profile: by default) → 201 SessionInfo', async () => {
    const answer = await create('default', { config: { metadata: { 'user.id': '7' } } });
    assert.equal(answer.status, 201);
    assert.deepEqual(answer.json, {
      name: 'default',
      status: 'STARTING',
      config: { metadata: { 'user.id': '7' } },
      presence: {},
      timestamps: { activity: clock.now() },
      engine: { engine: 'NOWEB' },
    });
  });

  it('with start:false the session is STOPPED', async () => {
    const answer = await create('idle', { start: false });
    assert.equal(answer.status, 201);
    assert.deepEqual(dto(answer.json), { name: 'idle', status: 'STOPPED' });
  });

  it('without a name WAHA generates one', async () => {
    const answer = await wahaCall(sim, 'POST', '/api/sessions', { body: {} });
    assert.equal(answer.status, 201);
    assert.match((answer.json as { name: string }).name, /^session_[0-9a-f]{12}$/);
  });

  it('an existing name → 422', async () => {
    await create('default');
    assertNestError(await create('default'), 422, 'Unprocessable Entity');
  });

  it('invalid names → 400 with WAHA 2026’s validation messages', async () => {
    const refused = await create('has space');
    assertNestError(refused, 400, 'Bad Request');
    assert.deepEqual((refused.json as { message: unknown }).message, [
      'Session name can only contain alphanumeric characters, hyphens, and underscores (a-z, A-Z, 0-9, -, _) or be empty',
    ]);
    assertNestError(await create('ü'), 400, 'Bad Request');
    assertNestError(await create('x'.repeat(55)), 400, 'Bad Request');
    assert.equal((await create('y'.repeat(54))).status, 201);
  });

  it('a body that is not JSON or has wrong types → 400', async () => {
    assertNestError(await wahaCall(sim, 'POST', '/api/sessions', { rawBody: '{nope' }), 400, 'Bad Request');
    assertNestError(await wahaCall(sim, 'POST', '/api/sessions', { body: { name: 5 }, invalidBody: true }), 400, 'Bad Request');
    assertNestError(await wahaCall(sim, 'POST', '/api/sessions', { body: { name: 'a', start: 'yes' }, invalidBody: true }), 400, 'Bad Request');
    assertNestError(await wahaCall(sim, 'POST', '/api/sessions', { body: { name: 'a', config: [] }, invalidBody: true }), 400, 'Bad Request');
  });
});

describe('GET /api/sessions', () => {
  it('leaves STOPPED sessions out unless all=true', async () => {
    await create('running');
    await create('idle', { start: false });
    const some = await wahaCall(sim, 'GET', '/api/sessions');
    assert.equal(some.status, 200);
    assert.deepEqual(names(some.json), ['running']);
    const all = await wahaCall(sim, 'GET', '/api/sessions?all=true');
    assert.deepEqual(names(all.json), ['idle', 'running']);
  });

  it('lists SessionInfo with me while WORKING', async () => {
    await create('default');
    clock.tick(STARTING_MS);
    sim.scan('default', { phone: '5215512345678', pushName: 'Ana' });
    const answer = await wahaCall(sim, 'GET', '/api/sessions?all=true');
    const [info] = answer.json as Record<string, unknown>[];
    assert.equal(info?.status, 'WORKING');
    assert.deepEqual(info?.me, { id: '5215512345678@c.us', pushName: 'Ana' });
    assert.deepEqual(info?.engine, { engine: 'NOWEB' });
    assert.equal((info?.timestamps as { activity: number }).activity, clock.now());
  });
});

describe('GET/PUT/DELETE /api/sessions/{session}', () => {
  it('GET → SessionInfo; 404 when missing', async () => {
    await create('default');
    const answer = await wahaCall(sim, 'GET', '/api/sessions/default');
    assert.equal(answer.status, 200);
    assert.equal((answer.json as { status: string }).status, 'STARTING');
    assert.equal((answer.json as { me?: unknown }).me, undefined);
    assertNestError(await wahaCall(sim, 'GET', '/api/sessions/missing'), 404, 'Not Found');
  });

  it('PUT replaces the config and restarts a running session', async () => {
    await create('default');
    clock.tick(STARTING_MS);
    const answer = await wahaCall(sim, 'PUT', '/api/sessions/default', { body: { config: { debug: true } } });
    assert.equal(answer.status, 200);
    assert.deepEqual(dto(answer.json), { name: 'default', status: 'STARTING', config: { debug: true } });
    assert.deepEqual(sim.getSession('default')?.statuses.map((point) => point.status).slice(-3), ['SCAN_QR_CODE', 'STOPPED', 'STARTING']);
    assertNestError(await wahaCall(sim, 'PUT', '/api/sessions/missing', { body: { config: {} } }), 404, 'Not Found');
  });

  it('PUT on a STOPPED session does not start it', async () => {
    await create('idle', { start: false });
    const answer = await wahaCall(sim, 'PUT', '/api/sessions/idle', { body: { config: { debug: false } } });
    assert.deepEqual(dto(answer.json), { name: 'idle', status: 'STOPPED', config: { debug: false } });
  });

  it('DELETE → 200 with no body, idempotent', async () => {
    await create('default');
    const first = await wahaCall(sim, 'DELETE', '/api/sessions/default');
    assert.equal(first.status, 200);
    assert.equal(first.bytes.length, 0);
    assert.equal(sim.getSession('default'), undefined);
    assert.equal((await wahaCall(sim, 'DELETE', '/api/sessions/default')).status, 200);
  });
});

describe('session actions', () => {
  it('start/stop/restart/logout → 201 SessionInfo; 404 when missing (stop: 201 with no body)', async () => {
    await create('default', { start: false });
    const start = await wahaCall(sim, 'POST', '/api/sessions/default/start');
    assert.equal(start.status, 201);
    assert.deepEqual(dto(start.json), { name: 'default', status: 'STARTING' });
    clock.tick(STARTING_MS);
    const again = await wahaCall(sim, 'POST', '/api/sessions/default/start');
    assert.deepEqual(dto(again.json), { name: 'default', status: 'SCAN_QR_CODE' }, 'start is idempotent (fast profile)');
    const restart = await wahaCall(sim, 'POST', '/api/sessions/default/restart');
    assert.deepEqual(dto(restart.json), { name: 'default', status: 'STARTING' });
    clock.tick(STARTING_MS);
    sim.scan('default');
    const logout = await wahaCall(sim, 'POST', '/api/sessions/default/logout');
    assert.deepEqual(dto(logout.json), { name: 'default', status: 'STARTING' });
    clock.tick(STARTING_MS);
    assert.equal(sim.getSession('default')?.status, 'SCAN_QR_CODE');
    const stop = await wahaCall(sim, 'POST', '/api/sessions/default/stop');
    assert.deepEqual(dto(stop.json), { name: 'default', status: 'STOPPED' });
    assert.deepEqual(dto((await wahaCall(sim, 'POST', '/api/sessions/default/stop')).json), { name: 'default', status: 'STOPPED' });
    for (const action of ['start', 'restart', 'logout']) {
      const missing = await wahaCall(sim, 'POST', `/api/sessions/missing/${action}`);
      assertNestError(missing, 404, 'Not Found');
      assert.equal((missing.json as { message: string }).message, 'Session not found');
    }
    // WAHA's stop checks nothing: its answer is the (missing) session info, an empty body.
    const stopMissing = await wahaCall(sim, 'POST', '/api/sessions/missing/stop');
    assert.equal(stopMissing.status, 201);
    assert.equal(stopMissing.bytes.length, 0);
  });

  it('GET me → MeInfo while WORKING, null otherwise, 404 when missing', async () => {
    await create('default');
    const before = await wahaCall(sim, 'GET', '/api/sessions/default/me');
    assert.equal(before.status, 200);
    assert.equal(before.json, null, 'WAHA answers null before a phone is linked');
    clock.tick(STARTING_MS);
    sim.scan('default', { phone: '5215512345678', pushName: 'Ana' });
    const after = await wahaCall(sim, 'GET', '/api/sessions/default/me');
    assert.deepEqual(after.json, { id: '5215512345678@c.us', pushName: 'Ana' });
    assertNestError(await wahaCall(sim, 'GET', '/api/sessions/missing/me'), 404, 'Not Found');
  });
});

describe('QR and pairing code', () => {
  beforeEach(async () => {
    await create('default');
  });

  it('422 with WAHA error shape outside SCAN_QR_CODE (at once with latency 0)', async () => {
    sim.stopSession('default');
    const answer = await wahaCall(sim, 'GET', '/api/default/auth/qr?format=raw');
    assert.equal(answer.status, 422);
    assert.deepEqual(answer.json, {
      error: 'Session status is not as expected. Try again later or restart the session',
      session: 'default',
      status: 'STOPPED',
      expected: ['SCAN_QR_CODE'],
    });
    const code = await wahaCall(sim, 'POST', '/api/default/auth/request-code', { body: { phoneNumber: '12132132130' } });
    assertNestError(code, 422, 'Unprocessable Entity');
    assert.equal((code.json as { message: string }).message, 'Can request code only in SCAN_QR_CODE status. The current status is STOPPED');
  });

  it('format=raw → {value}, the current QR, rotating with the clock', async () => {
    clock.tick(STARTING_MS);
    const first = await wahaCall(sim, 'GET', '/api/default/auth/qr?format=raw');
    assert.equal(first.status, 200);
    assert.deepEqual(first.json, { value: sim.getSession('default')?.qr });
    clock.tick(60_000);
    const second = await wahaCall(sim, 'GET', '/api/default/auth/qr?format=raw');
    assert.notDeepEqual(second.json, first.json);
  });

  it('format=image → PNG bytes; with Accept JSON → Base64File of the same PNG', async () => {
    clock.tick(STARTING_MS);
    const png = await wahaCall(sim, 'GET', '/api/default/auth/qr?format=image');
    assert.equal(png.status, 200);
    assert.equal(png.headers.get('content-type'), 'image/png');
    assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const json = await wahaCall(sim, 'GET', '/api/default/auth/qr?format=image', { headers: { accept: 'application/json' } });
    assert.equal(json.status, 200);
    const file = json.json as { mimetype: string; data: string };
    assert.equal(file.mimetype, 'image/png');
    assert.deepEqual(Buffer.from(file.data, 'base64'), png.bytes);
    const byDefault = await wahaCall(sim, 'GET', '/api/default/auth/qr');
    assert.equal(byDefault.headers.get('content-type'), 'image/png', 'format defaults to image');
  });

  it('an unknown format → 400; a missing session → 404', async () => {
    clock.tick(STARTING_MS);
    assertNestError(await wahaCall(sim, 'GET', '/api/default/auth/qr?format=svg'), 400, 'Bad Request');
    assertNestError(await wahaCall(sim, 'GET', '/api/missing/auth/qr?format=raw'), 404, 'Not Found');
  });

  it('request-code → 201 {code}; a missing phoneNumber → 400', async () => {
    clock.tick(STARTING_MS);
    const answer = await wahaCall(sim, 'POST', '/api/default/auth/request-code', { body: { phoneNumber: '12132132130' } });
    assert.equal(answer.status, 201);
    assert.match((answer.json as { code: string }).code, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    assertNestError(await wahaCall(sim, 'POST', '/api/default/auth/request-code', { body: {}, invalidBody: true }), 400, 'Bad Request');
    assertNestError(await wahaCall(sim, 'POST', '/api/missing/auth/request-code', { body: { phoneNumber: '1' } }), 404, 'Not Found');
    sim.scan('default');
    assert.equal(sim.getSession('default')?.me?.id, '12132132130@c.us', 'the pairing phone links');
  });
});

describe('deprecated routes', () => {
  it('POST /api/sessions/start upserts and starts → 201 SessionDTO', async () => {
    const created = await wahaCall(sim, 'POST', '/api/sessions/start', { body: { name: 'default' } });
    assert.equal(created.status, 201);
    assert.deepEqual(created.json, { name: 'default', status: 'STARTING' });
    await wahaCall(sim, 'POST', '/api/sessions/default/stop');
    const started = await wahaCall(sim, 'POST', '/api/sessions/start', { body: { name: 'default', config: { debug: true } } });
    assert.deepEqual(started.json, { name: 'default', status: 'STARTING', config: { debug: true } });
    assertNestError(await wahaCall(sim, 'POST', '/api/sessions/start', { body: {}, invalidBody: true }), 422, 'Unprocessable Entity');
    assertNestError(await wahaCall(sim, 'POST', '/api/sessions/start', { body: { name: 5 }, invalidBody: true }), 400, 'Bad Request');
    assertNestError(await wahaCall(sim, 'POST', '/api/sessions/start', { body: { name: 'bad name' } }), 422, 'Unprocessable Entity');
  });

  it('POST /api/sessions/stop stops; with logout:true it deletes', async () => {
    await create('default');
    const stop = await wahaCall(sim, 'POST', '/api/sessions/stop', { body: { name: 'default' } });
    assert.equal(stop.status, 201);
    assert.equal(stop.bytes.length, 0);
    assert.equal(sim.getSession('default')?.status, 'STOPPED');
    await wahaCall(sim, 'POST', '/api/sessions/stop', { body: { name: 'default', logout: true } });
    assert.equal(sim.getSession('default'), undefined);
    assert.equal((await wahaCall(sim, 'POST', '/api/sessions/stop', { body: { name: 'default' } })).status, 201, 'WAHA checks nothing');
  });

  it('POST /api/sessions/logout stops, logs out and deletes', async () => {
    await create('default');
    const answer = await wahaCall(sim, 'POST', '/api/sessions/logout', { body: { name: 'default' } });
    assert.equal(answer.status, 201);
    assert.equal(sim.getSession('default'), undefined);
    assert.equal((await wahaCall(sim, 'POST', '/api/sessions/logout', { body: { name: 'default' } })).status, 201, 'idempotent');
  });
});

describe('nullFields: answers shaped like WAHA’s code, not its schema', () => {
  it('sends me/presence null (and activity null when STOPPED), which the published schema rejects', async () => {
    await sim.close();
    ({ sim, clock } = await startSimulator({ nullFields: true }));
    await create('idle', { start: false });
    await create('linked');
    clock.tick(STARTING_MS);
    sim.scan('linked', { pushName: 'Ana' });
    const idle = await call(sim, 'GET', '/api/sessions/idle');
    assert.deepEqual(idle.json, {
      name: 'idle',
      status: 'STOPPED',
      me: null,
      presence: null,
      timestamps: { activity: null },
      engine: { engine: 'NOWEB' },
    });
    assert.throws(() => wahaOpenApi().assertResponse('GET', '/api/sessions/idle', 200, idle.json), SchemaMismatch);
    const linked = (await call(sim, 'GET', '/api/sessions/linked')).json as { me: unknown; presence: unknown };
    assert.deepEqual(linked.me, { id: '12132132130@c.us', pushName: 'Ana' });
    assert.equal(linked.presence, null);
  });
});

describe('other routes', () => {
  it('unknown routes and methods → 404 NestJS shape', async () => {
    // Not WAHA operations, so plain calls: there is no schema to validate against.
    assertNestError(await call(sim, 'GET', '/api/nothing/here/at/all'), 404, 'Not Found');
    assertNestError(await call(sim, 'PATCH', '/api/sessions/default'), 404, 'Not Found');
    assertNestError(await call(sim, 'GET', '/elsewhere'), 404, 'Not Found');
    assertNestError(await call(sim, 'GET', '/api/sessions/%E0%A4%A'), 404, 'Not Found');
  });

  it('GET /ping → pong without a key; GET /api/server/version → WAHAEnvironment', async () => {
    const ping = await wahaCall(sim, 'GET', '/ping', { key: null });
    assert.deepEqual(ping.json, { message: 'pong' });
    const version = await wahaCall(sim, 'GET', '/api/server/version');
    assert.equal(version.status, 200);
    wahaOpenApi().assertComponent('WAHAEnvironment', version.json);
    assert.equal((version.json as { engine: string }).engine, 'NOWEB');
  });

  it('session names are URL-decoded', async () => {
    await create('a-b_c');
    assert.equal((await wahaCall(sim, 'GET', '/api/sessions/a%2Db_c')).status, 200);
  });
});
