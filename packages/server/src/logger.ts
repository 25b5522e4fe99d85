/** Severity of a {@link LogRecord}. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * One structured log record: a plain object with stable fields, never a
 * preformatted string. It never carries a WAHA API key, WAHA's URL or a raw WAHA
 * response body; WAHA failures are described by `errorKind`, `wahaStatus` and
 * `wahaMessage` (WAHA's own message, sanitized and bounded by the WAHA client).
 */
export interface LogRecord {
  /** Severity. */
  level: LogLevel;
  /** A stable machine-readable event name, e.g. `session.created`, `waha.error`. */
  event: string;
  /** A short human-readable sentence. */
  message: string;
  /** ISO-8601 time of the record. */
  time: string;
  /** The organization concerned, when there is one. */
  orgId?: string;
  /** The WAHA session name concerned, when there is one. */
  session?: string;
  /** The session status (WAHA spelling normalized), when relevant. */
  status?: string;
  /** Further stable fields (`action`, `wahaStatus`, `errorKind`, `durationMs`, …). */
  [field: string]: unknown;
}

/** Receives every {@link LogRecord}; must not throw (a throwing logger is ignored). */
export type Logger = (record: LogRecord) => void;

/** A logger that drops every record (the default). */
export const silentLogger: Logger = () => {};

/** A logger that prints each record as one JSON line on the console (`console.error` for warnings and errors). */
export const jsonConsoleLogger: Logger = (record) => {
  const line = JSON.stringify(record);
  if (record.level === 'warn' || record.level === 'error') console.error(line);
  else console.log(line);
};

/** Fields of a record before `time` is stamped. */
export type LogInput = Omit<LogRecord, 'time'>;

/** Wraps a user logger so that it stamps `time` and can never throw into the caller. */
export function safeLogger(logger: Logger | undefined, now: () => number): (input: LogInput) => void {
  const sink = logger ?? silentLogger;
  return (input) => {
    try {
      sink({ ...input, time: new Date(now()).toISOString() } as LogRecord);
    } catch {
      // A broken logger must not break a request.
    }
  };
}

/** The logged name of a thrown value (never its message, which may carry a connection string or a secret). */
export function errorNameOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
