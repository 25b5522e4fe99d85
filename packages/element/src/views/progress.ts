import type { View, ViewContext } from './context.js';

/** `idle`, `loading`, `starting` and `checking`: a progress indicator with text. */
export function progressView(ctx: ViewContext): View {
  const { strings, snapshot } = ctx;
  const status =
    snapshot.phase === 'starting' ? strings.starting : snapshot.phase === 'checking' ? strings.checking : strings.loading;
  return { status, tone: 'progress', body: null };
}
