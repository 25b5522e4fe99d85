import type { VisibilitySource } from './options.js';

/** A visibility source for environments without pages (Node, workers): always visible. */
export const alwaysVisible: VisibilitySource = Object.freeze({
  isVisible: () => true,
  subscribe: () => () => {},
});

/** The part of `Document` the visibility source reads. */
export interface VisibilityDocument {
  /** `'visible'`, `'hidden'`… */
  readonly visibilityState: string;
  /** Listens to `visibilitychange`. */
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  /** Stops listening to `visibilitychange`. */
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

/**
 * A {@link VisibilitySource} over a document's `visibilityState` and
 * `visibilitychange` event. Without a document (Node, workers) it is
 * {@link alwaysVisible}. Listeners hear only real changes.
 *
 * @param doc The document to watch. Default: the global `document`, when there is one.
 */
export function documentVisibility(doc: VisibilityDocument | undefined = globalThis.document): VisibilitySource {
  if (typeof doc?.addEventListener !== 'function') return alwaysVisible;
  const isVisible = () => doc.visibilityState !== 'hidden';
  return {
    isVisible,
    subscribe(listener) {
      let last = isVisible();
      const onChange = () => {
        if (last !== (last = isVisible())) listener(last);
      };
      doc.addEventListener('visibilitychange', onChange);
      return () => doc.removeEventListener('visibilitychange', onChange);
    },
  };
}
