import { bodyOf } from '../context.js';
import { mediaTypeOf, mergeHeaders } from '../http.js';
import { validateSessionAnswer } from '../validate.js';
import { fail, skip, verdictOf, type ConformanceCheck } from './define.js';
import type { CheckContext } from '../context.js';

/** The first event's `data:` (joined lines), or `undefined` when the stream ended without one. */
async function readFirstData(body: ReadableStream<Uint8Array>): Promise<string | undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return undefined;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).replace(/^ /, ''));
        if (data.length > 0) return data.join('\n');
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

async function checkStream(context: CheckContext, streamUrl: string) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), context.timeoutMs);
  try {
    const response = await context.fetch(streamUrl, {
      headers: mergeHeaders(context.headers, { accept: 'text/event-stream' }),
      signal: controller.signal,
    });
    const mediaType = mediaTypeOf(response.headers.get('content-type'));
    if (response.status !== 200 || mediaType !== 'text/event-stream' || !response.body) {
      await response.body?.cancel().catch(() => {});
      return fail(`${streamUrl}: expected HTTP 200 text/event-stream, got HTTP ${response.status} ${mediaType || '(no content-type)'}`);
    }
    const data = await readFirstData(response.body);
    if (data === undefined) return fail(`${streamUrl}: the stream ended before any data: event`);
    let answer: unknown;
    try {
      answer = JSON.parse(data);
    } catch {
      return fail(`${streamUrl}: the first data: is not JSON: ${JSON.stringify(data.slice(0, 60))}`);
    }
    return verdictOf(
      validateSessionAnswer(answer).map((problem) => `first event: ${problem}`),
      `first event ${String((answer as { status?: unknown }).status)}`,
    );
  } catch (cause) {
    if (controller.signal.aborted) return fail(`${streamUrl}: no event within ${context.timeoutMs} ms`);
    return fail(`${streamUrl}: ${cause instanceof Error ? cause.message : String(cause)}`);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/**
 * `stream.advertised` — when the session answer advertises a `stream` URL (optional
 * extension), it answers `200 text/event-stream` with the same credentials, and its
 * first `data:` is a valid session answer in JSON. Skipped when no `stream` is sent.
 */
export const streamAdvertised: ConformanceCheck = {
  id: 'stream.advertised',
  title: 'An advertised stream sends session answers as SSE',
  async run(context) {
    const stream = bodyOf(await context.firstGet())?.stream;
    if (stream === undefined || stream === null) return skip('no "stream" in the session answer (optional extension)');
    if (typeof stream !== 'string' || stream.trim() === '') return fail(`"stream" is ${JSON.stringify(stream)}, not a URL`);
    let url: URL;
    try {
      url = new URL(stream, context.url);
    } catch {
      return fail(`"stream" is not a URL: ${JSON.stringify(stream)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(`"stream" must be http(s), got ${url.protocol}`);
    return checkStream(context, url.href);
  },
};

/** The optional-extension stream checks. */
export const STREAM_CHECKS: readonly ConformanceCheck[] = [streamAdvertised];
