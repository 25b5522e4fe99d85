import { nextPollDelay } from './cadence.js';
import { resolveOptions } from './config.js';
import type { LogLevel, SessionClientOptions } from './options.js';
import { causeMessage } from './transport.js';

/** A log record's level, event name, fields and detail. */
export type LogParts = [level: LogLevel, event: string, fields?: Record<string, unknown>, detail?: string];

/**
 * What one traced step says in a log. The client passes only an event name and
 * its data, so that its bundle carries no level, field name or message.
 *
 * @internal
 */
export function logParts(event: string, data: readonly unknown[]): LogParts {
  const [a, b, c] = data as [string, unknown, unknown];
  switch (event) {
    case 'listener.failed':
      return ['error', event, { listener: a, errorMessage: causeMessage(b) }, a];
    case 'poll.aborted':
    case 'poll.discarded':
      return ['debug', event, { seq: a }];
    case 'push.invalid':
      return ['warn', event, {}, (a as unknown as Error).message];
    case 'action.refused':
      return ['warn', event, { action: a, pendingAction: b }, b as string];
    case 'stream.refused':
      return ['warn', event, { url: a }, a];
    case 'stream.unloaded':
      // The stream module did not load (url, error, whether it failed before): browsers may keep
      // failing the same import, so only the first failure warns.
      return [c ? 'debug' : 'warn', 'stream.failed', { url: a, errorMessage: causeMessage(b) }, causeMessage(b)];
    case 'stream.failed':
      return ['warn', event, { url: a, failures: b, retryInMs: c }];
    case 'stream.opened':
    case 'stream.closed':
      return ['info', event];
    default:
      // push.discarded
      return ['debug', event];
  }
}

/**
 * Turns on structured logs: returns `options` with `trace` and `inspect` set so
 * that `options.logger` receives a `LogRecord` for every noteworthy step
 * (`status.changed`, `poll.failed`, `action.sent`, `stream.refused`…; the list
 * is in the client's README). A client made without it carries no logging code:
 * the records are built here, from the machine's transitions and the client's
 * trace. Options without a `logger` come back unchanged.
 *
 * The message is the event name in words plus the detail that matters
 * (`poll failed: GET /api/whatsapp/session: HTTP 502`); match on `event` and
 * the fields. A logger that throws is ignored. Another `inspect` or `trace`
 * in `options` is still called. Call it once per client: it remembers what it
 * said (an unknown status, a refused stream URL) so as not to repeat it.
 *
 * @example
 * ```ts
 * import { createSessionClient } from '@whatsapp-connector/client';
 * import { withLogger } from '@whatsapp-connector/client/metrics';
 *
 * const client = createSessionClient(withLogger({ endpoint: '/api/whatsapp/session', logger: console.debug }));
 * ```
 */
export function withLogger(options: SessionClientOptions): SessionClientOptions {
  const { logger, inspect, trace } = options;
  if (logger === undefined) return options;
  const config = resolveOptions(options);
  const log = (...[level, event, fields, detail]: LogParts) => {
    try {
      logger({ ...fields, level, event, message: event.replace('.', ' ') + (detail === undefined ? '' : `: ${detail}`), time: config.timers.now(), endpoint: config.endpoint });
    } catch {
      // A failing logger must not break polling.
    }
  };
  // An unknown status is said once per spelling, not on every poll; a refused stream once per URL.
  const warnedStatuses = new Set<string>();
  let refusedStream: unknown;
  let streamUnloaded = false;
  let running = false;
  /** The visibility last logged (or seen at a subscription): the client's and its stream link's subscriptions both hear each change, the first to hear it logs it. */
  let shown: boolean | undefined;

  return {
    ...options,
    trace(event, ...data) {
      trace?.(event, ...data);
      if (event === 'stream.refused') {
        if (data[0] === refusedStream) return;
        refusedStream = data[0];
      }
      log(...logParts(event, event === 'stream.unloaded' ? [data[0], data[1], streamUnloaded] : data));
      if (event === 'stream.unloaded') streamUnloaded = true;
    },
    // Page visibility as the client hears it (only while it runs), once per change.
    visibility: {
      isVisible: () => config.visibility.isVisible(),
      subscribe(listener) {
        // What the page is now is no change (it may have changed unheard while nothing watched).
        shown = config.visibility.isVisible();
        return config.visibility.subscribe((visible) => {
          if (visible !== shown) log('debug', visible ? 'page.visible' : 'page.hidden');
          shown = visible;
          listener(visible);
        });
      },
    },
    inspect(transition) {
      const { event, prev, next } = transition;
      if (next.status !== prev.status) log('info', 'status.changed', { from: prev.status, to: next.status, phase: next.phase }, `${prev.status} → ${next.status}`);
      switch (event.type) {
        case 'start':
          running = true;
          log('debug', 'client.started');
          break;
        case 'stop':
          if (running) log('debug', 'client.stopped');
          running = false;
          break;
        case 'request':
          if (event.action === null) log('debug', 'poll.sent', { seq: event.seq });
          else log('info', 'action.sent', { action: event.action });
          break;
        case 'schedule':
          if (event.nextPollAt !== null && event.nextPollAt !== prev.nextPollAt) {
            // The client asked the same rule with the snapshot before this event; the jitter is the only thing it drew.
            const reason = nextPollDelay(prev, { ...config, random: () => 1 })?.reason;
            log('debug', 'poll.scheduled', { delayMs: event.nextPollAt - event.at, reason });
          }
          break;
        case 'answer': {
          const { status, rawStatus } = event.answer;
          if (status === 'UNKNOWN' && !warnedStatuses.has(rawStatus)) {
            warnedStatuses.add(rawStatus);
            log('warn', 'status.unknown', { rawStatus }, rawStatus);
          }
          if (event.source === 'action') log('info', 'action.succeeded', { action: event.action, status });
          break;
        }
        case 'failure': {
          // An aborted request (stop(), an action overtaking a poll) is not a failure to report.
          const { error } = event;
          if (error.code === 'aborted') break;
          const fields = { errorCode: error.code, httpStatus: error.httpStatus, consecutiveFailures: next.consecutiveFailures, action: event.action };
          log(error.code === 'unauthorized' ? 'error' : 'warn', `${event.source}.failed`, fields, error.message);
          break;
        }
      }
      inspect?.(transition);
    },
  };
}
