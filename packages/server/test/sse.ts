import assert from 'node:assert/strict';

/** One Server-Sent Events block: its `data` (joined), its comments, its `retry`. */
export interface SseBlock {
  data?: string;
  comment?: string;
  retry?: number;
}

/** Reads an event stream block by block. */
export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = '';
  /** A read started by {@link hasPending} that has not been consumed yet. */
  #pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;

  constructor(body: ReadableStream<Uint8Array> | null) {
    assert.ok(body, 'a stream body');
    this.#reader = body.getReader();
  }

  /** The next block, or `null` when the stream ended. */
  async next(): Promise<SseBlock | null> {
    for (;;) {
      const end = this.#buffer.indexOf('\n\n');
      if (end >= 0) {
        const raw = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        return parseBlock(raw);
      }
      const { done, value } = await this.#read();
      if (done) return null;
      this.#buffer += this.#decoder.decode(value, { stream: true });
    }
  }

  /** The next block that carries data, parsed as JSON. */
  async nextData<T = Record<string, unknown>>(): Promise<T> {
    for (;;) {
      const block = await this.next();
      assert.ok(block, 'the stream ended before data');
      if (block.data !== undefined) return JSON.parse(block.data) as T;
    }
  }

  /** Whether a complete block is already buffered or arrives within one macrotask turn. */
  async hasPending(): Promise<boolean> {
    if (this.#buffer.includes('\n\n')) return true;
    const read = (this.#pending ??= this.#reader.read());
    const timeout = new Promise<'none'>((resolve) => setImmediate(() => resolve('none')));
    const first = await Promise.race([read, timeout]);
    if (first === 'none') return false; // the read stays pending for the next call
    this.#pending = undefined;
    if (first.value) this.#buffer += this.#decoder.decode(first.value, { stream: true });
    return this.#buffer.includes('\n\n');
  }

  #read(): Promise<ReadableStreamReadResult<Uint8Array>> {
    const pending = this.#pending;
    this.#pending = undefined;
    return pending ?? this.#reader.read();
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}

function parseBlock(raw: string): SseBlock {
  const block: SseBlock = {};
  const data: string[] = [];
  for (const line of raw.split('\n')) {
    if (line.startsWith(':')) block.comment = line.slice(1).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    else if (line.startsWith('retry:')) block.retry = Number(line.slice(6));
  }
  if (data.length) block.data = data.join('\n');
  return block;
}
