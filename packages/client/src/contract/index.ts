/**
 * The session contract shared by the client and the server package: answer
 * types, the tolerant parser, status normalization and typed errors. No dependencies.
 *
 * @module @whatsapp-connector/client/contract
 */
export * from './errors.js';
export * from './parse.js';
export * from './phone.js';
export * from './status.js';
export * from './types.js';
