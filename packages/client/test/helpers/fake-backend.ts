import assert from 'node:assert/strict';
import { wire } from './answers.js';

/** One request the fake backend received. */
export interface RecordedRequest {
  /** The fake-clock time the request was sent at. */
  at: number;
  method: string;
  url: string;
  headers: Headers;
  body: unknown;
}

/** What the fake backend answers: a JSON body (status 200) or a full response. */
export type Reply =
  | { json: unknown; status?: number; headers?: Record<string, string> }
  | { text: string; status?: number; headers?: Record<string, string> }
  | { networkError: true }
  | { hang: true };

/**
 * A scripted backend behind an injected `fetch`: each request takes the next
 * queued reply (or the default), and every request is recorded. Hanging
 * replies settle only when the request is aborted.
 */
export class FakeBackend {
  readonly requests: RecordedRequest[] = [];

  /** @param clock Stamps each request with the (fake) time it was sent at. */
  constructor(private readonly clock: { now(): number } = { now: () => 0 }) {}

  private queue: Reply[] = [];
  private readonly waiting: { resolve: (reply: Reply) => void; request: RecordedRequest }[] = [];
  /** The reply used when the queue is empty. */
  defaultReply: Reply = { json: wire.scanQr() };
  /** When `true`, every reply waits until {@link release} is called. */
  holdReplies = false;

  /** Queues replies for the next requests. */
  reply(...replies: Reply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** Sets the default reply to a JSON body. */
  answer(json: unknown): this {
    this.defaultReply = { json };
    return this;
  }

  get gets(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'GET');
  }

  get posts(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST');
  }

  /** Requests whose reply is held (see {@link holdReplies}). */
  get held(): number {
    return this.waiting.length;
  }

  /** Releases the oldest held request with `reply` (default: its queued reply). */
  release(reply?: Reply): void {
    const next = this.waiting.shift();
    assert.ok(next, 'no held request to release');
    next.resolve(reply ?? this.queue.shift() ?? this.defaultReply);
  }

  /** Asserts that exactly `expected` POSTs were sent (the client never acts by itself). */
  assertPosts(expected: number): void {
    assert.equal(this.posts.length, expected, `expected ${expected} POST(s), got ${this.posts.length}: ${JSON.stringify(this.posts.map((p) => p.body))}`);
  }

  readonly fetch: typeof globalThis.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const at = this.clock.now();
    const text = request.method === 'POST' ? await request.text() : '';
    const recorded: RecordedRequest = {
      at,
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: text === '' ? undefined : JSON.parse(text),
    };
    this.requests.push(recorded);
    const signal = request.signal;
    const abortError = () => signal.reason ?? new DOMException('Aborted', 'AbortError');
    const reply = this.holdReplies
      ? await new Promise<Reply>((resolve, reject) => {
          const entry = { resolve, request: recorded };
          this.waiting.push(entry);
          signal.addEventListener(
            'abort',
            () => {
              const index = this.waiting.indexOf(entry);
              if (index >= 0) this.waiting.splice(index, 1);
              reject(abortError());
            },
            { once: true },
          );
        })
      : (this.queue.shift() ?? this.defaultReply);
    if (signal.aborted) throw abortError();
    if ('networkError' in reply) throw new TypeError('fetch failed');
    if ('hang' in reply) {
      return new Promise<Response>((_, reject) => {
        signal.addEventListener('abort', () => reject(abortError()), { once: true });
      });
    }
    const headers = new Headers(reply.headers);
    if ('json' in reply) {
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      return new Response(JSON.stringify(reply.json), { status: reply.status ?? 200, headers });
    }
    return new Response(reply.text, { status: reply.status ?? 200, headers });
  };
}
