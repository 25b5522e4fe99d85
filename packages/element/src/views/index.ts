import type { View, ViewContext } from './context.js';
import { connectedView, reconnectingView } from './connected.js';
import { expiredView, failedView } from './failed.js';
import { problemView } from './problem.js';
import { passkeyView, progressView } from './progress.js';
import { lazy } from '../lazy.js';
import { qrLayout, qrPlaceholder } from './parts.js';

/** The `qr` phase's view, drawing and encoder: one chunk, loaded when a code is first due. */
export const QR_PHASE = lazy(() => import('./qr.js'));

/**
 * `qr` while its chunk loads (or after it failed to: `encoderUnavailable`): the
 * QR box with a placeholder, so that the layout does not jump when the code appears.
 */
function qrPendingView(ctx: ViewContext): View {
  const { strings } = ctx;
  return { status: strings.qrTitle, tone: 'progress', body: qrLayout(qrPlaceholder(strings, ctx.encoderUnavailable), strings) };
}

/** The view of the snapshot's phase; a phase this version does not know shows progress. */
export function viewFor(ctx: ViewContext): View {
  switch (ctx.snapshot.phase) {
    case 'qr':
      return QR_PHASE.value?.qrView(ctx) ?? qrPendingView(ctx);
    case 'passkey':
      return passkeyView(ctx);
    case 'connected':
      return connectedView(ctx);
    case 'reconnecting':
      return reconnectingView(ctx);
    case 'failed':
      return failedView(ctx);
    case 'qr-expired':
      return expiredView(ctx);
    case 'unreachable':
    case 'unauthorized':
      return problemView(ctx);
    default:
      return progressView(ctx);
  }
}
