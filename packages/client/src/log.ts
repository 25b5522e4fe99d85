import type { Logger, LogLevel } from './options.js';

/**
 * Sends one structured record to the client's logger. Call it as `log?.(…)`: a
 * client without a logger has no `log`, so no call site builds a record.
 */
export type Log = (level: LogLevel, event: string, fields?: Record<string, unknown>, detail?: string) => void;

/**
 * The {@link Log} of a client, or `undefined` without a logger. The message is
 * built from the event name ("poll.failed" → "poll failed") and an optional
 * detail, so that the bundle carries no sentence per event.
 */
export function createLog(logger: Logger | undefined, endpoint: string, now: () => number): Log | undefined {
  return (
    logger &&
    ((level, event, fields, detail) => {
      try {
        logger({ ...fields, level, event, message: event.replace('.', ' ') + (detail === undefined ? '' : `: ${detail}`), time: now(), endpoint });
      } catch {
        // A failing logger must not break polling.
      }
    })
  );
}
