// Streams memory: what open SSE streams cost the server process. The session handler
// (Node adapter, 127.0.0.1) runs here alone; the WAHA simulator and the stream clients
// run in bench/lib/stream-clients.ts. Two scenarios:
//   - 1,000 open streams, idle (heartbeats only): 50 organizations with 20 each, the
//     default cap per organization (so the figure is the streams' cost, not the sessions');
//   - 10 paused readers (clients that stopped reading) while their organizations'
//     answers keep coming: the server drops them past `maxQueuedBytes` instead of
//     buffering what they do not read.
// Memory is sampled after a forced GC (the orchestrator runs Node with --expose-gc).
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryBus, createSessionHandler, type LogRecord } from '@whatsapp-connector/server';
import { toNodeHandler } from '@whatsapp-connector/server/node';
import { emit, measured, progress, type Figure } from './lib/figure.js';
import type { ClientsCommand, ClientsMessage } from './lib/stream-clients.js';

const API_KEY = 'bench-streams-key'; // the simulator's, in bench/lib/stream-clients.ts

const GROUP = 'server: SSE streams memory (loopback)';
const STREAMS = 1000;
const ORGS = 50; // × 20 streams: the default cap per organization
const PAUSED = 10;
const ANSWER_BYTES = 16 * 1024;
const ANSWERS_PER_PAUSED = 640; // 10 MB per paused reader, more than a paused socket's kernel buffers

const started = Date.now();
function memory() {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heap: heapUsed + external + arrayBuffers };
}
type Memory = ReturnType<typeof memory>;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const clients = fork(new URL('./lib/stream-clients.ts', import.meta.url), {
  execArgv: ['--conditions=source', '--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
async function ask(command: ClientsCommand | null): Promise<ClientsMessage> {
  const reply = once(clients, 'message') as Promise<[ClientsMessage]>;
  if (command) clients.send(command);
  const [message] = await reply;
  if (message.type === 'error') throw new Error(message.message);
  return message;
}

const sim = await ask(null);
if (sim.type !== 'sim') throw new Error('the clients process did not start its simulator');

const logs: LogRecord[] = [];
const bus = createMemoryBus();
const handler = createSessionHandler({
  getOrganizationId: (request) => request.headers.get('x-org'),
  waha: { url: sim.url, apiKey: API_KEY, retry: { attempts: 1 } },
  stream: { refreshMs: 0 },
  bus,
  logger: (record) => {
    if (record.event === 'stream.dropped') logs.push(record);
  },
});
const server = createServer(toNodeHandler(handler));
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const streamUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/whatsapp/session/stream`;

const figures: Figure[] = [];
const details: Record<string, unknown> = {};
const idle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 500));

// Warm up the handler's code paths, so that the baseline includes them.
await ask({ cmd: 'open', url: streamUrl, orgs: ['warmup'] });
await ask({ cmd: 'closeAll' });
await idle();
const baseline: Memory = memory();

progress(`opening ${STREAMS} streams (${Date.now() - started} ms)`);
const opened = await ask({ cmd: 'open', url: streamUrl, orgs: Array.from({ length: STREAMS }, (_, i) => `org-${i % ORGS}`) });
if (opened.type !== 'opened' || opened.open !== STREAMS) throw new Error(`opened ${JSON.stringify(opened)}`);
await idle();
const withStreams = memory();
const perStream = (withStreams.heap - baseline.heap) / STREAMS;
figures.push(
  measured({ id: 'streams.open1000.heap', group: GROUP, label: `JS heap + buffers with ${STREAMS} open streams of ${ORGS} organizations (over the baseline)`, value: Math.round(withStreams.heap - baseline.heap), unit: 'bytes', display: `${mb(withStreams.heap - baseline.heap)} (${kb(perStream)} per stream)`, target: null }),
  measured({ id: 'streams.open1000.rss', group: GROUP, label: `RSS with ${STREAMS} open streams (over the baseline)`, value: Math.round(withStreams.rss - baseline.rss), unit: 'bytes', display: mb(withStreams.rss - baseline.rss), target: null }),
);
details.open1000 = { baseline, withStreams, openStreams: handler.openStreams() };

progress(`closing them (${Date.now() - started} ms)`);
await ask({ cmd: 'closeAll' });
while (handler.openStreams() > 0) await idle();
await idle();
const afterClose = memory();
figures.push(
  measured({ id: 'streams.closed.heap', group: GROUP, label: 'JS heap + buffers after they closed (over the baseline)', value: Math.round(afterClose.heap - baseline.heap), unit: 'bytes', display: mb(afterClose.heap - baseline.heap), target: null }),
);

progress(`${PAUSED} paused readers, ${ANSWERS_PER_PAUSED} answers of ${ANSWER_BYTES / 1024} KB each to their organizations`);
const pausedOrgs = Array.from({ length: PAUSED }, (_, i) => `paused-${i}`);
await ask({ cmd: 'open', url: streamUrl, orgs: pausedOrgs });
await ask({ cmd: 'pause' });
await idle();
const beforePublish = memory();
let peak = beforePublish.heap;
for (let n = 0; n < ANSWERS_PER_PAUSED; n++) {
  for (const org of pausedOrgs) {
    await bus.publish(org, { status: 'SCAN_QR', sessionName: `wac_${org}`, connected: false, qr: `${n}:${'q'.repeat(ANSWER_BYTES)}` });
  }
  await new Promise((resolve) => setImmediate(resolve)); // the sockets move between answers
  if (n % 20 === 0) peak = Math.max(peak, memory().heap);
}
await idle();
const afterPublish = memory();
const published = PAUSED * ANSWERS_PER_PAUSED * ANSWER_BYTES;
figures.push(
  measured({ id: 'streams.paused10.peak', group: GROUP, label: `JS heap + buffers, peak while ${mb(published)} went to ${PAUSED} paused readers (over before)`, value: Math.round(peak - beforePublish.heap), unit: 'bytes', display: mb(peak - beforePublish.heap), target: null }),
  measured({ id: 'streams.paused10.after', group: GROUP, label: 'JS heap + buffers once they were dropped (over before)', value: Math.round(afterPublish.heap - beforePublish.heap), unit: 'bytes', display: mb(afterPublish.heap - beforePublish.heap), target: null }),
  measured({ id: 'streams.paused10.dropped', group: GROUP, label: `paused readers dropped (bound: maxQueuedBytes, 64 KiB)`, value: logs.length, unit: 'streams', display: `${logs.length} of ${PAUSED}`, target: null }),
);
details.paused10 = { beforePublish, peak, afterPublish, published, dropped: logs.length, queuedAtDrop: logs.map((record) => record.queuedBytes) };

await ask({ cmd: 'closeAll' });
clients.send({ cmd: 'exit' } satisfies ClientsCommand);
handler.close();
server.closeAllConnections();
server.close();
emit({ name: 'streams-memory', figures, details });
process.exit(0);
