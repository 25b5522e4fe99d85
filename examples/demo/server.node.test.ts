/**
 * The demo server without a browser: its routes and headers, the demo
 * authentication, and `npm start`'s clean stop on SIGINT / SIGTERM.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_ORG, demoOrganization, orgCookie, readCookie } from './demo-auth.js';
import { CONFIG_PATH, SESSION_ENDPOINT, startDemo, type DemoConfig, type RunningDemo } from './server.js';
import { endCli, startCli } from './start-cli.js';

describe('demo authentication', () => {
  test('reads the organization from its cookie, else the demo organization', () => {
    assert.equal(readCookie('a=1; wac_demo_org=acme; b=2', 'wac_demo_org'), 'acme');
    assert.equal(demoOrganization('wac_demo_org=acme'), 'acme');
    assert.equal(demoOrganization(undefined), DEFAULT_ORG);
    // Anything that could not name a WAHA session falls back instead of reaching WAHA.
    assert.equal(demoOrganization('wac_demo_org=..%2Fetc'), DEFAULT_ORG);
    assert.equal(demoOrganization(`wac_demo_org=${'x'.repeat(41)}`), DEFAULT_ORG);
    assert.match(orgCookie('acme'), /^wac_demo_org=acme; Path=\/; HttpOnly; SameSite=Strict$/);
  });
});

describe('demo server', () => {
  let demo: RunningDemo;

  before(async () => {
    demo = await startDemo({ port: 0, simulatorProfile: 'fast' });
  });

  after(async () => {
    await demo.close();
  });

  test('serves the page under a strict CSP, with its bundled script', async () => {
    const page = await fetch(`${demo.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /^default-src 'self';/);
    const html = await page.text();
    assert.ok(!/<script(?![^>]*\bsrc=)/i.test(html), 'no inline script');
    assert.ok(!/<style|\sstyle=/i.test(html), 'no inline style');
    const script = html.match(/<script type="module" src="([^"]+)"/)?.[1];
    assert.equal(script, '/assets/demo.js');
    const bundle = await fetch(`${demo.url}${script}`);
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(await bundle.text(), /whatsapp-connector/);
    assert.ok(demo.bundleMs > 0);
  });

  test('answers the config of the caller organization; ?org= sets the cookie', async () => {
    const config = (await (await fetch(`${demo.url}${CONFIG_PATH}`)).json()) as DemoConfig;
    assert.deepEqual(config, {
      mode: 'simulator',
      organization: 'demo',
      sessionName: 'wac_demo',
      simulatorControl: '/__simulator',
      wahaOrigin: null,
    });
    const chosen = await fetch(`${demo.url}/?org=acme`);
    assert.equal(chosen.headers.get('set-cookie'), orgCookie('acme'));
    const acme = (await (await fetch(`${demo.url}${CONFIG_PATH}`, { headers: { cookie: 'wac_demo_org=acme' } })).json()) as DemoConfig;
    assert.equal(acme.sessionName, 'wac_acme');
  });

  test('mounts the session endpoint over the simulator and the control routes', async () => {
    const answer = (await (await fetch(`${demo.url}${SESSION_ENDPOINT}`, { headers: { cookie: 'wac_demo_org=routes' } })).json()) as {
      status: string;
      sessionName: string;
      stream?: string;
    };
    assert.equal(answer.sessionName, 'wac_routes');
    assert.equal(answer.status, 'STARTING');
    assert.equal(answer.stream, `${SESSION_ENDPOINT}/stream`);
    const views = (await (await fetch(`${demo.url}/__simulator/sessions`)).json()) as { name: string }[];
    assert.ok(views.some((view) => view.name === 'wac_routes'));
    assert.equal(demo.simulator?.getSession('wac_routes')?.status, 'STARTING');
  });

  test('refuses unknown paths and other methods', async () => {
    assert.equal((await fetch(`${demo.url}/nope`)).status, 404);
    assert.equal((await fetch(`${demo.url}/../package.json`)).status, 404);
    const post = await fetch(`${demo.url}/`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
  });
});

describe('demo server on a single-session WAHA (--profile core-2024)', () => {
  test('the organization owns default, and the page is told so', async () => {
    const single = await startDemo({ port: 0, simulatorProfile: 'core-2024' });
    try {
      const answer = (await (await fetch(`${single.url}${SESSION_ENDPOINT}`)).json()) as { sessionName: string; status: string };
      assert.equal(answer.sessionName, 'default');
      assert.equal(answer.status, 'STARTING', 'WAHA\'s idle default is started for its owner');
      const config = (await (await fetch(`${single.url}${CONFIG_PATH}`)).json()) as DemoConfig;
      assert.equal(config.sessionName, 'default');
      const other = await fetch(`${single.url}${SESSION_ENDPOINT}`, { headers: { cookie: 'wac_demo_org=acme' } });
      assert.equal(other.status, 409);
    } finally {
      await single.close();
    }
  });
});

describe('npm start', { concurrency: true }, () => {
  function exitOf(child: ChildProcess): Promise<number | null> {
    return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  // SIGTERM's run also picks a simulator profile, as `npm start -- --profile webjs` does.
  for (const [signal, profile] of [['SIGINT', 'core-2026'], ['SIGTERM', 'webjs']] as const) {
    test(`prints its URL, serves, and exits 0 on ${signal} (simulator profile ${profile})`, async () => {
      const { child, output, url } = await startCli(signal === 'SIGTERM' ? ['--profile', profile] : []);
      try {
        assert.match(output(), /Bundled the page in \d+ ms\./);
        assert.equal(((await (await fetch(`${url}/__simulator/profile`)).json()) as { profile: string }).profile, profile);
        assert.match(output(), new RegExp(`Simulator profile: ${profile} `));
        assert.equal((await fetch(`${url}/demo/config`)).status, 200);
        const exited = exitOf(child);
        child.kill(signal);
        assert.equal(await exited, 0, output());
        assert.match(output(), /Stopped\./);
        await assert.rejects(fetch(`${url}/`), 'nothing listens any more');
      } finally {
        endCli(child);
      }
    });
  }
});
