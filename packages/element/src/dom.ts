// The element's rendering: views describe the DOM they want with `h()`, and
// `patch()` brings a container's children in line with that description. It
// replaces lit-html, whose template engine was the largest part of the widget a
// connected page downloads (2.7 of its 18.4 KB min+gzip) while the views need
// only elements, text, attributes, a property and listeners. Everything goes
// through createElement / setAttribute / Text nodes: a server string is always
// text, never markup, and nothing needs `unsafe-inline` or `unsafe-eval`.

/** A listener a view attaches with an `@event` key. */
export type Listener = (event: Event) => void;

/**
 * What `h()` takes besides the tag. A key is an attribute name, whose value
 * sets it (`true`: present and empty; `false`, `null`, `undefined`: absent);
 * `@name` adds a listener for the `name` event; `.name` sets the `name`
 * property (when it differs, so a field keeps its caret).
 */
export type Props = Readonly<Record<string, string | number | boolean | null | undefined | Listener>>;

/** An element a view wants: its tag, {@link Props} and children. */
export interface Tag {
  /** The element's local name (`svg` and what it holds are SVG elements). */
  readonly tag: string;
  /** Its attributes, listeners and properties. */
  readonly props: Props;
  /** Its content. */
  readonly children: readonly Child[];
}

/** What a view may render: an element, text, nothing (`null`, `undefined`, `false`, `''`), or a list of these. */
export type Child = Tag | string | null | undefined | false | readonly Child[];

/** Describes an element: `h('p', { part: 'reason' }, text)`. */
export const h = (tag: string, props: Props | null, ...children: Child[]): Tag => ({ tag, props: props ?? {}, children });

const SVG = 'http://www.w3.org/2000/svg';
const HTML = 'http://www.w3.org/1999/xhtml';

/** The props each element was last patched with. */
const applied = new WeakMap<Element, Props>();

/**
 * Makes the children of `parent` match `children`, in place. A node is kept
 * when it can become the one wanted at its position: text stays text, and an
 * element stays when its tag, `part` and `role` match (so the status region
 * lives on, while an alert is a new node, which assistive technology
 * announces). Anything else is created, and what is left over removed.
 */
export function patch(parent: Element | DocumentFragment, children: readonly Child[]): void {
  let node = parent.firstChild;
  for (const child of (children as Child[]).flat(Infinity as 1) as (Tag | string | null | undefined | false)[]) {
    if (!child) continue;
    let next: Node;
    if (typeof child === 'string') {
      next = node instanceof Text ? node : parent.insertBefore(new Text(), node);
      if (next.nodeValue !== child) next.nodeValue = child;
    } else {
      const old = node;
      next =
        old instanceof Element && old.localName === child.tag && ['part', 'role'].every((name) => old.getAttribute(name) === attribute(child.props[name]))
          ? old
          : parent.insertBefore(document.createElementNS(child.tag === 'svg' ? SVG : ((parent as Element).namespaceURI ?? HTML), child.tag), old);
      update(next as Element, child);
    }
    node = next.nextSibling;
  }
  while (node) {
    const next = node.nextSibling;
    node.remove();
    node = next;
  }
}

/** An attribute's text for a prop's value; `null`: absent. */
const attribute = (value: Props[string]) => (value === undefined || value === null || value === false ? null : value === true ? '' : String(value));

// The one listener of every element and event: it calls what the latest patch attached
// (adding it again is a no-op, so no bookkeeping of what listens).
function dispatch(this: Element, event: Event): void {
  (applied.get(this)?.[`@${event.type}`] as Listener | undefined)?.(event);
}

function update(element: Element, { props, children }: Tag): void {
  for (const name in { ...applied.get(element), ...props }) {
    const value = props[name];
    if (name[0] === '@') {
      if (value) element.addEventListener(name.slice(1), dispatch);
    } else if (name[0] === '.') {
      const target = element as unknown as Record<string, unknown>;
      const key = name.slice(1);
      if (value !== undefined && target[key] !== value) target[key] = value;
    } else {
      const text = attribute(value);
      if (text === null) element.removeAttribute(name);
      else if (element.getAttribute(name) !== text) element.setAttribute(name, text);
    }
  }
  applied.set(element, props);
  patch(element, children);
}
