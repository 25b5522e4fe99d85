/**
 * Node `http` / Express adapter of the Fetch handlers.
 *
 * @module @whatsapp-connector/server/node
 */
export { toNodeHandler, toFetchRequest, writeFetchResponse, getNodeRequest } from './node-adapter.js';
export type { NodeHandler } from './node-adapter.js';
