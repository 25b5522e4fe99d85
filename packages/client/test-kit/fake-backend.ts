import type { SessionAnswerWire } from '../src/contract/types.js';
import { wire } from './answers.js';

/** One request the fake backend received. */
export interface RecordedRequest {
  /** The clock's time when the request arrived (`0` without a clock). */
  readonly at: number;
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  /** The parsed JSON body of a POST, else `undefined`. */
  readonly body: unknown;
}

/**
 * How the fake backend answers: a JSON body, a text body (status 200 unless
 * given), a network failure, or a request that hangs until it is aborted.
 */
export type Reply =
  | { readonly json: unknown; readonly status?: number; readonly headers?: Record<string, string> }
  | { readonly text: string; readonly status?: number; readonly headers?: Record<string, string> }
  | { readonly networkError: true }
  | { readonly hang: true };

/** The body of a POST to the session endpoint. */
export interface ActionBody {
  readonly action: string;
  readonly phoneNumber?: string;
}

interface Held {
  readonly method: string;
  readonly release: (reply?: Reply) => void;
}

/**
 * The one scripted session backend of the client, element and React tests, behind
 * a `fetch` function. Every request is recorded, so a test asserts exactly what was
 * sent (and that no POST left without a click).
 *
 * A request takes the next queued {@link reply}; with none queued, a GET answers
 * {@link defaultReply} (the {@link session}) and a POST answers {@link onPost}
 * (by default the same as a GET; {@link FakeBackend.plausible} moves the session
 * like a real backend). {@link holdReplies} / {@link holdPosts} keep answers back
 * until released.
 */
export class FakeBackend {
  readonly requests: RecordedRequest[] = [];
  /** What a request answers when nothing is queued (a POST: unless {@link onPost} says otherwise). */
  defaultReply: Reply;
  /** When `true`, every reply waits for {@link release}. */
  holdReplies = false;
  /** When `true`, POSTs wait for {@link release} / {@link releasePosts}. */
  holdPosts = false;
  /** How a POST with nothing queued is answered; default: {@link defaultReply}. */
  onPost: (body: ActionBody) => Reply = () => this.defaultReply;
  readonly #queue: Reply[] = [];
  readonly #held: Held[] = [];
  readonly #clock: { now(): number };

  /**
   * @param options.session what GETs answer (default: `STARTING`).
   * @param options.clock stamps each request with the time it arrived.
   */
  constructor(options: { session?: SessionAnswerWire; clock?: { now(): number } } = {}) {
    this.defaultReply = { json: options.session ?? wire.starting() };
    this.#clock = options.clock ?? { now: () => 0 };
  }

  /**
   * A POST handler that moves the session as a real backend would: `logout` →
   * `STOPPED`, `reconnect` / `change_number` → `SCAN_QR_CODE` with a new QR,
   * `request_code` → the same session with the pairing code `ABCD-EFGH`.
   */
  static plausible(backend: FakeBackend): (body: ActionBody) => Reply {
    return (body) => {
      const base = { sessionName: backend.session.sessionName };
      if (body.action === 'logout') backend.session = { ...base, status: 'STOPPED', connected: false };
      else if (body.action === 'request_code') backend.session = { ...backend.session, pairingCode: 'ABCD-EFGH' };
      else backend.session = { ...base, status: 'SCAN_QR_CODE', connected: false, qr: 'qr-after-action' };
      return { json: backend.session };
    };
  }

  /**
   * A backend answering `session` to GETs whose POSTs move the session as a real
   * backend would ({@link FakeBackend.plausible}): the usual rig for tests that click
   * an action and expect the widget to follow.
   */
  static withPlausiblePosts(session?: SessionAnswerWire): FakeBackend {
    const backend = new FakeBackend(session === undefined ? {} : { session });
    backend.onPost = FakeBackend.plausible(backend);
    return backend;
  }

