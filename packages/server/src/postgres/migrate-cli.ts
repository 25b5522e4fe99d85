import { checkSchema, migrate, SCHEMA_VERSION } from './migrate.js';
import type { PgPool } from './pg.js';

/** Where the command writes, and how it reaches PostgreSQL (injectable for tests). */
export interface MigrateCliIo {
  /** Normal output. */
  stdout: (text: string) => void;
  /** Errors and usage. */
  stderr: (text: string) => void;
  /** The environment (`DATABASE_URL`). */
  env: Record<string, string | undefined>;
  /** Opens a pool on a connection string (default: node-postgres, loaded on demand). */
  openPool?: (connectionString: string) => Promise<PgPool & { end(): Promise<void> }>;
}

const USAGE = `Usage: wac-postgres-migrate [--check] [--schema <name>] [--database-url <url>]

Creates or upgrades the tables of @whatsapp-connector/server/postgres (schema
version ${SCHEMA_VERSION}) in the database of DATABASE_URL. Running it again changes nothing.

  --check              only check that the tables are at version ${SCHEMA_VERSION} (exit 1 if not)
  --schema <name>      the PostgreSQL schema of the tables (default: the search_path)
  --database-url <url> instead of DATABASE_URL
`;

async function defaultPool(connectionString: string): Promise<PgPool & { end(): Promise<void> }> {
  let pg: { default: { Pool: new (config: { connectionString: string; max: number }) => PgPool & { end(): Promise<void> } } };
  try {
    pg = (await import('pg')) as unknown as typeof pg;
  } catch {
    throw new Error('node-postgres is not installed: npm install pg');
  }
  return new pg.default.Pool({ connectionString, max: 1 });
}

/** Runs `wac-postgres-migrate` with `args`; resolves the exit status (0 done, 1 failed, 2 usage). */
export async function runMigrateCli(args: readonly string[], io: MigrateCliIo): Promise<number> {
  let check = false;
  let schema: string | undefined;
  let url = io.env.DATABASE_URL;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--help' || arg === '-h') {
      io.stdout(USAGE);
      return 0;
    }
    if (arg === '--check') check = true;
    else if (arg === '--schema' && args[index + 1]) schema = args[++index];
    else if (arg === '--database-url' && args[index + 1]) url = args[++index];
    else {
      io.stderr(`Unknown argument: ${arg}\n\n${USAGE}`);
      return 2;
    }
  }
  if (!url) {
    io.stderr(`Set DATABASE_URL (or pass --database-url).\n\n${USAGE}`);
    return 2;
  }
  let pool: (PgPool & { end(): Promise<void> }) | undefined;
  try {
    pool = await (io.openPool ?? defaultPool)(url);
    const options = { pool, ...(schema === undefined ? {} : { schema }) };
    if (check) {
      await checkSchema(options);
      io.stdout(`The tables are at version ${SCHEMA_VERSION}.\n`);
    } else {
      const result = await migrate(options);
      io.stdout(
        result.applied.length === 0
          ? `The tables are at version ${result.to}: nothing to do.\n`
          : `Migrated the tables from version ${result.from} to ${result.to}.\n`,
      );
    }
    return 0;
  } catch (error) {
    // The message never includes the connection string (it may carry a password).
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await pool?.end().catch(() => {});
  }
}
