import type { WacStrings } from './strings.js';

/** The languages built into the element. */
export type BuiltInLanguage = 'en' | 'es' | 'pt-BR';

// A bare "pt" (or pt-PT, pt-AO…) is closer to Brazilian Portuguese than to English.
const BASE_LANGUAGE: Readonly<Record<string, BuiltInLanguage>> = { en: 'en', es: 'es', pt: 'pt-BR' };

/**
 * Picks the built-in language for the first candidate that has one: an exact
 * tag (`pt-BR`), else its base language (`es-MX` → `es`, `pt-PT` → `pt-BR`).
 * Empty and unknown candidates are skipped; English is the last resort.
 *
 * @example
 * ```ts
 * resolveLanguage(['', 'es-MX', 'en']); // 'es'
 * resolveLanguage(['fr-FR']);           // 'en'
 * ```
 */
export function resolveLanguage(candidates: Iterable<string | null | undefined>): BuiltInLanguage {
  for (const candidate of candidates) {
    const tag = candidate?.trim().toLowerCase();
    if (!tag) continue;
    if (tag === 'pt-br') return 'pt-BR';
    const base = BASE_LANGUAGE[tag.split(/[-_]/)[0] ?? ''];
    if (base) return base;
  }
  return 'en';
}

/** `base` with `overrides` laid over them. */
export function withOverrides<T extends Partial<WacStrings>>(base: T, overrides?: Partial<WacStrings> | null): T {
  if (!overrides) return base;
  // An override counts only in the shape of the built-in value it replaces (a text, or a list
  // of texts): a key set to undefined/null, or to anything else a JSON file may hold, keeps the
  // built-in text rather than blanking or breaking it. A key the base does not have yet (the
  // linking texts before their chunk) takes either; render() lays the overrides again once it has.
  const isText = (value: unknown): value is string => typeof value === 'string';
  const given = Object.entries(overrides).filter(([key, value]) => {
    const builtIn: unknown = base[key as keyof T];
    const list = Array.isArray(value) && value.every(isText);
    return builtIn === undefined ? isText(value) || list : Array.isArray(builtIn) ? list : isText(value);
  });
  return given.length ? { ...base, ...Object.fromEntries(given) } : base;
}

/**
 * The `lang` of the nearest ancestor that has one, crossing shadow roots, or
 * `null`.
 */
export function inheritedLang(element: Element): string | null {
  // Duck-typed (nodeType, host) rather than instanceof: this also runs under
  // server-side DOM shims that define no Element or ShadowRoot.
  let node: Node | null = element.parentNode;
  while (node) {
    if (node.nodeType === 1) {
      const lang = (node as Element).getAttribute('lang');
      if (lang) return lang;
      node = node.parentNode;
    } else {
      node = (node as Partial<ShadowRoot>).host ?? null;
    }
  }
  return null;
}

/** The browser's preferred languages, or none outside a browser. */
export function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}
