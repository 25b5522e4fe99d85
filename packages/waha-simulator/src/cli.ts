/**
 * Runs the simulator from the command line (the package's `waha-simulator` bin):
 * `waha-simulator [--profile core-2026] [--latency 1] --port 3001 [--host 127.0.0.1] [--api-key KEY | --no-auth]
 *  [--webhook URL] [--engine NOWEB] [--starting-ms 2000] [--first-qr-ms 60000] [--next-qr-ms 20000] [--max-qrs 6]
 *  [--latency-ms 0] [--error-rate 0]`
 * The profile can also come from `WAHA_SIM_PROFILE`. Prints the base URL, the profile and
 * the API key; stops on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { SIMULATOR_PROFILE_NAMES, SIMULATOR_PROFILES, isProfileName } from './profiles.js';
import { createWahaSimulator } from './simulator.js';
import type { SimulatorOptions, WahaEngine } from './types.js';

const USAGE =
  'waha-simulator [--profile NAME] [--latency FACTOR] --port 3001 [--host 127.0.0.1] [--api-key KEY | --no-auth] [--webhook URL]\n' +
  '  [--engine NOWEB|WEBJS|GOWS] [--starting-ms N] [--first-qr-ms N] [--next-qr-ms N] [--max-qrs N] [--latency-ms N] [--error-rate 0..1]\n' +
  `Profiles (or WAHA_SIM_PROFILE): ${SIMULATOR_PROFILE_NAMES.join(', ')} (default ${SIMULATOR_PROFILE_NAMES[0]}).\n`;

const { values } = parseArgs({
  options: {
    profile: { type: 'string' },
    latency: { type: 'string' },
    port: { type: 'string', default: '3001' },
    host: { type: 'string', default: '127.0.0.1' },
    'api-key': { type: 'string' },
    'no-auth': { type: 'boolean', default: false },
    webhook: { type: 'string' },
    engine: { type: 'string' },
    'starting-ms': { type: 'string' },
    'first-qr-ms': { type: 'string' },
    'next-qr-ms': { type: 'string' },
    'max-qrs': { type: 'string' },
    'latency-ms': { type: 'string' },
    'error-rate': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(USAGE);
  for (const name of SIMULATOR_PROFILE_NAMES) process.stdout.write(`  ${name}: ${SIMULATOR_PROFILES[name].description}\n`);
  process.exit(0);
}

const profile = values.profile ?? process.env['WAHA_SIM_PROFILE'] ?? undefined;
if (profile !== undefined && profile !== '' && !isProfileName(profile)) {
  process.stderr.write(`unknown profile '${profile}'; one of: ${SIMULATOR_PROFILE_NAMES.join(', ')}\n`);
  process.exit(2);
}

const number = (text: string | undefined): number | undefined => (text === undefined ? undefined : Number(text));
const engine = values.engine?.toUpperCase();
const options: SimulatorOptions = {
  apiKey: values['no-auth'] ? null : (values['api-key'] ?? undefined),
  timings: {
    startingMs: number(values['starting-ms']),
    firstQrMs: number(values['first-qr-ms']),
    nextQrMs: number(values['next-qr-ms']),
    maxQrs: number(values['max-qrs']),
  },
  latency: number(values.latency),
  latencyMs: number(values['latency-ms']),
  errorRate: number(values['error-rate']),
};
if (profile) options.profile = profile as SimulatorOptions['profile'];
if (values.webhook) options.webhookUrl = values.webhook;
if (engine === 'NOWEB' || engine === 'WEBJS' || engine === 'GOWS') options.engine = engine satisfies WahaEngine;

let simulator: ReturnType<typeof createWahaSimulator>;
try {
  simulator = createWahaSimulator(options);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
const url = await simulator.listen(Number(values.port), values.host);
const settings = simulator.settings();
process.stdout.write(`WAHA simulator listening on ${url}\n`);
process.stdout.write(`Profile: ${settings.profile} (WAHA ${settings.version}, ${settings.engine}, latency ×${settings.latency})\n`);
process.stdout.write(simulator.apiKey === null ? 'API key: none (auth off)\n' : `API key: ${simulator.apiKey}\n`);
process.stdout.write(`Control API: ${url}/__simulator/sessions\n`);

const stop = () => {
  void simulator.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
