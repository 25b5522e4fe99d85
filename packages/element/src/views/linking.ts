import { h } from '../dom.js';
import { lazy } from '../lazy.js';
import type { View, ViewContext } from './context.js';
import { detail, spinner } from './parts.js';

/**
 * The linking view (QR, pairing form, phone input, their styles): its own chunk,
 * loaded when the session waits for a scan. A linked page never downloads it.
 */
export const LINKING_VIEW = lazy(() => import('../linking/view.js'));

/**
 * The QR drawing and its encoder: one chunk, loaded when a QR payload is first
 * due. Apart from the linking view, so that a backend's ready image and the
 * phone-number alternative work even when it cannot be loaded.
 */
export const QR_DRAWING = lazy(() => import('../qr.js'));

/** The linking view's module. */
export type LinkingModule = NonNullable<typeof LINKING_VIEW.value>;

/** The QR drawing's module. */
export type QrDrawing = NonNullable<typeof QR_DRAWING.value>;

/**
 * `qr`: the linking view once its chunk is there; until then a spinner, or an
 * alert while the chunk cannot be loaded (it is tried again on a backoff).
 */
export function qrPhaseView(ctx: ViewContext): View {
  const { strings, chunks } = ctx;
  if (chunks.linking) return chunks.linking.qrView(ctx);
  return {
    status: strings.qrTitle,
    tone: 'progress',
    body: chunks.linkingFailed ? detail(strings.qrUnavailable, 'alert') : h('p', { class: 'detail' }, spinner(), strings.qrPreparing),
  };
}
