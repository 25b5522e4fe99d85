#!/usr/bin/env node
/**
 * The `wac-postgres-migrate` command: see `runMigrateCli` for its options and exit statuses.
 *
 * @module
 */
import { runMigrateCli } from './migrate-cli.js';

process.exitCode = await runMigrateCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
