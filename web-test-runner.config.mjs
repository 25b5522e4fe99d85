// Browser tests: real headless Chromium (Debian's /usr/bin/chromium), never a downloaded browser.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { prebundlePlugin } from './scripts/wtr-prebundle.mjs';

/**
 * NodeNext imports name the emitted `.js` file; esbuildPlugin maps `./x.js` to an
 * existing `./x.ts`, and this does the same for `./x.tsx` (React components).
 */
function tsxImports() {
  return {
    name: 'wac-tsx-imports',
    resolveImport({ source, context }) {
      if (!source.startsWith('.') || !source.endsWith('.js')) return undefined;
      const importer = fileURLToPath(new URL(`.${context.path}`, `file://${process.cwd()}/`));
      const tsx = fileURLToPath(new URL(`${source.slice(0, -3)}.tsx`, `file://${importer}`));
      return existsSync(tsx) ? `${source.slice(0, -3)}.tsx` : undefined;
    },
  };
}

const executablePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';

export default {
  files: ['packages/*/test/**/*.browser.test.ts', 'packages/*/test/**/*.browser.test.tsx', 'examples/**/*.browser.test.ts', 'examples/**/*.browser.test.tsx'],
  nodeResolve: { exportConditions: ['source', 'browser', 'development'] },
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  testsFinishTimeout: 300000,
  browserStartTimeout: 60000,
  plugins: [
    // CommonJS packages (qrcode, sinon's timers, React) are served as esbuild-made ESM
    // bundles with named exports; Vue as its self-contained browser build.
    prebundlePlugin(['qrcode', '@sinonjs/fake-timers', 'react', 'react-dom'], {
      esm: { vue: 'vue/dist/vue.esm-browser.js' },
    }),
    tsxImports(),
    esbuildPlugin({ ts: true, tsconfig: new URL('./tsconfig.base.json', import.meta.url).pathname, target: 'es2022' }),
    // TSX (React examples) with the automatic JSX runtime, as the root tsconfig.json says (`"jsx": "react-jsx"`).
    esbuildPlugin({ tsx: true, tsconfig: new URL('./tsconfig.json', import.meta.url).pathname }),
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
