/**
 * Runs the simulator from the command line:
 * `node --import tsx packages/waha-simulator/src/cli.ts --port 3001 [--host 127.0.0.1] [--api-key KEY | --no-auth]
 *  [--webhook URL] [--engine NOWEB] [--starting-ms 2000] [--first-qr-ms 60000] [--next-qr-ms 20000] [--max-qrs 6]
 *  [--latency-ms 0] [--error-rate 0]`
 * Prints the base URL and the API key; stops on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { createWahaSimulator } from './simulator.js';
import type { SimulatorOptions, WahaEngine } from './types.js';

const { values } = parseArgs({
  options: {
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
  process.stdout.write(
    'waha-simulator --port 3001 [--host 127.0.0.1] [--api-key KEY | --no-auth] [--webhook URL] [--engine NOWEB|WEBJS|GOWS]\n' +
      '  [--starting-ms N] [--first-qr-ms N] [--next-qr-ms N] [--max-qrs N] [--latency-ms N] [--error-rate 0..1]\n',
  );
  process.exit(0);
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
  latencyMs: number(values['latency-ms']),
  errorRate: number(values['error-rate']),
};
if (values.webhook) options.webhookUrl = values.webhook;
if (engine === 'NOWEB' || engine === 'WEBJS' || engine === 'GOWS') options.engine = engine satisfies WahaEngine;

const simulator = createWahaSimulator(options);
const url = await simulator.listen(Number(values.port), values.host);
process.stdout.write(`WAHA simulator listening on ${url}\n`);
process.stdout.write(simulator.apiKey === null ? 'API key: none (auth off)\n' : `API key: ${simulator.apiKey}\n`);
process.stdout.write(`Control API: ${url}/__simulator/sessions\n`);

const stop = () => {
  void simulator.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
