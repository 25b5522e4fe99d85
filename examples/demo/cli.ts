/**
 * `npm start`: runs the demo until Ctrl-C.
 * Listens on 127.0.0.1 only (the simulator's control routes are open by design).
 * Arguments: `--profile NAME` (which WAHA the simulator imitates; default `core-2026`, WAHA's
 * real latencies; see the simulator's README), e.g. `npm start -- --profile webjs`.
 * Environment: `PORT` (default 3000), `WAHA_SIM_PROFILE` (same as `--profile`),
 * `WAHA_API_URL` + `WAHA_API_KEY` (a real WAHA instead of the simulator),
 * `DATABASE_URL` (the backend on PostgreSQL instead of memory; see postgres.ts),
 * `DEMO_QUIET=1` (no backend log lines).
 */
import { parseArgs } from 'node:util';
import { SIMULATOR_PROFILE_NAMES, isProfileName } from '@whatsapp-connector/waha-simulator';
import type { DemoPostgres } from './postgres.js';
import { startDemo, type DemoOptions } from './server.js';

const env = process.env;
const args = parseArgs({ options: { profile: { type: 'string' } } }).values;
const profile = args.profile ?? env['WAHA_SIM_PROFILE'] ?? '';
if (profile !== '' && !isProfileName(profile)) {
  console.error(`Unknown simulator profile "${profile}". One of: ${SIMULATOR_PROFILE_NAMES.join(', ')}.`);
  process.exit(2);
}
const port = env['PORT'] === undefined || env['PORT'] === '' ? 3000 : Number(env['PORT']);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got "${env['PORT']}".`);
  process.exit(2);
}

const options: DemoOptions = { port, host: '127.0.0.1' };
if (isProfileName(profile)) options.simulatorProfile = profile;
const wahaUrl = env['WAHA_API_URL'];
if (wahaUrl) {
  options.wahaUrl = wahaUrl;
  if (env['WAHA_API_KEY']) options.wahaApiKey = env['WAHA_API_KEY'];
  else console.warn('WAHA_API_URL is set without WAHA_API_KEY: calling WAHA without a key.');
}
if (env['DEMO_QUIET'] !== '1') options.log = (line) => console.log(`  ${line}`);

let postgres: DemoPostgres | null = null;
let demo: Awaited<ReturnType<typeof startDemo>>;
try {
  const databaseUrl = env['DATABASE_URL'];
  if (databaseUrl) {
    // Loaded only then: the memory demo needs no database driver.
    const { connectDemoPostgres } = await import('./postgres.js');
    postgres = await connectDemoPostgres(databaseUrl);
    options.shared = postgres.shared;
  }
  demo = await startDemo(options);
} catch (error) {
  await postgres?.close().catch(() => {});
  const code = (error as { code?: unknown }).code;
  console.error(
    code === 'EADDRINUSE'
      ? `Port ${port} is taken. Try: PORT=3001 npm start`
      : `The demo could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}

const target = demo.mode === 'simulator' ? 'simulator' : `WAHA at ${new URL(wahaUrl!).origin}`;
console.log(`Bundled the page in ${Math.round(demo.bundleMs)} ms.`);
console.log(`whatsapp-connector demo: ${demo.url} (${target})`);
console.log(
  postgres
    ? `Store: PostgreSQL at ${postgres.where} (tables at version ${postgres.migrated.to}${postgres.migrated.from === postgres.migrated.to ? '' : `, migrated from ${postgres.migrated.from}`}).`
    : 'Store: memory (set DATABASE_URL to run on PostgreSQL).',
);
if (demo.simulator) {
  const { profile, version, engine } = demo.simulator.settings();
  console.log(`Simulator profile: ${profile} (WAHA ${version}, ${engine}); others: npm start -- --profile <${SIMULATOR_PROFILE_NAMES.join('|')}>`);
}
console.log('Press Ctrl-C to stop.');

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the demo…`);
  // A second Ctrl-C or a stuck close must not keep the terminal hostage.
  const force = setTimeout(() => {
    console.error('Shutdown took too long; exiting.');
    process.exit(1);
  }, 5000);
  force.unref();
  await demo.close();
  await postgres?.close();
  console.log('Stopped.');
  process.exit(0);
}
// `on`, not `once`: a second signal (the terminal's and a forwarded one) must not kill a closing demo.
process.on('SIGINT', (signal) => void stop(signal));
process.on('SIGTERM', (signal) => void stop(signal));
