// The hand-written backend printed in docs/session-api.md must pass the kit: the
// test extracts that code block, runs it as its own Node process against the WAHA
// simulator, and checks it, destructive checks included.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWahaSimulator, type WahaSimulator } from '@whatsapp-connector/waha-simulator';
import { runConformance } from '../src/index.js';
import { expectOutcome, failures } from './helpers.js';

const GUIDE = new URL('../../../docs/session-api.md', import.meta.url);
const MARKER = '// minimal-backend.mjs';

/** The ```js block of the guide that starts with the marker line. */
function exampleSource(): string {
  const blocks = [...readFileSync(GUIDE, 'utf8').matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1]!);
  const example = blocks.find((block) => block.startsWith(MARKER));
  assert.ok(example, `docs/session-api.md has a js block starting with ${MARKER}`);
  return example;
}

describe('the minimal backend of docs/session-api.md', () => {
  let simulator: WahaSimulator;
  let child: ChildProcess | undefined;
  let dir: string;
  let url: string;

  before(async () => {
    simulator = createWahaSimulator({ profile: 'fast', timings: { startingMs: 30 } });
    const wahaUrl = await simulator.listen(0, '127.0.0.1');
    dir = mkdtempSync(join(tmpdir(), 'wac-docs-example-'));
    const file = join(dir, 'minimal-backend.mjs');
    writeFileSync(file, exampleSource());
    const started = spawn(process.execPath, [file], {
      env: { ...process.env, NODE_OPTIONS: '', PORT: '0', WAHA_API_URL: wahaUrl, WAHA_API_KEY: simulator.apiKey ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    url = await new Promise<string>((resolve, reject) => {
      let output = '';
      started.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (\S+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      started.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      started.on('exit', (code) => reject(new Error(`the example exited (${code}): ${output}`)));
    });
    // Bounded: an example that never says it listens fails the suite (after() ends it) instead of hanging the run.
  }, { timeout: 30_000 });

  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill();
      await exited;
    }
    await simulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes the whole kit, destructive checks included', async () => {
    const report = await runConformance({
      url,
      headers: { authorization: 'Bearer dev-token' },
      destructive: true,
      settleMs: 10_000,
      pollIntervalMs: 20,
      timeoutMs: 10_000,
    });
    assert.equal(report.failed, 0, failures(report));
    expectOutcome(report, 'get.qr-when-scan', 'pass');
    expectOutcome(report, 'auth.401', 'pass');
    expectOutcome(report, 'post.change-number', 'pass');
    expectOutcome(report, 'post.request-code', 'skip', /not offered/);
  });

  it('reports the linked phone while WORKING and leaves it alone on reconnect', async () => {
    for (let attempt = 0; attempt < 250 && simulator.getSession('eagles_42')?.status !== 'SCAN_QR_CODE'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    simulator.scan('eagles_42', { phone: '5215512345678', pushName: 'Ana' });
    const report = await runConformance({
      url,
      headers: { authorization: 'Bearer dev-token' },
      destructive: true,
      include: ['get', 'post.reconnect-leaves-healthy', 'post.logout'],
      settleMs: 10_000,
      pollIntervalMs: 20,
    });
    assert.equal(report.failed, 0, failures(report));
    expectOutcome(report, 'get.me-when-working', 'pass', /5215512345678@c\.us/);
    expectOutcome(report, 'post.reconnect-leaves-healthy', 'pass', /WORKING kept/);
    expectOutcome(report, 'post.logout', 'pass');
  });

  it('reconnects with the least destructive step: a STOPPED phone is started and a FAILED one restarted, still linked, never deleted', async () => {
    const post = async () =>
      (await fetch(url, { method: 'POST', headers: { authorization: 'Bearer dev-token', 'content-type': 'application/json' }, body: '{"action":"reconnect"}' })).status;
    const linkedAgain = async (): Promise<void> => {
      for (let attempt = 0; attempt < 250 && simulator.getSession('eagles_42')?.status !== 'WORKING'; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(simulator.getSession('eagles_42')?.status, 'WORKING');
      assert.equal(simulator.getSession('eagles_42')?.linked, true);
    };
    for (let attempt = 0; attempt < 250 && simulator.getSession('eagles_42')?.status !== 'SCAN_QR_CODE'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    simulator.scan('eagles_42', { phone: '5215512345678' });
    simulator.clearRequestLog();

    simulator.stopSession('eagles_42');
    assert.equal(await post(), 200);
    await linkedAgain();
    simulator.fail('eagles_42');
    assert.equal(await post(), 200);
    await linkedAgain();
    const calls = simulator.requestLog().map((entry) => `${entry.method} ${entry.path}`);
    assert.ok(calls.includes('POST /api/sessions/eagles_42/start') && calls.includes('POST /api/sessions/eagles_42/restart'), calls.join(', '));
    assert.ok(!calls.some((call) => call.startsWith('DELETE')), `never deleted: ${calls.join(', ')}`);
  });
});
