import type { View, ViewContext } from './context.js';
import { actions, alert, button, describeError } from './parts.js';

/** `unreachable` / `unauthorized`: the error in plain words and Try again. */
export function problemView(ctx: ViewContext): View {
  const { strings, snapshot } = ctx;
  const unauthorized = snapshot.phase === 'unauthorized';
  const error = snapshot.error;
  const showServerWords = error?.code === 'http' || error?.code === 'unauthorized';
  return {
    status: unauthorized ? strings.unauthorizedTitle : strings.unreachableTitle,
    tone: 'error',
    body: [
      alert(unauthorized ? strings.unauthorizedDetail : describeError(error, strings), showServerWords ? error?.serverMessage : null, { key: snapshot.phase }),
      actions(button(ctx, { label: strings.tryAgain, variant: 'primary', action: 'refresh', part: 'try-again' })),
    ],
  };
}
