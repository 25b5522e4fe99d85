import { randomUUID } from 'node:crypto';
import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import { createMemoryBus, type SessionBus } from '../bus.js';
import { systemClock, type Clock, type TimerHandle } from '../clock.js';
import { KeyedLanes } from '../lanes.js';
import { safeLogger, type Logger } from '../logger.js';
import { backoffDelay } from '../waha/retry.js';
import { DEFAULT_TIMEOUT_MS, withConnection, withDeadline, type PostgresOptions } from './connection.js';
import { toPostgresError } from './errors.js';
import type { PgNotification, PgPoolClient } from './pg.js';
import { identifier, tableNames } from './tables.js';

/** Options of {@link createPostgresBus}. */
export interface PostgresBusOptions extends PostgresOptions {
  /** The `LISTEN` / `NOTIFY` channel (default `wac_sessions`); every instance of one deployment uses the same. */
  channel?: string;
  /** Waits between reconnection attempts of the listening connection, in ms (default 250 doubling to 10 000, jittered). */
  reconnect?: { initialMs?: number; maxMs?: number };
  /**
   * How often the listening connection is checked with a `SELECT 1`, in ms
   * (default 15 000): a connection that died without an error (a dropped
   * network path) is noticed within this time plus `timeoutMs`.
   */
  pingMs?: number;
  /** Structured log records (connection lost / back, publish failures). */
  logger?: Logger;
  /** Time source of the reconnection and ping timers (default: real timers). */
  clock?: Clock;
}

/** A {@link SessionBus} over PostgreSQL `LISTEN` / `NOTIFY`. */
export interface PostgresSessionBus extends SessionBus {
  /** Resolves once the bus listens (the first `LISTEN` succeeded); never rejects. */
  ready(): Promise<void>;
  /** `true` while the listening connection is up. */
  listening(): boolean;
  /** Number of listeners of `orgId` on this instance (all organizations without an argument). */
  listenerCount(orgId?: string): number;
}

/**
 * NOTIFY's payload must be shorter than 8,000 bytes; beyond this, the answer is
 * stored in `wac_bus_payloads` and the notification carries its id.
 */
export const MAX_INLINE_PAYLOAD_BYTES = 7_900;

/** Answers not yet sent while PostgreSQL is unreachable: the latest per organization, this many organizations at most. */
const MAX_PENDING_ORGANIZATIONS = 10_000;
/** Notifications waiting to be delivered (large ones are fetched first, in order). */
const MAX_QUEUED_NOTIFICATIONS = 10_000;
/** Stored large payloads older than this are deleted (every instance has read them long before). */
const PAYLOAD_RETENTION = '5 minutes';

interface Envelope {
  /** The sending instance (its own notifications were delivered locally already). */
  i: string;
  /** The organization. */
  o: string;
  /** The answer, inline… */
  a?: SessionAnswerWire;
  /** …or the id of its row in `wac_bus_payloads`. */
  r?: string;
}

function parseEnvelope(payload: string | undefined): Envelope | null {
  if (!payload) return null;
  try {
    const value = JSON.parse(payload) as Partial<Envelope>;
    if (typeof value.i !== 'string' || typeof value.o !== 'string') return null;
    if (value.a !== undefined && (typeof value.a !== 'object' || value.a === null)) return null;
    if (value.a === undefined && typeof value.r !== 'string') return null;
    return value as Envelope;
  } catch {
    return null;
  }
}

/**
 * A {@link SessionBus} for several instances on one PostgreSQL: every answer
 * published on any instance reaches the SSE streams of every instance.
 *
 * Each instance keeps one connection of the pool `LISTEN`ing on the channel
 * (size the pool for it). `publish` delivers to this instance's streams at once
 * and sends a `NOTIFY` to the others; an answer too large for a notification
 * (over {@link MAX_INLINE_PAYLOAD_BYTES}) is stored and sent by reference.
 * One organization's answers arrive in the order they were published; while
 * one is being sent, newer ones replace each other (the others get the latest
 * state, not every step of a burst).
 *
 * When the listening connection drops (a restart, a failover,
 * `pg_terminate_backend`), the bus reconnects with a jittered backoff and then
 * calls its `onResync` listeners: the streams re-read the current state, since
 * answers published meanwhile never reached this instance. Answers that could
 * not be sent while PostgreSQL was unreachable are sent when it is back (the
 * latest one per organization: an answer is state, not an event).
 *
 * @example
 * ```ts
 * const bus = createPostgresBus({ pool });
 * const handler = createSessionHandler({ getOrganizationId, store, bus, stream: true });
 * process.on('SIGTERM', () => void bus.close());
 * ```
 */
