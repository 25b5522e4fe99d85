import { ALL_CHECKS, type ConformanceCheck, type Verdict } from './checks/index.js';
import { createCheckContext, type CheckContext } from './context.js';
import { createHttpAgent, TransportError } from './http.js';
import type { CheckResult, ConformanceOptions, ConformanceReport } from './types.js';

const DEFAULTS = { timeoutMs: 10_000, settleMs: 15_000, pollIntervalMs: 500, phoneNumber: '5215512345678' };

/** `true` when `id` is selected by an include entry: the exact id or its group (`get`, `get.`). */
function selects(entry: string, id: string): boolean {
  const prefix = entry.endsWith('.') ? entry : `${entry}.`;
  return id === entry || id.startsWith(prefix);
}

/**
 * The checks an `include` list selects, in running order.
 *
 * @throws TypeError when an entry selects no check (a typo would otherwise pass silently).
 */
export function selectChecks(include: readonly string[] | undefined, checks: readonly ConformanceCheck[] = ALL_CHECKS): ConformanceCheck[] {
  if (!include || include.length === 0) return [...checks];
  for (const entry of include) {
    if (!checks.some((check) => selects(entry, check.id))) {
      throw new TypeError(`"${entry}" selects no check; known ids: ${checks.map((check) => check.id).join(', ')}`);
    }
  }
  return checks.filter((check) => include.some((entry) => selects(entry, check.id)));
}

async function runOne(check: ConformanceCheck, context: CheckContext, destructive: boolean): Promise<Verdict> {
  if (check.destructive && !destructive) return { outcome: 'skip', detail: 'changes the session: run with --destructive' };
  try {
    return await check.run(context);
  } catch (error) {
    if (error instanceof TransportError) return { outcome: 'fail', detail: error.message };
    return { outcome: 'fail', detail: `the check crashed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Runs the conformance checks against a backend implementing the session
 * contract and reports each outcome. Checks run one after another (several of them
 * depend on the session state left by the previous one). A backend's failures are
 * reported, never thrown.
 *
 * @throws TypeError for an invalid `url` or an `include` entry that selects nothing.
 *
 * @example
 * ```ts
 * import { runConformance } from '@whatsapp-connector/conformance';
 *
 * const report = await runConformance({
 *   url: 'http://localhost:3000/api/whatsapp/session',
 *   headers: { cookie: 'sid=…' },
 * });
 * if (report.failed > 0) console.table(report.results);
 * ```
 */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new TypeError(`not an absolute URL: ${JSON.stringify(options.url)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`not an http(s) URL: ${options.url}`);
  const checks = selectChecks(options.include);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const headers = { ...options.headers };
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const http = createHttpAgent({ url: url.href, headers, fetch: fetchImpl, timeoutMs });
  const context = createCheckContext({
    url: url.href,
    http,
    fetch: fetchImpl,
    headers,
    timeoutMs,
    settleMs: options.settleMs ?? DEFAULTS.settleMs,
    pollIntervalMs: options.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
    phoneNumber: options.phoneNumber ?? DEFAULTS.phoneNumber,
  });

  const results: CheckResult[] = [];
  for (const check of checks) {
    const verdict = await runOne(check, context, options.destructive === true);
    results.push({
      id: check.id,
      title: check.title,
      outcome: verdict.outcome,
      ...(verdict.detail === undefined ? {} : { detail: verdict.detail }),
    });
  }
  const count = (outcome: CheckResult['outcome']) => results.filter((result) => result.outcome === outcome).length;
  return { url: url.href, results, passed: count('pass'), failed: count('fail'), skipped: count('skip') };
}
