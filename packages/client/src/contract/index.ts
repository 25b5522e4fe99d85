/**
 * The session contract shared by the client and the server package: answer
 * types, status normalization and typed errors. No dependencies.
 *
 * @module
 */
export * from './errors.js';
export * from './status.js';
export * from './types.js';