  /** The session a GET answers (the default reply's JSON). */
  get session(): SessionAnswerWire {
    const reply = this.defaultReply;
    if (!('json' in reply)) throw new Error('the default reply is not a session');
    return reply.json as SessionAnswerWire;
  }

  set session(session: SessionAnswerWire) {
    this.defaultReply = { json: session };
  }

  /** Sets the session GETs answer; chainable. */
  answer(session: SessionAnswerWire): this {
    this.session = session;
    return this;
  }

  /** Queues replies for the next requests, GET or POST, first in first out; chainable. */
  reply(...replies: Reply[]): this {
    this.#queue.push(...replies);
    return this;
  }

  /** GET requests so far. */
  get gets(): RecordedRequest[] {
    return this.requests.filter((request) => request.method === 'GET');
  }

  /** POST requests so far. */
  get posts(): RecordedRequest[] {
    return this.requests.filter((request) => request.method === 'POST');
  }

  /** Requests whose reply is held. */
  get held(): number {
    return this.#held.length;
  }

  /** Releases the oldest held request with `reply` (default: what it would have answered). */
  release(reply?: Reply): void {
    const next = this.#held.shift();
    if (next === undefined) throw new Error('no held request to release');
    next.release(reply);
  }

  /** Stops holding POSTs and releases every held POST. */
  releasePosts(): void {
    this.holdPosts = false;
    for (const held of this.#held.filter((entry) => entry.method === 'POST')) {
      this.#held.splice(this.#held.indexOf(held), 1);
      held.release();
    }
  }

  /** Throws unless exactly `expected` POSTs were sent (nothing acts by itself). */
  assertPosts(expected: number): void {
    if (this.posts.length !== expected) {
      throw new Error(`expected ${expected} POST(s), got ${this.posts.length}: ${JSON.stringify(this.posts.map((post) => post.body))}`);
    }
  }

  /** Replaces the global `fetch` (for clients made without one); returns the undo. */
  install(): () => void {
    const original = globalThis.fetch;
    globalThis.fetch = this.fetch;
    return () => {
      globalThis.fetch = original;
    };
  }

  /** The `fetch` to give the client. */
  readonly fetch: typeof globalThis.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const at = this.#clock.now();
    // A string body is read synchronously when possible: awaiting Request.text() takes
    // turns, and a test that checks right after a click would race the recording.
    const text = request.method !== 'POST' ? '' : typeof init?.body === 'string' ? init.body : await request.clone().text();
    const body: unknown = text === '' ? undefined : JSON.parse(text);
    this.requests.push({ at, method: request.method, url: request.url, headers: request.headers, body });
    const { signal } = request;
    const abortError = () => signal.reason ?? new DOMException('The request was aborted.', 'AbortError');
    const decide = (): Reply => this.#queue.shift() ?? (request.method === 'POST' ? this.onPost(body as ActionBody) : this.defaultReply);
    let reply: Reply;
    if (this.holdReplies || (this.holdPosts && request.method === 'POST')) {
      reply = await new Promise<Reply>((resolve, reject) => {
        const held: Held = { method: request.method, release: (given) => resolve(given ?? decide()) };
        this.#held.push(held);
        signal.addEventListener(
          'abort',
          () => {
            const index = this.#held.indexOf(held);
            if (index >= 0) this.#held.splice(index, 1);
            reject(abortError());
          },
          { once: true },
        );
      });
    } else {
      reply = decide();
    }
    if (signal.aborted) throw abortError();
    if ('networkError' in reply) throw new TypeError('Failed to fetch');
    if ('hang' in reply) {
      return new Promise<Response>((_, reject) => signal.addEventListener('abort', () => reject(abortError()), { once: true }));
    }
    const headers = new Headers(reply.headers);
    if ('json' in reply) {
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      return new Response(JSON.stringify(reply.json), { status: reply.status ?? 200, headers });
    }
    return new Response(reply.text, { status: reply.status ?? 200, headers });
  };
}
