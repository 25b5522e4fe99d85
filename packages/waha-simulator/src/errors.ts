/** Why a control call on the simulator was refused. */
export type SimulatorErrorCode =
  /** No session with that name. */
  | 'SESSION_NOT_FOUND'
  /** A session with that name already exists. */
  | 'SESSION_EXISTS'
  /** The name does not match `^[a-zA-Z0-9_-]*$` or is longer than 54 characters. */
  | 'INVALID_NAME'
  /** The session is not in the status the action needs (e.g. `scan` outside SCAN_QR_CODE). */
  | 'INVALID_STATUS'
  /** An argument is out of range (e.g. a negative latency). */
  | 'INVALID_ARGUMENT';

/**
 * The typed error thrown by the simulator's control methods (`scan`, `unlink`, …).
 * Over HTTP the control routes turn it into a 404 (unknown session) or 422 JSON answer.
 *
 * @example
 * ```ts
 * try { sim.scan('default'); } catch (e) { if (isSimulatorError(e) && e.code === 'INVALID_STATUS') … }
 * ```
 */
export class SimulatorError extends Error {
  override readonly name = 'SimulatorError';
  /** Machine-readable reason. */
  readonly code: SimulatorErrorCode;
  /** The session concerned, when there is one. */
  readonly session: string | undefined;
  /** The session's status when the action was refused (for `INVALID_STATUS`). */
  readonly status: string | undefined;
  /** The statuses the action would have accepted (for `INVALID_STATUS`). */
  readonly expected: readonly string[] | undefined;

  constructor(
    code: SimulatorErrorCode,
    message: string,
    details: { session?: string; status?: string; expected?: readonly string[] } = {},
  ) {
    super(message);
    this.code = code;
    this.session = details.session;
    this.status = details.status;
    this.expected = details.expected;
  }
}

/** True for a {@link SimulatorError}, also across module copies (checks the name, not only `instanceof`). */
export function isSimulatorError(value: unknown): value is SimulatorError {
  return value instanceof SimulatorError || (value instanceof Error && value.name === 'SimulatorError' && 'code' in value);
}
