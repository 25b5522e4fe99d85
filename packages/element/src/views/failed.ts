import type { View, ViewContext } from './context.js';
import { actions, alert, button } from './parts.js';

/** `failed`: the reason, Link WhatsApp (reconnect) and Change number. */
export function failedView(ctx: ViewContext): View {
  const { strings, snapshot } = ctx;
  return {
    status: strings.failedTitle,
    tone: 'error',
    body: [
      alert(strings.failedDetail, snapshot.error?.code === 'session_failed' ? snapshot.error.serverMessage : null, { key: 'failed' }),
      actions(
        button(ctx, { label: strings.linkWhatsApp, variant: 'primary', action: 'reconnect', part: 'reconnect' }),
        button(ctx, { label: strings.changeNumber, action: 'change_number', part: 'change-number' }),
      ),
    ],
  };
}
