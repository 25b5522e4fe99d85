import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { createWahaSimulator } from '../src/index.js';
import type { WahaSimulator } from '../src/index.js';
import { createTestClock } from './helpers/fake-clock.js';

let sim: WahaSimulator | undefined;
let host: Server | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
  if (host) {
    const closing = host;
    host = undefined;
    await new Promise<void>((resolve) => {
      closing.close(() => resolve());
      closing.closeAllConnections();
    });
  }
});

describe('listen / close', () => {
  it('listens on 127.0.0.1 and a free port by default, and reports its URL', async () => {
    sim = createWahaSimulator({ clock: createTestClock() });
    assert.equal(sim.url, null);
    const url = await sim.listen();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(sim.url, url);
    assert.equal((await fetch(`${url}/ping`)).status, 200);
    await assert.rejects(sim.listen(), /already listening/);
  });

  it('close() is idempotent and final', async () => {
    sim = createWahaSimulator({ clock: createTestClock() });
    const url = await sim.listen();
    await sim.close();
    await sim.close();
    assert.equal(sim.url, null);
    await assert.rejects(fetch(`${url}/ping`));
    await assert.rejects(sim.listen(), /closed/);
  });

  it('logs the query string of each request', async () => {
    sim = createWahaSimulator({ clock: createTestClock() });
    const url = await sim.listen();
    await fetch(`${url}/api/sessions?all=true`, { headers: { 'x-api-key': 'simulator-key' } });
    assert.equal(sim.requestLog()[0]?.query, 'all=true');
  });
});

describe('odd request targets', () => {
  it('keeps `//api/...` a path (404), never a host', async () => {
    sim = createWahaSimulator({ clock: createTestClock() });
    const url = await sim.listen();
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${url}/`, { path: '//api/sessions', headers: { 'x-api-key': 'simulator-key' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 404);
    assert.equal(sim.requestLog()[0]?.path, '//api/sessions');
  });
});

describe('handle() mounted in another server', () => {
  it('serves the WAHA and control routes through the host server', async () => {
    const clock = createTestClock();
    const mounted = createWahaSimulator({ clock, profile: 'fast', timings: { startingMs: 5 } });
    sim = mounted;
    host = createServer((req, res) => {
      if (req.url?.startsWith('/api/') || req.url?.startsWith('/__simulator/')) return mounted.handle(req, res);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('demo page');
    });
    await new Promise<void>((resolve) => host!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    const created = await fetch(`${base}/api/sessions`, {
      method: 'POST',
      headers: { 'x-api-key': 'simulator-key', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'default' }),
    });
    assert.equal(created.status, 201);
    clock.tick(5);
    const scanned = await fetch(`${base}/__simulator/sessions/default/scan`, { method: 'POST' });
    assert.equal(((await scanned.json()) as { status: string }).status, 'WORKING');
    assert.equal(await (await fetch(`${base}/`)).text(), 'demo page');
    assert.equal(mounted.url, null, 'not listening itself');
  });
});

describe('CLI', () => {
  const cli = new URL('../src/cli.ts', import.meta.url).pathname;

  it('prints the URL, profile and key, serves WAHA, and stops on SIGTERM (profile from WAHA_SIM_PROFILE)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--api-key', 'k1', '--starting-ms', '10'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WAHA_SIM_PROFILE: 'core-2024' },
    });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (match && out.includes('API key')) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`cli exited ${code}: ${out}`)));
      });
      assert.match(out, /API key: k1/);
      assert.match(out, /Profile: core-2024 \(WAHA 2024\.10\.8, WEBJS, latency ×1\)/);
      const all = await fetch(`${url}/api/sessions?all=true`, { headers: { 'x-api-key': 'k1' } });
      assert.deepEqual(((await all.json()) as { name: string }[]).map((info) => info.name), ['default'], 'single-session WAHA has default from the start');
      assert.equal((await fetch(`${url}/api/sessions`)).status, 401);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });

  it('refuses an unknown --profile with the list of names', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--profile', 'plus-2030'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 2);
    assert.match(err, /unknown profile 'plus-2030'; one of: core-2026, core-2025, core-2024, webjs, gows, fast/);
  });
});
