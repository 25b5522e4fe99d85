import { parseCliArgs, USAGE, UsageError } from './cli-args.js';
import { formatReport } from './report.js';
import { runConformance } from './run.js';

/** Where the command writes (injectable for tests). */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The `fetch` used for the checks (defaults to the global one). */
  fetch?: typeof fetch;
}

/**
 * Runs `whatsapp-connector-conformance` with `argv` (the arguments after the
 * script) and resolves with the exit status: `0` all selected checks passed or
 * were skipped, `1` a check failed, `2` a usage error.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let request;
  try {
    request = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`whatsapp-connector-conformance: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (request.kind === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  let report;
  try {
    report = await runConformance(io.fetch ? { ...request.options, fetch: io.fetch } : request.options);
  } catch (error) {
    // runConformance only throws for options it cannot use (a URL, an --include typo).
    io.stderr(`whatsapp-connector-conformance: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  io.stdout(request.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.failed > 0 ? 1 : 0;
}
