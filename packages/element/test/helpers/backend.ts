// Only the examples' browser tests (examples/headless, examples/react, examples/vue) still
// use this scripted backend; the element and React tests use the client's test kit
// (packages/client/test-kit: FakeBackend, FakeClock). Delete it once the examples moved.
import type { SessionAnswerWire } from '@whatsapp-connector/client';

/** A request the scripted backend received. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  /** The parsed JSON body of a POST, else `undefined`. */
  readonly body: unknown;
  readonly headers: Headers;
}

/** How the backend answers: a session, a raw HTTP answer, or a network failure. */
export type Reply =
  | { readonly session: SessionAnswerWire }
  | { readonly httpStatus: number; readonly text: string; readonly contentType?: string }
  | { readonly networkError: true };

/**
 * A scripted session backend behind a `fetch` function: GETs answer the current
 * `session` (or the next queued reply), POSTs go through `onPost`. Every
 * request is recorded, so tests can assert exactly what the element sent.
 */
export class ScriptedBackend {
  readonly requests: RecordedRequest[] = [];
  /** What a GET answers when nothing is queued. */
  session: SessionAnswerWire;
  /** Replies for the next GETs, first in first out. */
  readonly queue: Reply[] = [];
  /** When `true`, POSTs wait until {@link releasePosts}. */
  holdPosts = false;
  /** How a POST changes the session; default: a plausible backend. */
  onPost: (body: { action: string; phoneNumber?: string }) => Reply = (body) => this.#defaultPost(body);
  readonly #held: Array<() => void> = [];

  constructor(session: SessionAnswerWire = { status: 'STARTING', sessionName: 'eagles_42', connected: false }) {
    this.session = session;
  }

  /** POST requests so far. */
  get posts(): RecordedRequest[] {
    return this.requests.filter((request) => request.method === 'POST');
  }

  /** GET requests so far. */
  get gets(): RecordedRequest[] {
    return this.requests.filter((request) => request.method === 'GET');
  }

  /** Lets held POSTs answer. */
  releasePosts(): void {
    this.holdPosts = false;
    for (const release of this.#held.splice(0)) release();
  }

  /** The `fetch` to give the client. */
  readonly fetch: typeof globalThis.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    // Read a string body synchronously when we can: awaiting Request.text() takes browser
    // tasks, and a test that checks right after a click would race the recording.
    const text =
      request.method !== 'POST' ? '' : typeof init?.body === 'string' ? init.body : await request.clone().text();
    const body = text ? (JSON.parse(text) as { action: string; phoneNumber?: string }) : undefined;
    this.requests.push({ method: request.method, url: request.url, body, headers: request.headers });
    let reply: Reply;
    if (request.method === 'POST' && body) {
      if (this.holdPosts) await new Promise<void>((resolve) => this.#held.push(resolve));
      reply = this.onPost(body);
    } else {
      reply = this.queue.shift() ?? { session: this.session };
    }
    if (request.signal.aborted) throw new DOMException('The request was aborted.', 'AbortError');
    return this.#respond(reply);
  };

  /** Replaces the global `fetch` (for clients the element creates itself); returns the undo. */
  install(): () => void {
    const original = globalThis.fetch;
    globalThis.fetch = this.fetch;
    return () => {
      globalThis.fetch = original;
    };
  }

  #respond(reply: Reply): Response {
    if ('networkError' in reply) throw new TypeError('Failed to fetch');
    if ('session' in reply) {
      return new Response(JSON.stringify(reply.session), { status: 200, headers: { 'content-type': 'application/json' } });
    }
    return new Response(reply.text, { status: reply.httpStatus, headers: { 'content-type': reply.contentType ?? 'application/json' } });
  }

  #defaultPost(body: { action: string; phoneNumber?: string }): Reply {
    const base = { sessionName: this.session.sessionName };
    if (body.action === 'logout') this.session = { ...base, status: 'STOPPED', connected: false };
    else if (body.action === 'request_code') this.session = { ...this.session, pairingCode: 'ABCD-EFGH' };
    else this.session = { ...base, status: 'SCAN_QR_CODE', connected: false, qr: 'qr-after-action' };
    return { session: this.session };
  }
}
