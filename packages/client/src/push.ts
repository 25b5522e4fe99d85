import type { ResolvedOptions } from './config.js';
import type { ParseResult } from './contract/parse.js';
import type { EventSourceConstructorLike } from './options.js';
import type { StreamLink } from './stream.js';

/** Loads the push-stream module (a separate chunk: only clients offered a stream download it). */
export type StreamModuleLoader = () => Promise<typeof import('./stream.js')>;

/** What {@link createPush} needs from its client. */
export interface PushOptions {
  /**
   * The client's resolved options (endpoint, credentials, timers, backoff,
   * visibility, trace), with the `EventSource` constructor it will use.
   */
  readonly config: ResolvedOptions & { readonly EventSource: EventSourceConstructorLike };
  /** Imports the stream module. */
  readonly load: StreamModuleLoader;
  /** Told when the stream opens (`true`) or stops being open (`false`). */
  onOpenChange(open: boolean): void;
  /** Receives each message read as a session answer (or why it is unusable). */
  onMessage(result: ParseResult): void;
}

/** The client's side of the push stream. */
export interface Push {
  /** Follows the stream an answer advertised, when it is on the endpoint's origin. */
  follow(advertised: string): void;
  /** Closes the stream and forgets it (stop, 401). */
  close(): void;
  /** Closes the stream while the page is hidden, reopens it when visible. */
  setVisible(visible: boolean): void;
  /** For good: a load still under way opens nothing. */
  dispose(): void;
}

/**
 * The advertised stream URL resolved against the endpoint (itself resolved against
 * the page), or `null` when it is on another origin: a backend must not send the
 * widget to a host it did not choose (`//evil.host/…`, an absolute foreign URL).
 */
export function sameOriginStreamUrl(advertised: string, endpoint: string): string | null {
  try {
    const base = new URL(endpoint, (globalThis as { location?: { href?: string } }).location?.href);
    const url = new URL(advertised, base);
    return url.origin === base.origin ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Wires the optional push stream to a client: refuses foreign URLs, imports the
 * stream module on the first answer that offers a stream (once per client; a
 * failed import is tried again with the next such answer) and opens only what is
 * still wanted when the import lands.
 */
export function createPush(options: PushOptions): Push {
  const { config } = options;
  const log = config.trace;
  let link: StreamLink | null = null;
  /** The stream to follow (null: none, e.g. after stop()), resolved, and as advertised (for logs). */
  let wanted: { url: string; advertised: string } | null = null;
  let loading = false;
  let disposed = false;

  async function load(): Promise<void> {
    loading = true;
    let module: Awaited<ReturnType<StreamModuleLoader>>;
    try {
      module = await options.load();
    } catch (error) {
      // Polling goes on at the normal cadence (withLogger warns only the first time).
      if (!disposed) log?.('stream.unloaded', wanted?.advertised, error);
      return;
    } finally {
      loading = false;
    }
    if (disposed) return;
    // The resolved options bring the EventSource, timers, backoff, random and trace; these options the callbacks.
    link = module.createStreamLink({ ...config, ...options, withCredentials: config.credentials === 'include' });
    if (wanted === null) return;
    // The page was hidden while the module loaded: remember the URL, open it when visible.
    if (!config.visibility.isVisible()) link.suspend();
    link.connect(wanted.url);
  }

  return {
    follow(advertised) {
      const url = sameOriginStreamUrl(advertised, config.endpoint);
      if (url === null) {
        // Polling goes on (withLogger says it once per URL, not on every answer that repeats it).
        log?.('stream.refused', advertised);
        return;
      }
      wanted = { url, advertised };
      if (link !== null) link.connect(url);
      else if (!loading) void load();
    },
    close() {
      wanted = null;
      link?.close();
    },
    setVisible(visible) {
      if (visible) link?.resume();
      else link?.suspend();
    },
    dispose() {
      disposed = true;
    },
  };
}
