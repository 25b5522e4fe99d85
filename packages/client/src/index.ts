/**
 * The headless WhatsApp session client.
 *
 * @packageDocumentation
 */
export * from './contract/index.js';
export type * from './snapshot.js';
export type * from './options.js';
export type * from './client-types.js';
