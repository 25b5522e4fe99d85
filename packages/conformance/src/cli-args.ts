import { parseArgs } from 'node:util';
import type { ConformanceOptions } from './types.js';

/** The usage text of `whatsapp-connector-conformance`. */
export const USAGE = `Usage: whatsapp-connector-conformance <url> [options]

Checks that the session endpoint at <url> implements the whatsapp-connector
session contract (docs/openapi.yaml) and prints a pass/fail table.

Options:
  -H, --header "Name: value"  send this header with every request (repeatable);
                              give your credentials so auth.401 can try without them
  --destructive               also run checks that change the session
                              (reconnect, logout, change_number, request_code)
  --include <id|group>        only run these checks (repeatable), e.g. get, post.logout
  --timeout <ms>              longest wait for one answer (default 10000)
  --settle <ms>               longest wait for a status to settle (default 15000)
  --phone <digits>            phone number for request_code (default 5215512345678)
  --json                      print the report as JSON instead of a table
  -h, --help                  show this help

Exit status: 0 when every selected check passed or was skipped, 1 when any
failed, 2 for a usage error.`;

/** What the command line asks for. */
export type CliRequest =
  | { readonly kind: 'help' }
  | { readonly kind: 'run'; readonly options: ConformanceOptions; readonly json: boolean };

/** A command line that cannot be run; the message says why. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function parseHeader(raw: string): [string, string] {
  const colon = raw.indexOf(':');
  const name = colon > 0 ? raw.slice(0, colon).trim() : '';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new UsageError(`--header expects "Name: value", got ${JSON.stringify(raw)}`);
  }
  return [name, raw.slice(colon + 1).trim()];
}

function parseMs(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new UsageError(`${flag} expects a positive number of milliseconds, got ${JSON.stringify(raw)}`);
  return value;
}

/**
 * Parses the arguments of `whatsapp-connector-conformance` (without `node` and the script).
 *
 * @throws UsageError for unknown flags, a missing URL or malformed values.
 */
export function parseCliArgs(argv: readonly string[]): CliRequest {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        header: { type: 'string', short: 'H', multiple: true },
        destructive: { type: 'boolean' },
        include: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        settle: { type: 'string' },
        phone: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'the endpoint URL is missing' : `expected one URL, got ${positionals.length}`);
  }
  const url = positionals[0]!;
  if (!/^https?:\/\//i.test(url)) throw new UsageError(`expected an absolute http(s) URL, got ${JSON.stringify(url)}`);
  if (values.phone !== undefined && !/^[0-9]{8,15}$/.test(values.phone)) {
    throw new UsageError(`--phone expects 8 to 15 digits, got ${JSON.stringify(values.phone)}`);
  }
  const headers = Object.fromEntries((values.header ?? []).map(parseHeader));
  const timeoutMs = parseMs('--timeout', values.timeout);
  const settleMs = parseMs('--settle', values.settle);
  const options: ConformanceOptions = {
    url,
    headers,
    destructive: values.destructive === true,
    ...(values.include ? { include: values.include } : {}),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(settleMs === undefined ? {} : { settleMs }),
    ...(values.phone === undefined ? {} : { phoneNumber: values.phone }),
  };
  return { kind: 'run', options, json: values.json === true };
}
