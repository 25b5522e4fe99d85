/** The rollup plugin that sets the client's ELEMENT_OWNED flag to `true` (the element's standalone build only). */
export declare function elementOwnedClient(): { name: string; load(id: string): string | null };
