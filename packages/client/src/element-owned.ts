/**
 * `true` only in the element's standalone build (rollup.config.mjs,
 * scripts/rollup/element-owned-client.mjs), where every client (one per
 * endpoint and credentials) is created by the element itself, which passes an
 * endpoint, credentials, headers and a cadence only (never `trace`, `inspect`,
 * `autoStart` nor the tuning options of config.ts; client-source.ts holds it to
 * that with `satisfies`) and never listens to the client's `qr` event: the code
 * that serves those is then left out of the file a page downloads.
 * The client package, and any bundler that builds the element from it, keep it
 * `false` (everything in). Each use reads the flag itself (`ELEMENT_OWNED ?
 * undefined : config.trace`), not a resolved option: a minifier drops code only
 * where it sees the constant.
 *
 * @internal
 */
export const ELEMENT_OWNED: boolean = false;
