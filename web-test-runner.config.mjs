// Browser tests: real headless Chromium (Debian's /usr/bin/chromium), never a downloaded browser.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { prebundlePlugin } from './scripts/wtr-prebundle.mjs';

const executablePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';

export default {
  files: ['packages/*/test/**/*.browser.test.ts', 'examples/**/*.browser.test.ts'],
  nodeResolve: { exportConditions: ['source', 'browser', 'development'] },
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  testsFinishTimeout: 300000,
  browserStartTimeout: 60000,
  plugins: [
    // qrcode and sinon's helpers are CommonJS: serve each as one esbuild-made ESM bundle.
    prebundlePlugin(['qrcode', '@sinonjs/fake-timers']),
    esbuildPlugin({ ts: true, tsconfig: new URL('./tsconfig.base.json', import.meta.url).pathname, target: 'es2022' }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: [
          '--no-sandbox',
          '--headless=new',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--disable-quic',
        ],
      },
    }),
  ],
};
