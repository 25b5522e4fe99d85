// A JSX factory in the Preact / Solid style, for `npm run typecheck` only: its
// JSX.IntrinsicElements extends the element's WhatsAppConnectorIntrinsicElements, the
// way an application merges them into preact's or solid-js's JSX namespace. TSX that
// says `@jsx h` (classic runtime) is checked against `h.JSX`, not React's.
import type { WhatsAppConnectorIntrinsicElements } from '@whatsapp-connector/element';

/** A virtual node: only its type matters here. */
export interface VNode {
  readonly type: string;
  readonly props: unknown;
}

/** Makes a virtual node (never called: the fixture is type-checked, not run). */
export function h(type: string, props: unknown, ...children: unknown[]): VNode {
  return { type, props: { ...(props as object), children } };
}

export namespace h {
  export namespace JSX {
    export type Element = VNode;
    export interface ElementChildrenAttribute {
      children: unknown;
    }
    export interface IntrinsicElements extends WhatsAppConnectorIntrinsicElements {
      div: { class?: string; children?: unknown };
    }
  }
}
