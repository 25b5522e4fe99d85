import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  createWahaSimulator,
  DEFAULT_TIMINGS,
  FAST_PROFILE,
  isProfileName,
  isSimulatorError,
  REALISTIC_PROFILE,
  SIMULATOR_PROFILE_NAMES,
  SIMULATOR_PROFILES,
} from '../src/index.js';
import type { WahaSimulator } from '../src/index.js';
import { createTestClock } from './helpers/fake-clock.js';
import { call } from './helpers/http.js';
import { startSimulator } from './helpers/setup.js';

let sim: WahaSimulator | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** A simulator on a fake clock, closed after the test. */
function make(options: Parameters<typeof createWahaSimulator>[0] = {}): WahaSimulator {
  const made = createWahaSimulator({ clock: createTestClock(), ...options });
  sim = made;
  return made;
}

const invalid = (error: unknown) => isSimulatorError(error) && error.code === 'INVALID_ARGUMENT';

describe('profiles', () => {
  it('are listed once each, realistic first, each with its name and a description', () => {
    assert.deepEqual([...SIMULATOR_PROFILE_NAMES].sort(), Object.keys(SIMULATOR_PROFILES).sort());
    assert.equal(SIMULATOR_PROFILE_NAMES[0], REALISTIC_PROFILE);
    assert.equal(REALISTIC_PROFILE, 'core-2026');
    assert.equal(FAST_PROFILE, 'fast');
    for (const name of SIMULATOR_PROFILE_NAMES) {
      assert.equal(SIMULATOR_PROFILES[name].name, name);
      assert.ok(SIMULATOR_PROFILES[name].description.length > 20);
      assert.ok(isProfileName(name));
    }
    assert.equal(isProfileName('plus'), false);
    assert.equal(isProfileName('toString'), false);
  });

  it('without a profile the simulator is the realistic one: WAHA’s latencies and quirks', () => {
    const sim = make();
    const settings = sim.settings();
    assert.equal(settings.profile, 'core-2026');
    assert.equal(settings.engine, 'NOWEB');
    assert.equal(settings.latency, 1);
    assert.deepEqual(settings.timings, DEFAULT_TIMINGS);
    assert.equal(settings.quirks.alreadyStartedError, true);
    assert.equal(settings.quirks.notRunning404, true);
  });

  it('the fast profile turns every slow or surprising quirk off', () => {
    const fast = SIMULATOR_PROFILES.fast;
    assert.equal(fast.latency, 0);
    assert.equal(fast.timings.failedRestartMs, Number.POSITIVE_INFINITY);
    assert.deepEqual(fast.quirks, {
      alreadyStartedError: false,
      notRunning404: false,
      singleSession: false,
      startOnCreate: true,
      pairingCode500: false,
      webhookRetries: false,
      legacyWebhooks: false,
    });
  });

  it('options override the profile field by field; settings() is a copy', () => {
    const sim = make({ profile: 'webjs', latency: 0.25, quirks: { notRunning404: false }, timings: { stopMs: 10 }, engine: 'GOWS' });
    const settings = sim.settings();
    assert.equal(settings.profile, 'webjs');
    assert.equal(settings.engine, 'GOWS');
    assert.equal(settings.latency, 0.25);
    assert.equal(settings.quirks.notRunning404, false);
    assert.equal(settings.quirks.alreadyStartedError, true);
    assert.equal(settings.timings.stopMs, 10);
    assert.equal(settings.timings.teardownMs, 1100);
    settings.timings.stopMs = 99;
    assert.equal(sim.timings.stopMs, 10);
  });

  it('configure() switches at run time: a profile resets everything, other fields apply over', () => {
    const sim = make({ profile: 'fast', latency: 0.5 });
    assert.equal(sim.configure({ quirks: { alreadyStartedError: true } }).latency, 0.5, 'without a profile, the rest is kept');
    const webjs = sim.configure({ profile: 'webjs' });
    assert.equal(webjs.latency, 1);
    assert.equal(webjs.engine, 'WEBJS');
    assert.equal(sim.profile, 'webjs');
    assert.equal(sim.configure({ profile: 'core-2024', latency: 0 }).latency, 0);
  });

  it('refuses impossible settings, and keeps the old ones', () => {
    const sim = make({ profile: 'fast' });
    for (const update of [
      { profile: 'plus' },
      { latency: -1 },
      { latency: Number.NaN },
      { engine: 'WPP' },
      { quirks: { singleSession: 'yes' } },
      { quirks: { notRunning404: 1 } },
      { timings: { maxQrs: 0 } },
      { timings: { maxQrs: 2.5 } },
      { timings: { stopMs: -1 } },
      { timings: { stopMs: '3000' } },
    ]) {
      assert.throws(() => sim.configure(update as never), invalid, JSON.stringify(update));
    }
    assert.equal(sim.settings().profile, 'fast');
    assert.throws(() => createWahaSimulator({ profile: 'nope' as never }), invalid);
  });
});

describe('control API: /__simulator/profile and /__simulator/profiles', () => {
  it('GET shows the settings; POST switches (null timing = Infinity); bad values → 400 / 422', async () => {
    const started = (await startSimulator()).sim;
    sim = started;
    const control = (method: string, path: string, body?: unknown) => call(started, method, `/__simulator${path}`, { key: null, ...(body === undefined ? {} : { body }) });
    assert.equal(((await control('GET', '/profile')).json as { profile: string }).profile, 'fast');
    const switched = await control('POST', '/profile', { profile: 'gows', latency: 0.1, timings: { failedRestartMs: null } });
    assert.equal(switched.status, 200);
    const settings = switched.json as { profile: string; engine: string; latency: number; timings: { failedRestartMs: unknown } };
    assert.equal(settings.profile, 'gows');
    assert.equal(settings.engine, 'GOWS');
    assert.equal(settings.latency, 0.1);
    assert.equal(started.timings.failedRestartMs, Number.POSITIVE_INFINITY);
    assert.equal((await control('POST', '/profile', { profile: 'nope' })).status, 422);
    assert.equal((await control('POST', '/profile', { latency: 'fast' })).status, 400);
    assert.equal((await control('POST', '/profile', { quirks: [] })).status, 400);
    const profiles = (await control('GET', '/profiles')).json as { name: string; description: string }[];
    assert.deepEqual(profiles.map((profile) => profile.name), [...Object.keys(SIMULATOR_PROFILES)]);
  });
});
