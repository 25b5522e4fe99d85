import { backoffDelay } from './backoff.js';
import { parseSessionAnswer, type ParseResult } from './contract/parse.js';
import type { BackoffOptions, EventSourceConstructorLike, EventSourceLike, TimerHandle, TimerProvider, Trace } from './options.js';

/** Options of {@link createStreamLink}. */
export interface StreamLinkOptions {
  /** The `EventSource` constructor. */
  readonly EventSource: EventSourceConstructorLike;
  /** Send cookies cross-origin (`credentials: 'include'`). */
  readonly withCredentials: boolean;
  /** Time source for the reopen backoff. */
  readonly timers: TimerProvider;
  /** Reopen backoff. */
  readonly backoff: BackoffOptions;
  /** Random source for the jitter. */
  readonly random: () => number;
  /** Receives each `message` event's `data` read as a session answer (or why it is unusable). */
  onMessage(result: ParseResult): void;
  /** Told when the stream opens (`true`) or stops being open (`false`). */
  onOpenChange(open: boolean): void;
  /**
   * The client's trace (see `SessionClientOptions.trace`): `stream.opened`, `stream.closed`,
   * and `stream.failed` (`url`, `failures`, `retryInMs`: when it will be retried).
   */
  readonly trace?: Trace | undefined;
}

/** One push stream, reopened with backoff when it fails. */
export interface StreamLink {
  /**
   * Opens `url`, an absolute URL (or keeps it open when it already is). A different
   * URL replaces the current one.
   */
  connect(url: string): void;
  /** Closes the stream but remembers the URL (page hidden). */
  suspend(): void;
  /** Reopens a suspended stream. */
  resume(): void;
  /** Closes the stream, cancels any retry and forgets the URL. */
  close(): void;
  /** `true` while the stream is open. */
  readonly open: boolean;
}

/** A message's `data` as JSON when it is JSON text; anything else is left for the parser to refuse. */
function jsonOf(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/**
 * Manages the optional Server-Sent Events stream of a session. The browser's
 * own reconnection is not used: on `error` the stream is closed (so the
 * poller takes over at its normal cadence) and reopened after an exponential,
 * jittered delay; a successful `open` resets the delay.
 */
export function createStreamLink(options: StreamLinkOptions): StreamLink {
  let url: string | null = null;
  let source: EventSourceLike | null = null;
  let isOpen = false;
  let suspended = false;
  let failures = 0;
  let retry: { handle: TimerHandle } | null = null;

  function setOpen(open: boolean): void {
    if (open === isOpen) return;
    isOpen = open;
    options.trace?.(open ? 'stream.opened' : 'stream.closed');
    options.onOpenChange(open);
  }

  function cancelRetry(): void {
    if (retry === null) return;
    options.timers.clearTimeout(retry.handle);
    retry = null;
  }

  function closeSource(): void {
    const closing = source;
    source = null;
    if (closing !== null) {
      try {
        closing.close();
      } catch {
        // A polyfill that throws on close must not break the client.
      }
    }
    setOpen(false);
  }

  function fail(target: string): void {
    closeSource();
    failures += 1;
    const retryInMs = backoffDelay(failures, options.backoff, options.random);
    options.trace?.('stream.failed', target, failures, retryInMs);
    retry = {
      handle: options.timers.setTimeout(() => {
        retry = null;
        openSource();
      }, retryInMs),
    };
  }

  function openSource(): void {
    cancelRetry();
    closeSource();
    if (url === null || suspended) return;
    const target = url;
    let created: EventSourceLike;
    try {
      created = new options.EventSource(target, { withCredentials: options.withCredentials });
    } catch {
      fail(target);
      return;
    }
    source = created;
    // Listeners of a replaced source must not act: each checks it is still the current one.
    created.addEventListener('open', () => {
      if (source !== created) return;
      failures = 0;
      setOpen(true);
    });
    created.addEventListener('message', (event) => {
      if (source === created) options.onMessage(parseSessionAnswer(jsonOf(event.data)));
    });
    created.addEventListener('error', () => {
      if (source === created) fail(target);
    });
  }

  return {
    connect(next) {
      if (next === url && (source !== null || retry !== null || suspended)) return;
      url = next;
      failures = 0;
      openSource();
    },
    suspend() {
      suspended = true;
      cancelRetry();
      closeSource();
    },
    resume() {
      if (!suspended) return;
      suspended = false;
      openSource();
    },
    close() {
      url = null;
      suspended = false;
      failures = 0;
      cancelRetry();
      closeSource();
    },
    get open() {
      return isOpen;
    },
  };
}
