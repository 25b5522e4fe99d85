import { backoffDelay } from './backoff.js';
import { parseSessionAnswer, type ParseResult } from './contract/parse.js';
import { ELEMENT_OWNED } from './element-owned.js';
import type { BackoffOptions, EventSourceConstructorLike, EventSourceLike, TimerHandle, TimerProvider, Trace, VisibilitySource } from './options.js';

/** Options of {@link createStreamLink}. */
export interface StreamLinkOptions {
  /** The `EventSource` constructor. */
  readonly EventSource: EventSourceConstructorLike;
  /** The client's `credentials` mode: `'include'` opens the stream `withCredentials` (cookies cross-origin). */
  readonly credentials: RequestCredentials;
  /** Page visibility: the stream is closed while the page is hidden and reopened when it is visible. */
  readonly visibility: VisibilitySource;
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
   * URL replaces the current one. While the page is hidden it only remembers the
   * URL: the stream opens when the page is visible, and closes whenever it is hidden.
   */
  connect(url: string): void;
  /** Closes the stream, cancels any retry, forgets the URL and stops watching the page's visibility. */
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
 * client's polling takes over at its normal cadence) and reopened after an exponential,
 * jittered delay; a successful `open` resets the delay.
 */
export function createStreamLink(options: StreamLinkOptions): StreamLink {
  // The element's own client never has one (see ELEMENT_OWNED).
  const log = ELEMENT_OWNED ? undefined : options.trace;
  let url: string | null = null;
  let source: EventSourceLike | null = null;
  let isOpen = false;
  /** The page is hidden: the URL is kept, the stream closed. */
  let suspended = false;
  let failures = 0;
  /** The timer of the next reopen, if one is due. */
  let retry: TimerHandle | undefined;
  /** Stops watching the page's visibility (watched from `connect()` to `close()`). */
  let unwatch: (() => void) | null = null;

  function setOpen(open: boolean): void {
    if (open === isOpen) return;
    isOpen = open;
    log?.(open ? 'stream.opened' : 'stream.closed');
    options.onOpenChange(open);
  }

  function cancelRetry(): void {
    if (retry === undefined) return;
    options.timers.clearTimeout(retry);
    retry = undefined;
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
    log?.('stream.failed', target, failures, retryInMs);
    retry = options.timers.setTimeout(() => {
      retry = undefined;
      openSource();
    }, retryInMs);
  }

  /** Cancels a retry and closes the current source, then opens `url` unless there is none or the page is hidden. */
  function openSource(): void {
    cancelRetry();
    closeSource();
    if (url === null || suspended) return;
    const target = url;
    let created: EventSourceLike;
    try {
      created = new options.EventSource(target, { withCredentials: options.credentials === 'include' });
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

  function setVisible(visible: boolean): void {
    if (visible !== suspended) return;
    suspended = !visible;
    // Hidden: closes the stream and cancels a retry (openSource opens nothing while suspended).
    openSource();
  }

  return {
    connect(next) {
      if (unwatch === null) {
        // The page may be hidden already (e.g. while the stream module loaded): open it once visible.
        suspended = !options.visibility.isVisible();
        unwatch = options.visibility.subscribe(setVisible);
      }
      if (next === url && (source !== null || retry !== undefined || suspended)) return;
      url = next;
      failures = 0;
      openSource();
    },
    close() {
      url = null;
      suspended = false;
      failures = 0;
      unwatch?.();
      unwatch = null;
      // Without a URL it cancels the retry, closes the source and opens nothing.
      openSource();
    },
    get open() {
      return isOpen;
    },
  };
}
