import { ACTION_CHECKS } from './actions.js';
import { auth401 } from './auth.js';
import type { ConformanceCheck } from './define.js';
import { ERROR_CHECKS } from './errors.js';
import { GET_CHECKS } from './get.js';
import { METHOD_CHECKS } from './method.js';
import { REQUEST_CHECKS } from './requests.js';
import { STREAM_CHECKS } from './stream.js';

/**
 * Every check of the kit in running order: read-only checks first, then the ones
 * that change the session (which run only when destructive checks are allowed).
 */
export const ALL_CHECKS: readonly ConformanceCheck[] = [
  ...GET_CHECKS,
  ...STREAM_CHECKS,
  ...REQUEST_CHECKS,
  ...METHOD_CHECKS,
  ...ERROR_CHECKS,
  auth401,
  ...ACTION_CHECKS,
];

export type { ConformanceCheck, Verdict } from './define.js';
