// One server instance of the multi-instance end-to-end test, run as its own process:
// the session handler (stream + webhook), the watcher and the metrics endpoint, all on
// PostgreSQL through createPostgresDeployment. What a host application would deploy,
// minus its authentication: the organization comes from an `org` cookie.
//
// Environment: DATABASE_URL, WAHA_API_URL, WAHA_API_KEY, PORT, WEBHOOK_URL, WEBHOOK_TOKEN,
// INSTANCE_NAME, WATCH_INTERVAL_MS. Writes JSON lines on stdout: {"ready": url},
// {"alert": transition}, {"closed": true}.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { createMetricsHandler, createSessionHandler, watchSessions } from '../../../src/index.js';
import { toNodeHandler } from '../../../src/node.js';
import { createPostgresDeployment, migrate } from '../../../src/postgres/index.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const say = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
const name = env('INSTANCE_NAME');

const pool = new pg.Pool({ connectionString: env('DATABASE_URL'), max: 20, application_name: `wac-${name}` });
pool.on('error', () => {});
await migrate({ pool });
const shared = createPostgresDeployment({ pool, instanceName: name });
const { store, bus, lock, metrics, lease, healthStore } = shared;
const waha = { url: env('WAHA_API_URL'), apiKey: env('WAHA_API_KEY') };

const orgOf = (cookie: string | null): string | null => /(?:^|;\s*)org=([\w-]+)/.exec(cookie ?? '')?.[1] ?? null;
const handler = createSessionHandler({
  getOrganizationId: (request) => orgOf(request.headers.get('cookie')),
  store,
  bus,
  lock,
  metrics,
  waha,
  // No periodic re-read: what a stream shows arrived through the bus (or its resync).
  stream: { refreshMs: 0, heartbeatMs: 2_000 },
  webhook: { token: env('WEBHOOK_TOKEN'), url: env('WEBHOOK_URL') },
});
const watcher = watchSessions({
  waha,
  store,
  lease,
  healthStore,
  metrics,
  intervalMs: Number(process.env.WATCH_INTERVAL_MS ?? 500),
  onTransition: (transition) => say({ alert: transition }),
});
const serveMetrics = createMetricsHandler(metrics);
const session = toNodeHandler(handler);
const metricsNode = toNodeHandler(serveMetrics);

/** The page a browser opens: a plain EventSource on this instance's stream, every answer recorded. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>stream</title><script>
window.events = [];
const source = new EventSource('/api/whatsapp/session/stream');
source.onmessage = (event) => window.events.push({ at: Date.now(), answer: JSON.parse(event.data) });
source.onerror = () => window.events.push({ at: Date.now(), error: true });
</script>`;

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path.startsWith('/api/whatsapp/session')) return session(req, res);
  if (path === '/metrics') return metricsNode(req, res);
  if (path === '/login') {
    const org = new URL(req.url ?? '/', 'http://x').searchParams.get('org') ?? '';
    res.writeHead(302, { 'set-cookie': `org=${encodeURIComponent(org)}; Path=/`, location: '/' });
    return res.end();
  }
  if (path === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return res.end(PAGE);
  }
  res.writeHead(404).end();
});
await new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
say({ ready: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });

process.on('SIGTERM', async () => {
  watcher.stop();
  handler.close();
  server.closeAllConnections();
  server.close();
  await shared.close();
  await pool.end();
  say({ closed: true });
  process.exit(0);
});
