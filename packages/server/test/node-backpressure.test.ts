import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { createMemoryBus, createSessionHandler, type LogRecord, type SessionHandler } from '../src/index.js';
import { toNodeHandler, writeFetchResponse } from '../src/node.js';
import { API_KEY, closeServer, harness, until, type Harness } from './helpers.js';

let server: Server | undefined;
let h: Harness | undefined;
let handler: SessionHandler | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  handler?.close();
  handler = undefined;
  await closeServer(server);
  server = undefined;
  await h?.close();
  h = undefined;
});

async function listen(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  server = createServer(listener);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return address.port;
}

/** A raw client: sends `GET path`, resolves once the response headers arrived; then the test may pause it. */
async function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ socket: Socket; received: () => number }> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let bytes = 0;
  let head = '';
  const headersDone = new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (!head.includes('\r\n\r\n')) {
        head += chunk.toString('latin1');
        if (head.includes('\r\n\r\n')) resolve();
      }
    });
  });
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}\r\n`);
  await headersDone;
  return { socket, received: () => bytes };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `value()` has not changed for `quietMs`, or passes `limit` (then returns at once). */
async function settle(value: () => number, limit: number, quietMs = 300): Promise<number> {
  let last = value();
  let since = Date.now();
  while (Date.now() - since < quietMs && last <= limit) {
    await sleep(20);
    if (value() !== last) {
      last = value();
      since = Date.now();
    }
  }
  return last;
}

describe('writeFetchResponse: backpressure', () => {
  it('stops reading the body while the socket is full, then resumes on drain', async () => {
    const CHUNK = 64 * 1024;
    const CHUNKS = 400; // 25 MB: several times what a paused socket's kernel buffers take (~4 MB here)
    let pulled = 0;
    const port = await listen((_req, res) => {
      const body = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (pulled === CHUNKS) return controller.close();
            pulled++;
            controller.enqueue(new Uint8Array(CHUNK).fill(0x61));
          },
        },
        { highWaterMark: 0 },
      );
      void writeFetchResponse(new Response(body, { headers: { 'content-type': 'application/octet-stream' } }), res);
    });
    const { socket, received } = await rawGet(port, '/');
    socket.pause();
    const stalled = await settle(() => pulled, CHUNKS - 1);
    assert.ok(stalled < CHUNKS / 2, `the adapter stopped pulling after ${stalled} of ${CHUNKS} chunks`);
    socket.resume();
    while (pulled < CHUNKS || received() < CHUNKS * CHUNK) await sleep(10);
    assert.ok(received() >= CHUNKS * CHUNK, 'everything arrives once the reader reads');
  });

  it('destroys the connection when the body fails midway (a cut answer must not look complete)', async () => {
    const port = await listen((_req, res) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('partial'));
          setTimeout(() => controller.error(new Error('producer failed')), 20);
        },
      });
      void writeFetchResponse(new Response(body), res);
    });
    const response = await new Promise<IncomingMessage>((resolve) => get(`http://127.0.0.1:${port}/`, resolve));
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    const outcome = await new Promise<string>((resolve) => {
      response.on('end', () => resolve('end'));
      response.on('error', () => resolve('error'));
      response.on('aborted', () => resolve('error'));
    });
    assert.equal(text, 'partial');
    assert.equal(outcome, 'error');
    assert.equal(response.complete, false);
  });
});

describe('SSE over node:http with a paused reader', () => {
  it('drops the paused reader instead of queuing megabytes for it; a reading one stays', async () => {
    h = await harness();
    const logs: LogRecord[] = [];
    const bus = createMemoryBus();
    handler = createSessionHandler({
      getOrganizationId: (request) => request.headers.get('x-org'),
      waha: { url: h.wahaUrl, apiKey: API_KEY, retry: { attempts: 1 } },
      sessionPrefix: 'eagles',
      stream: { refreshMs: 0, maxQueuedBytes: 64 * 1024 },
      bus,
      logger: (record) => logs.push(record),
    });
    const node = toNodeHandler(handler);
    let maxBuffered = 0;
    const port = await listen((req, res) => {
      const write = res.write.bind(res) as (chunk: Uint8Array) => boolean;
      res.write = ((chunk: Uint8Array) => {
        const ok = write(chunk);
        maxBuffered = Math.max(maxBuffered, res.writableLength);
        return ok;
      }) as typeof res.write;
      node(req, res);
    });
    const paused = await rawGet(port, '/api/whatsapp/session/stream', { 'x-org': '1' });
    const reading = await rawGet(port, '/api/whatsapp/session/stream', { 'x-org': '1' });
    await until('both streams open', () => handler!.openStreams() === 2, { timeoutMs: 10_000, intervalMs: 0 });
    paused.socket.pause();

    const answerBytes = 16 * 1024;
    let published = 0;
    // Up to 40 MB of answers, one per event-loop turn (the sockets move between them):
    // more than the socket buffers, far more than the bound.
    while (published < 2_500 && logs.every((record) => record.event !== 'stream.dropped')) {
      await bus.publish('1', { status: 'SCAN_QR', sessionName: 'eagles_1', connected: false, qr: `${published}:${'q'.repeat(answerBytes)}` });
      published++;
      await turn();
    }
    const dropped = logs.find((record) => record.event === 'stream.dropped');
    assert.ok(dropped, `the paused reader was dropped (after ${published} answers)`);
    assert.ok(published * answerBytes < 32 * 1024 * 1024, `dropped after ${published} answers`);
    assert.ok(maxBuffered <= 64 * 1024 + 2 * answerBytes, `Node buffered at most ${maxBuffered} bytes for one reader`);
    await until('the paused stream closed', () => handler!.openStreams() === 1, { timeoutMs: 10_000, intervalMs: 0 });
    await settle(reading.received, Number.POSITIVE_INFINITY, 100);
    assert.ok(reading.received() > published * answerBytes * 0.9, 'the reading client got the answers');
    // The dropped one sees its connection end once it reads again, and may reconnect.
    const ended = once(paused.socket, 'close');
    paused.socket.resume();
    await ended;
  });
});
