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
 * property (when it differs from what the last patch set, so a field keeps its
 * caret); `key` is not written: it tells apart two elements of one tag, part
 * and role (see {@link patch}).
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

/**
 * Marks the descriptions h() made. Only those become elements: any other value in
 * a child's place (an object from a JSON translation file, say) is text, so data
 * can never pose as a description and set `.innerHTML` or an `onerror` (JSON has
 * no symbol keys). A mark on the object, not a WeakSet: a WeakSet's table grows
 * with the most descriptions ever alive and stays that size.
 */
const DESCRIBED = Symbol();

/** Describes an element: `h('p', { part: 'reason' }, text)`. */
export function h(tag: string, props: Props | null, ...children: Child[]): Tag {
  return { tag, props: props ?? {}, children, [DESCRIBED]: true } as Tag;
}

const SVG = 'http://www.w3.org/2000/svg';
const HTML = 'http://www.w3.org/1999/xhtml';

/** Where patch() keeps, on each node it made, the node's last props (`{}` on a text node): also the mark that patch() made it. */
const APPLIED = Symbol();

/** A node as patch() sees it: its last props when patch() made it. */
type Made = Node & { [APPLIED]?: Props };

/**
 * Makes the children of `parent` match `children`, in place. A node is kept
 * when it can become the one wanted: text stays text, and an element stays
 * when its tag, `part`, `role` and `key` (a prop only patch() reads) match.
 * So the status region lives on, while an alert with another key is a new
 * node, which assistive technology announces. A match further on means the
 * nodes before it went away: they are removed, and the match (perhaps focused)
 * stays where it is. Anything else is created, what is left over removed, and
 * nodes patch() did not make (the `<style>` elements Lit adds where a browser
 * has no constructable stylesheets) are left alone.
 */
export function patch(parent: Element | DocumentFragment, children: readonly Child[]): void {
  let node = parent.firstChild;
  for (const wanted of (children as Child[]).flat(Infinity as 1) as unknown[]) {
    if (!wanted) continue;
    const child = (wanted as { [DESCRIBED]?: true })[DESCRIBED] ? (wanted as Tag) : String(wanted);
    let match = node;
    while (match && !fits(match, child)) match = match.nextSibling;
    if (match) removeUpTo(node, match);
    const next =
      match ??
      parent.insertBefore(
        typeof child === 'string' ? new Text() : document.createElementNS(child.tag === 'svg' ? SVG : ((parent as Element).namespaceURI ?? HTML), child.tag),
        node,
      );
    if (typeof child !== 'string') update(next as Element, child);
    else if (next.nodeValue !== child) next.nodeValue = child;
    (next as Made)[APPLIED] = typeof child === 'string' ? {} : child.props;
    node = next.nextSibling;
  }
  removeUpTo(node, null);
}

/** Removes the nodes patch() made from `node` up to `end` (excluded). */
function removeUpTo(node: ChildNode | null, end: ChildNode | null): void {
  while (node !== end) {
    const gone = node!;
    node = gone.nextSibling;
    if ((gone as Made)[APPLIED]) gone.remove();
  }
}

function fits(node: Node, child: Tag | string): boolean {
  const props = (node as Made)[APPLIED];
  if (!props) return false;
  if (typeof child === 'string') return node instanceof Text;
  const wanted = child.props;
  return (node as Element).localName === child.tag && props.part === wanted.part && props.role === wanted.role && props.key === wanted.key;
}

/** An attribute's text for a prop's value; `null`: absent. */
const attribute = (value: Props[string]) => (value === undefined || value === null || value === false ? null : value === true ? '' : String(value));

// The one listener of every element and event: it calls what the latest patch attached
// (adding it again is a no-op, so no bookkeeping of what listens).
function dispatch(this: Element, event: Event): void {
  ((this as Made)[APPLIED]?.[`@${event.type}`] as Listener | undefined)?.(event);
}

function update(element: Element, { props, children }: Tag): void {
  const before = (element as Made)[APPLIED] ?? {};
  for (const name in { ...before, ...props }) {
    const value = props[name];
    if (name === 'key') continue;
    if (name[0] === '@') {
      if (value) element.addEventListener(name.slice(1), dispatch);
    } else if (name[0] === '.') {
      // Compared with what the last patch set, not with the live value: a field filled
      // without an input event (an extension, a password manager) keeps what it holds.
      const target = element as unknown as Record<string, unknown>;
      if (value !== undefined && value !== before[name]) target[name.slice(1)] = value;
    } else {
      const text = attribute(value);
      if (text === null) element.removeAttribute(name);
      else if (element.getAttribute(name) !== text) element.setAttribute(name, text);
    }
  }
  patch(element, children);
}
