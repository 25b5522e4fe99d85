/** How one check ended. `skip` means it could not apply (not an error). */
export type CheckOutcome = 'pass' | 'fail' | 'skip';

/** The result of one check, in the order the checks ran. */
export interface CheckResult {
  /** The stable check id, e.g. `get.shape` (see the README for the full list). */
  readonly id: string;
  /** A one-line description of what the check verifies. */
  readonly title: string;
  /** Whether the backend passed, failed, or the check did not apply. */
  readonly outcome: CheckOutcome;
  /** Why it failed or was skipped (or a useful note on a pass). Plain text. */
  readonly detail?: string;
}

/** Everything {@link runConformance} found. */
export interface ConformanceReport {
  /** The endpoint URL that was checked. */
  readonly url: string;
  /** One result per check that was selected, in running order. */
  readonly results: readonly CheckResult[];
  /** How many checks passed. */
  readonly passed: number;
  /** How many checks failed. */
  readonly failed: number;
  /** How many checks were skipped (not applicable, extension absent, destructive not allowed). */
  readonly skipped: number;
}

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /** The absolute URL of the session endpoint, e.g. `http://localhost:3000/api/whatsapp/session`. */
  url: string;
  /**
   * Headers sent with every request (credentials such as `Cookie` or
   * `Authorization`). When present, `auth.401` repeats a request without them
   * and expects `401`.
   */
  headers?: Record<string, string>;
  /** The `fetch` to use (defaults to the global one). */
  fetch?: typeof fetch;
  /**
   * Only run these checks: exact ids (`get.shape`) or group prefixes (`get`,
   * `post.`). Unselected checks are left out of the report.
   */
  include?: string[];
  /**
   * Also run the checks that change the session (`reconnect`, `logout`,
   * `change_number`, `request_code`). Off by default: they unlink the phone.
   */
  destructive?: boolean;
  /** The longest wait for one HTTP answer, in milliseconds (default 10 000). */
  timeoutMs?: number;
  /**
   * How long checks that need a particular status (a QR, a fresh session after an
   * action) keep polling `GET` for it, in milliseconds (default 15 000).
   */
  settleMs?: number;
  /** The pause between those polls, in milliseconds (default 500). */
  pollIntervalMs?: number;
  /** The phone number sent with `request_code` (default `5215512345678`). */
  phoneNumber?: string;
}
