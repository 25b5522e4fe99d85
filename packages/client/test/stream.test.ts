import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DEFAULT_BACKOFF } from '../src/backoff.js';
import type { ParseResult } from '../src/contract/parse.js';
import { logParts } from '../src/log.js';
import { createStreamLink, type StreamLink } from '../src/stream.js';
import { FakeClock, FakeVisibility } from '../test-kit/index.js';
import { FakeEventSource } from '../test-kit/index.js';

let clock: FakeClock;
let visibility: FakeVisibility;
let link: StreamLink;
let messages: ParseResult[];
let openChanges: boolean[];
let logs: { level: string; event: string; fields?: Record<string, unknown> }[];
/** The `stream.failed` log records: how many failures so far and when the retry is. */
const errors = () =>
  logs.filter((r) => r.event === 'stream.failed').map((r) => ({ failures: r.fields?.failures, retryInMs: r.fields?.retryInMs }));

beforeEach(() => {
  FakeEventSource.reset();
  clock = new FakeClock(0);
  visibility = new FakeVisibility(true);
  messages = [];
  openChanges = [];
  logs = [];
  link = createStreamLink({
    EventSource: FakeEventSource,
    credentials: 'include',
    visibility,
    timers: clock,
    backoff: { ...DEFAULT_BACKOFF, jitter: 'none' },
    random: () => 0.5,
    onMessage: (result) => messages.push(result),
    onOpenChange: (open) => openChanges.push(open),
    trace: (name, ...data) => {
      const [level, event, fields] = logParts(name, data);
      logs.push({ level, event, fields });
    },
  });
});

afterEach(() => {
  link.close();
  assert.equal(clock.pending, 0);
  assert.equal(FakeEventSource.openInstances.length, 0);
  assert.equal(visibility.listenerCount, 0, 'close() stops watching the page');
});

describe('stream link', () => {
  it('opens the URL with credentials and reports open and messages, read as session answers', () => {
    link.connect('http://x.test/events');
    const source = FakeEventSource.last;
    assert.ok(source);
    assert.equal(source.url, 'http://x.test/events');
    assert.equal(source.withCredentials, true);
    assert.equal(link.open, false, 'not open before the open event');
    source.open();
    assert.equal(link.open, true);
    source.message('{"status":"WORKING"}');
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.ok && messages[0].answer.status, 'WORKING');
    assert.deepEqual(openChanges, [true]);
    assert.deepEqual(logs, [{ level: 'info', event: 'stream.opened', fields: undefined }]);
  });

  it('messages that are not JSON, or not session answers, arrive as invalid', () => {
    link.connect('http://x.test/events');
    FakeEventSource.last?.emit('message', 'not json');
    FakeEventSource.last?.emit('message', '{"nope":true}');
    FakeEventSource.last?.emit('message', { status: 'SCAN_QR_CODE' });
    assert.deepEqual(
      messages.map((m) => (m.ok ? m.answer.status : m.error.code)),
      ['invalid_response', 'invalid_response', 'SCAN_QR'],
    );
  });

  it('connecting to the same URL again does nothing; a new URL replaces the stream', () => {
    link.connect('http://x.test/a');
    link.connect('http://x.test/a');
    assert.equal(FakeEventSource.instances.length, 1);
    link.connect('http://x.test/b');
    assert.equal(FakeEventSource.instances.length, 2);
    assert.equal(FakeEventSource.instances[0]?.closed, true);
  });

  it('on error: closes, reports closed, reopens after an exponential delay; open resets it', async () => {
    link.connect('http://x.test/events');
    FakeEventSource.last?.open();
    FakeEventSource.last?.error();
    assert.equal(FakeEventSource.instances[0]?.closed, true);
    assert.deepEqual(openChanges, [true, false]);
    assert.deepEqual(errors(), [{ failures: 1, retryInMs: 2000 }]);
    assert.deepEqual(
      logs.map((r) => `${r.level} ${r.event}`),
      ['info stream.opened', 'info stream.closed', 'warn stream.failed'],
    );
    await clock.advance(1999);
    assert.equal(FakeEventSource.instances.length, 1);
    await clock.advance(1);
    assert.equal(FakeEventSource.instances.length, 2);
    FakeEventSource.last?.error();
    await clock.advance(4000);
    assert.equal(FakeEventSource.instances.length, 3);
    FakeEventSource.last?.open();
    FakeEventSource.last?.error();
    assert.deepEqual(errors().map((e) => e.retryInMs), [2000, 4000, 2000]);
  });

  it('events of a replaced source are ignored', () => {
    link.connect('http://x.test/a');
    const old = FakeEventSource.last;
    link.connect('http://x.test/b');
    old?.open();
    old?.message('x');
    old?.error();
    assert.deepEqual(messages, []);
    assert.deepEqual(openChanges, []);
    assert.equal(clock.pending, 0);
  });

  it('the page hidden closes the stream and remembers it; visible again reopens it', () => {
    link.connect('http://x.test/events');
    FakeEventSource.last?.open();
    visibility.set(false);
    assert.equal(FakeEventSource.openInstances.length, 0);
    assert.equal(link.open, false);
    link.connect('http://x.test/events');
    assert.equal(FakeEventSource.instances.length, 1, 'no reopen while hidden');
    visibility.set(true);
    assert.equal(FakeEventSource.instances.length, 2);
    assert.equal(FakeEventSource.last?.url, 'http://x.test/events');
  });

  it('connected while the page is hidden: opens only once it is visible', () => {
    visibility.set(false);
    link.connect('http://x.test/events');
    assert.equal(FakeEventSource.instances.length, 0);
    visibility.set(true);
    assert.equal(FakeEventSource.instances.length, 1);
  });

  it('the page hidden cancels a pending retry', async () => {
    link.connect('http://x.test/events');
    FakeEventSource.last?.error();
    visibility.set(false);
    assert.equal(clock.pending, 0);
    await clock.advance(100_000);
    assert.equal(FakeEventSource.instances.length, 1);
  });

  it('after close() the page visibility opens nothing', () => {
    link.connect('http://x.test/events');
    link.close();
    visibility.set(false);
    visibility.set(true);
    assert.equal(FakeEventSource.instances.length, 1);
  });

  it('a constructor that throws is a failure with a retry, not an exception', async () => {
    FakeEventSource.throwOnCreate = new Error('no EventSource');
    link.connect('http://x.test/events');
    assert.equal(errors().length, 1);
    FakeEventSource.throwOnCreate = null;
    await clock.advance(2000);
    assert.equal(FakeEventSource.instances.length, 1);
  });
});