export function createPostgresBus(options: PostgresBusOptions): PostgresSessionBus {
  const channel = options.channel ?? 'wac_sessions';
  const listenSql = `LISTEN ${identifier(channel, 'The channel')}`;
  const t = tableNames(options.schema);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const clock = options.clock ?? systemClock;
  const log = safeLogger(options.logger, () => clock.now());
  const backoff = { attempts: Infinity, baseDelayMs: options.reconnect?.initialMs ?? 250, maxDelayMs: options.reconnect?.maxMs ?? 10_000 };
  const pingMs = options.pingMs ?? 15_000;
  const instance = randomUUID();
  const local = createMemoryBus();
  const resyncListeners = new Set<() => void>();

  let closed = false;
  let client: PgPoolClient | undefined;
  let detach: () => void = () => {};
  let failures = 0;
  let everListened = false;
  let reconnectTimer: TimerHandle | undefined;
  let pingTimer: TimerHandle | undefined;
  let flushTimer: TimerHandle | undefined;
  let markReady!: () => void;
  const readyPromise = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  // ---- receiving -------------------------------------------------------------
  const queue: Envelope[] = [];
  let draining = false;

  function resync(): void {
    for (const listener of [...resyncListeners]) {
      try {
        listener();
      } catch {
        // One broken listener must not keep the others stale.
      }
    }
  }

  async function drain(): Promise<void> {
    if (draining) return;
    draining = true;
    try {
      while (queue.length > 0 && !closed) {
        const envelope = queue.shift()!;
        let answer = envelope.a;
        if (answer === undefined) {
          try {
            const rows = await withConnection(options.pool, timeoutMs, 'read a bus message', ({ sql }) =>
              sql(`SELECT body FROM ${t.busPayloads} WHERE id = $1`, [envelope.r]),
            );
            answer = rows[0] ? (JSON.parse(String(rows[0].body)) as SessionAnswerWire) : undefined;
          } catch {
            answer = undefined;
          }
          // Unreadable (deleted, database gone): the streams re-read rather than miss it.
          if (answer === undefined) {
            resync();
            continue;
          }
        }
        await local.publish(envelope.o, answer);
      }
    } finally {
      draining = false;
    }
  }

  function onNotification(message: PgNotification): void {
    if (message.channel !== channel) return;
    const envelope = parseEnvelope(message.payload);
    if (!envelope || envelope.i === instance) return;
    // Nobody here streams this organization: nothing to deliver (and nothing to fetch).
    if (local.listenerCount(envelope.o) === 0) return;
    if (queue.length >= MAX_QUEUED_NOTIFICATIONS) {
      queue.length = 0;
      resync();
      return;
    }
    queue.push(envelope);
    void drain();
  }

  // ---- the listening connection ---------------------------------------------
  function dropped(error: Error | undefined): void {
    if (!client) return;
    const lost = client;
    client = undefined;
    detach();
    if (pingTimer !== undefined) clock.clearTimeout(pingTimer);
    pingTimer = undefined;
    // With an error the pool closes the connection instead of lending it again.
    lost.release(error ?? new Error('The bus connection was dropped.'));
    if (closed) return;
    log({ level: 'warn', event: 'bus.disconnected', message: 'The PostgreSQL bus lost its listening connection; reconnecting.', ...(error ? { errorName: error.name } : {}) });
    scheduleConnect();
  }

  function scheduleConnect(): void {
    if (closed || reconnectTimer !== undefined) return;
    failures++;
    reconnectTimer = clock.setTimeout(() => {
      reconnectTimer = undefined;
      void connect();
    }, backoffDelay(failures, backoff, Math.random()));
  }

  function schedulePing(): void {
    if (closed || !client || pingMs <= 0) return;
    const pinged = client;
    pingTimer = clock.setTimeout(() => {
      pingTimer = undefined;
      let answered = false;
      const deadline = clock.setTimeout(() => {
        if (!answered && client === pinged) dropped(new Error('The bus connection did not answer a ping.'));
      }, timeoutMs);
      pinged.query({ text: 'SELECT 1' }).then(
        () => {
          answered = true;
          clock.clearTimeout(deadline);
          if (client === pinged) schedulePing();
        },
        (error: unknown) => {
          answered = true;
          clock.clearTimeout(deadline);
          if (client === pinged) dropped(error instanceof Error ? error : new Error(String(error)));
        },
      );
    }, pingMs);
  }

  async function connect(): Promise<void> {
    if (closed) return;
    let connected: PgPoolClient;
    try {
      connected = await withDeadline(options.pool.connect(), timeoutMs, (late) => late.release());
    } catch (error) {
      log({ level: 'warn', event: 'bus.connect_failed', message: 'The PostgreSQL bus could not connect; retrying.', errorName: toPostgresError(error, 'listen').kind });
      scheduleConnect();
      return;
    }
    if (closed) {
      connected.release();
      return;
    }
    const onError = (error: Error) => {
      if (client === connected) dropped(error);
    };
    const onEnd = () => {
      if (client === connected) dropped(undefined);
    };
    connected.on('notification', onNotification);
    connected.on('error', onError);
    connected.on('end', onEnd);
    client = connected;
    detach = () => {
      connected.removeListener('notification', onNotification);
      connected.removeListener('error', onError);
      connected.removeListener('end', onEnd);
    };
    try {
      await withDeadline(connected.query({ text: listenSql }), timeoutMs);
    } catch (error) {
      if (client === connected) dropped(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (client !== connected) return;
    failures = 0;
    schedulePing();
    void flushOutbox();
    if (everListened) {
      log({ level: 'info', event: 'bus.reconnected', message: 'The PostgreSQL bus listens again; streams re-read their state.' });
      resync();
    }
    everListened = true;
    markReady();
  }

  // ---- sending ---------------------------------------------------------------
  /** The latest unsent answer per organization, until PostgreSQL takes it: an answer is state, not an event. */
  const outbox = new Map<string, SessionAnswerWire>();
  let flushing = false;
  // One organization's answers leave in the order they were published (a large one takes an extra statement).
  const sending = new KeyedLanes();

  async function send(orgId: string, answer: SessionAnswerWire): Promise<void> {
    const inline = JSON.stringify({ i: instance, o: orgId, a: answer } satisfies Envelope);
    await withConnection(options.pool, timeoutMs, 'publish a session answer', async ({ sql }) => {
      if (Buffer.byteLength(inline, 'utf8') <= MAX_INLINE_PAYLOAD_BYTES) {
        await sql(`SELECT pg_notify($1, $2)`, [channel, inline]);
        return;
      }
      const rows = await sql(
        `WITH old AS (DELETE FROM ${t.busPayloads} WHERE created_at < now() - interval '${PAYLOAD_RETENTION}')
         INSERT INTO ${t.busPayloads} (body) VALUES ($1) RETURNING id`,
        [JSON.stringify(answer)],
      );
      await sql(`SELECT pg_notify($1, $2)`, [channel, JSON.stringify({ i: instance, o: orgId, r: String(rows[0]!.id) } satisfies Envelope)]);
    });
  }

  /**
   * Sends the organization's latest unsent answer, if any (run in its lane, so in
   * order). Resolves `false` when PostgreSQL did not take it (it stays in the outbox).
   */
  async function sendLatest(orgId: string): Promise<boolean> {
    const answer = outbox.get(orgId);
    if (answer === undefined) return true;
    try {
      await send(orgId, answer);
    } catch (error) {
      log({ level: 'warn', event: 'bus.publish_failed', message: 'Could not notify the other instances; will retry when PostgreSQL answers.', orgId, errorKind: toPostgresError(error, 'publish').kind });
      return false;
    }
    // A newer answer published meanwhile stays for its own turn.
    if (outbox.get(orgId) === answer) outbox.delete(orgId);
    return true;
  }

  async function flushOutbox(): Promise<void> {
    if (flushing || closed) return;
    flushing = true;
    try {
      for (const orgId of [...outbox.keys()]) {
        // Still unreachable: the next (re)connection or retry flushes again.
        if (closed || !(await sending.run(orgId, () => sendLatest(orgId)))) return;
      }
    } finally {
      flushing = false;
    }
  }

  function retrySoon(): void {
    // The listening connection may be fine while the pool is not: try again soon. Without it, the reconnection flushes.
    if (!client || flushTimer !== undefined || closed) return;
    flushTimer = clock.setTimeout(() => {
      flushTimer = undefined;
      void flushOutbox().then(() => {
        if (outbox.size > 0) retrySoon();
      });
    }, backoffDelay(1, backoff, Math.random()));
  }

  void connect();

  return {
    async publish(orgId, answer) {
      if (closed) return;
      await local.publish(orgId, answer);
      outbox.delete(orgId);
      outbox.set(orgId, answer);
      if (outbox.size > MAX_PENDING_ORGANIZATIONS) outbox.delete(outbox.keys().next().value!);
      if (!(await sending.run(orgId, () => sendLatest(orgId)))) retrySoon();
    },
    subscribe: (orgId, listener) => local.subscribe(orgId, listener),
    onResync(listener) {
      resyncListeners.add(listener);
      return () => {
        resyncListeners.delete(listener);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of [reconnectTimer, pingTimer, flushTimer]) if (timer !== undefined) clock.clearTimeout(timer);
      reconnectTimer = pingTimer = flushTimer = undefined;
      queue.length = 0;
      resyncListeners.clear();
      await local.close();
      if (client) {
        const last = client;
        client = undefined;
        detach();
        // UNLISTEN before the connection goes back to the pool for other work.
        try {
          await withDeadline(last.query({ text: 'UNLISTEN *' }), timeoutMs);
          last.release();
        } catch (error) {
          last.release(error instanceof Error ? error : new Error(String(error)));
        }
      }
      markReady();
    },
    ready: () => readyPromise,
    listening: () => client !== undefined && everListened,
    listenerCount: (orgId) => local.listenerCount(orgId),
  };
}
