/**
 * The conformance kit of the whatsapp-connector session contract: documented
 * checks that any backend claiming to implement `GET` / `POST <endpoint>` can be
 * run against, programmatically or with the `whatsapp-connector-conformance` command.
 *
 * @packageDocumentation
 * @module @whatsapp-connector/conformance
 */
export { runConformance, selectChecks } from './run.js';
export { formatReport, formatSummary, type FormatOptions } from './report.js';
export { ALL_CHECKS, type ConformanceCheck, type Verdict } from './checks/index.js';
export type { CheckContext } from './context.js';
export type { Exchange, HttpAgent, RequestSpec } from './http.js';
export type { CheckOutcome, CheckResult, ConformanceOptions, ConformanceReport } from './types.js';
export {
  KNOWN_ERROR_CODES,
  KNOWN_WIRE_STATUSES,
  SCHEMA_DOCUMENT_ID,
  SESSION_CONTRACT_SCHEMAS,
  schemaDocument,
  schemaRef,
  type JsonSchema,
} from './schema.js';
