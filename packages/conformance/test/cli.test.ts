// The command as a user runs it: a real child process on the TypeScript sources.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { breaking, goodBackend, json, startBackend, WORKING_SESSION, type RunningBackend } from './fixtures/backend.js';
import { parseCliArgs } from '../src/cli-args.js';
import { runCli } from '../src/cli-main.js';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node --import tsx src/cli.ts …`. Without `withSourceCondition` this is the
 * documented command, and the CLI restarts itself with the condition (a second
 * process); with it, one process is enough.
 */
function cli(args: string[], withSourceCondition = true): Promise<Outcome> {
  const nodeArgs = [...(withSourceCondition ? ['--conditions=source'] : []), '--import', 'tsx', 'src/cli.ts'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, ...args], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('whatsapp-connector-conformance', () => {
  let good: RunningBackend;
  let broken: RunningBackend;
  before(async () => {
    good = await startBackend(goodBackend({ session: WORKING_SESSION, token: 's3cret' }));
    broken = await startBackend(
      breaking(goodBackend(), (request) =>
        request.method === 'GET' ? json(200, { status: 'CONNECTED', sessionName: 'eagles_42', connected: true }) : undefined,
      ),
    );
  });
  after(async () => {
    await Promise.all([good.close(), broken.close()]);
  });

  it('prints an aligned table and the summary, and exits 0 when nothing fails', async () => {
    const { code, stdout, stderr } = await cli([good.url, '--header', 'Authorization: Bearer s3cret', '--destructive', '--settle', '5000'], false);
    assert.equal(stderr, '');
    assert.equal(code, 0, stdout);
    const rows = stdout.split('\n').filter((line) => /^(PASS|FAIL|SKIP) /.test(line));
    assert.ok(rows.length >= 15, stdout);
    // Aligned: every title starts in the same column.
    const titleColumns = new Set(rows.map((row) => /^\S+ {2}\S+ +/.exec(row)?.[0].length));
    assert.equal(titleColumns.size, 1, stdout);
    assert.match(stdout, /^PASS {2}auth\.401 +GET without credentials answers 401 unauthorized$/m);
    assert.match(stdout, /\n\d+ passed, 0 failed, \d+ skipped\n$/);
  });

  it('exits 1 and shows the failing check with its reason', async () => {
    const { code, stdout } = await cli([broken.url, '--include', 'get']);
    assert.equal(code, 1);
    assert.match(stdout, /^FAIL {2}get\.status-known +.*"CONNECTED" is not one of/m);
    assert.match(stdout, /^PASS {2}get\.shape/m);
    assert.match(stdout, /\n\d+ passed, 1 failed, \d+ skipped\n$/);
  });

  it('exits 2 with the usage when the URL is missing', async () => {
    const missing = await cli([]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /the endpoint URL is missing[\s\S]*Usage: whatsapp-connector-conformance <url>/);
  });
});

describe('runCli (in process)', () => {
  let broken: RunningBackend;
  before(async () => {
    broken = await startBackend(
      breaking(goodBackend(), (request) =>
        request.method === 'GET' ? json(200, { status: 'CONNECTED', sessionName: 'eagles_42', connected: true }) : undefined,
      ),
    );
  });
  after(() => broken.close());

  async function runInProcess(...args: string[]): Promise<Outcome> {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
    return { code, stdout, stderr };
  }

  it('prints the report as JSON with --json', async () => {
    const { code, stdout } = await runInProcess(broken.url, '--include', 'get.status-known', '--json');
    assert.equal(code, 1);
    const report = JSON.parse(stdout) as { failed: number; results: { id: string; outcome: string }[] };
    assert.equal(report.failed, 1);
    assert.deepEqual(report.results.map((entry) => [entry.id, entry.outcome]), [['get.status-known', 'fail']]);
  });

  it('exits 2 on an --include typo and 0 on --help', async () => {
    const typo = await runInProcess(broken.url, '--include', 'get.shap');
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /"get.shap" selects no check/);
    const help = await runInProcess('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--destructive/);
  });
});

describe('parseCliArgs', () => {
  it('reads repeated headers, flags and numbers', () => {
    assert.deepEqual(
      parseCliArgs(['http://x.test/s', '-H', 'Cookie: sid=1; theme=dark', '--header', 'X-Org:  7', '--destructive', '--timeout', '500', '--include', 'get', '--include', 'post.logout']),
      {
        kind: 'run',
        json: false,
        options: {
          url: 'http://x.test/s',
          headers: { Cookie: 'sid=1; theme=dark', 'X-Org': '7' },
          destructive: true,
          include: ['get', 'post.logout'],
          timeoutMs: 500,
        },
      },
    );
  });

  it('refuses malformed input', () => {
    assert.throws(() => parseCliArgs(['http://x.test/s', '--header', 'no colon']), /--header expects "Name: value"/);
    assert.throws(() => parseCliArgs(['http://x.test/s', '--timeout', 'soon']), /--timeout expects a positive number/);
    assert.throws(() => parseCliArgs(['x.test/s']), /absolute http\(s\) URL/);
    assert.throws(() => parseCliArgs(['http://x.test/s', '--frobnicate']), /Unknown option/);
    assert.throws(() => parseCliArgs(['http://x.test/s', '--phone', '+52 55']), /--phone expects 8 to 15 digits/);
  });
});
