import type { ResolvedOptions } from './config.js';
import type { ParseResult } from './contract/parse.js';
import { ELEMENT_OWNED } from './element-owned.js';
import type { EventSourceConstructorLike } from './options.js';
import type { StreamLink } from './stream.js';

/** Loads the push-stream module (a separate chunk: only clients offered a stream download it). */
export type StreamModuleLoader = () => Promise<typeof import('./stream.js')>;

/**
 * What {@link createPush} needs from its client: its resolved options (endpoint, credentials,
 * timers, backoff, visibility, trace, with the `EventSource` constructor it will use), which
 * the stream link gets as they are, and these.
 */
export interface PushOptions extends ResolvedOptions {
  readonly EventSource: EventSourceConstructorLike;
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
  /** Closes the stream and forgets it (stop, 401, dispose): a load still under way then opens nothing. */
  close(): void;
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
 * still wanted when the import lands (nothing after `close()`: stop, 401, dispose).
 */
export function createPush(options: PushOptions): Push {
  const log = ELEMENT_OWNED ? undefined : options.trace;
  /** The stream link once its module has loaded; `null` while it loads, `undefined` before (or after a failed import). */
  let link: StreamLink | null | undefined;
  /** The stream to follow, resolved; `null` for none (before the first answer offering one, after `close()`). */
  let wanted: string | null = null;
  /** {@link wanted} as advertised: what a log names. */
  let wantedAsAdvertised = '';

  return {
    follow(advertised) {
      const url = sameOriginStreamUrl(advertised, options.endpoint);
      // Polling goes on (withLogger says it once per URL, not on every answer that repeats it).
      if (url === null) return log?.('stream.refused', advertised);
      wanted = url;
      wantedAsAdvertised = advertised;
      if (link) link.connect(url);
      else if (link === undefined) {
        link = null;
        options.load().then(
          (module) => {
            // The resolved options bring the EventSource, credentials, visibility, timers, backoff, random
            // and trace; the client the callbacks.
            link = module.createStreamLink(options);
            if (wanted !== null) link.connect(wanted);
          },
          (error: unknown) => {
            link = undefined;
            // Polling goes on at the normal cadence (withLogger warns only the first time); not worth a
            // word once nothing wants the stream any more. Named: the stream still wanted (a later answer may
            // have advertised another while this import ran).
            if (wanted !== null) log?.('stream.unloaded', wantedAsAdvertised, error);
          },
        );
      }
    },
    close() {
      wanted = null;
      link?.close();
    },
  };
}
