import type { SessionBus } from './bus.js';

/**
 * What the stream handler needs of the {@link SessionBus}. A bridge while stream.ts
 * still names the hub it used before the bus; to be removed once it takes a `SessionBus`.
 */
export type SessionHub = Pick<SessionBus, 'subscribe'>;
