/**
 * `true` only in the element's standalone build (rollup.config.mjs,
 * scripts/rollup/element-owned-client.mjs), where the one client is created by
 * the element itself, which never passes `trace`, `inspect` or `autoStart`: the
 * code that serves those options is then left out of the file a page downloads.
 * The client package, and any bundler that builds the element from it, keep it
 * `false` (everything in).
 *
 * @internal
 */
export const ELEMENT_OWNED: boolean = false;
