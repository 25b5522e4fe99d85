// Issue 11 item 4: a WAHA that sends its headers at once and then trickles its listing
// must not stall the watcher: the listing times out, is counted once, and its connection
// is closed — whichever deadline comes first, the client's or the watcher's.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { createMetrics, watchSessions, type SessionWatcher } from '../src/index.js';
import { closeServer, until } from './helpers.js';

let server: Server | undefined;
let watcher: SessionWatcher | undefined;
afterEach(async () => {
  watcher?.stop();
  watcher = undefined;
  await closeServer(server);
  server = undefined;
});

/** A WAHA whose listing answers 200 at once, then one byte every 20 ms, forever; `closed` resolves with the time its connection ends. */
async function tricklingWaha(): Promise<{ url: string; requests: () => number; closed: Promise<number> }> {
  let requests = 0;
  let closedAt: (at: number) => void = () => {};
  const closed = new Promise<number>((resolve) => (closedAt = resolve));
  server = createServer((req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('[');
    const timer = setInterval(() => res.write(' '), 20);
    res.on('close', () => {
      clearInterval(timer);
      closedAt(Date.now());
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests, closed };
}

// A bound per test: were the connection never closed, `await waha.closed` would wait
// forever on a server that keeps trickling, and the run would hang instead of failing.
const BOUNDED = { timeout: 10_000 };

describe('watcher: a WAHA that trickles its listing', () => {
  it("the client's deadline (headers and body) ends it: one timeout counted, the connection closed", BOUNDED, async () => {
    const waha = await tricklingWaha();
    const metrics = createMetrics();
    const started = Date.now();
    watcher = watchSessions({ waha: { url: waha.url, timeoutMs: 150, retry: { attempts: 1 } }, listTimeoutMs: 5000, intervalMs: 60_000, metrics });
    await until('one check error', () => watcher!.counters().checkErrors === 1, { timeoutMs: 3000 });
    assert.ok((await waha.closed) - started < 1000, 'closed at the deadline, not when the body ends');
    assert.equal(watcher.counters().checkTimeouts, 1);
    assert.equal(metrics.snapshot().wahaErrors.timeout, 1);
  });

  it("the watcher's deadline ends it first: the listing is cancelled, and counted once, not again when the client's own deadline passes", BOUNDED, async () => {
    const waha = await tricklingWaha();
    const metrics = createMetrics();
    const started = Date.now();
    watcher = watchSessions({ waha: { url: waha.url, timeoutMs: 1500, retry: { attempts: 3, baseDelayMs: 10 } }, listTimeoutMs: 200, intervalMs: 60_000, metrics });
    await until('one check timeout', () => watcher!.counters().checkTimeouts === 1, { timeoutMs: 3000 });
    assert.ok((await waha.closed) - started < 1000, "cancelled at the watcher's deadline");
    // Past the client's own deadline: nothing more counted, no retry sent.
    await new Promise((resolve) => setTimeout(resolve, 1700 - (Date.now() - started)));
    assert.equal(metrics.snapshot().wahaErrors.timeout, 1);
    assert.equal(watcher.counters().checkErrors, 1);
    assert.equal(waha.requests(), 1);
  });
});
