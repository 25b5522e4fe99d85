import { h, type Child, type Tag } from '../dom.js';
import type { View, ViewContext } from './context.js';
import { connectedView, reconnectingView } from './connected.js';
import { failedView } from './failed.js';
import { LINKING_PHASES, linkingPhaseView } from './linking.js';
import { problemView } from './problem.js';
import { progressView } from './progress.js';

/** The view of the snapshot's phase; a phase this version does not know shows progress. */
export function viewFor(ctx: ViewContext): View {
  const { phase } = ctx.snapshot;
  if (LINKING_PHASES.has(phase)) return linkingPhaseView(ctx);
  switch (phase) {
    case 'connected':
      return connectedView(ctx);
    case 'reconnecting':
      return reconnectingView(ctx);
    case 'failed':
      return failedView(ctx);
    case 'unreachable':
    case 'unauthorized':
      return problemView(ctx);
    default:
      return progressView(ctx);
  }
}

/** What shows for the moment the language chunk takes to arrive: a spinner, no text. */
export const WAITING_FOR_TEXTS: View = { status: '', tone: 'progress', body: null };

/** The status line (a persistent `role="status"` region): a spinner or a colored dot, then the text. */
function statusLine(view: View): Tag {
  return h(
    'p',
    { part: 'status', class: `status tone-${view.tone}`, role: 'status', tabindex: '-1' },
    h('span', { class: view.tone === 'progress' ? 'spinner' : 'dot', 'aria-hidden': 'true' }),
    h('span', null, view.status),
  );
}

/** The card around everything: the status line, the phase's body, then an action's alert; busy while the texts are on their way. */
export function card(phase: string, view: View, alert: Child): Tag {
  return h('div', { part: 'base', class: 'base', 'data-phase': phase, 'aria-busy': view === WAITING_FOR_TEXTS && 'true' }, statusLine(view), view.body, alert);
}
