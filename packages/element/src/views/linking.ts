import { lazy } from '../lazy.js';
import type { View, ViewContext } from './context.js';
import { failedView } from './failed.js';
import { detail, spinner } from './parts.js';
import { progressView } from './progress.js';

/**
 * The linking view (QR, pairing form, phone input, passkey confirmation, an
 * expired code; their styles and texts): its own chunk, loaded in the
 * {@link LINKING_PHASES}. A linked page never downloads it.
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

/** The phases the linking view shows: a QR or pairing code to enter, the phone's confirmation, a code that expired. */
export const LINKING_PHASES: ReadonlySet<string> = new Set(['qr', 'passkey', 'qr-expired']);

/**
 * The {@link LINKING_PHASES}: the linking view once its chunk is there; until
 * then a spinner, or while the chunk cannot be loaded (it is tried again on a
 * backoff) an alert for a QR, the failed view's reconnect for an expired code.
 */
export function linkingPhaseView(ctx: ViewContext): View {
  const { strings, chunks, snapshot } = ctx;
  if (chunks.linking) return chunks.linking.linkingView(ctx);
  // Without the chunk, in base texts: an expired code (FAILED, polling stopped) keeps its way
  // out, reconnect, as the failed view offers it; passkey waits for the phone and the chunk.
  if (snapshot.phase !== 'qr') return chunks.linkingFailed && snapshot.phase === 'qr-expired' ? failedView(ctx) : progressView(ctx);
  return {
    status: strings.qrTitle,
    tone: 'progress',
    body: chunks.linkingFailed ? detail(strings.qrUnavailable, { role: 'alert' }) : detail([spinner(), strings.qrPreparing]),
  };
}
