import { isSafeQrImage, parsePhoneNumber } from '@whatsapp-connector/client';
import { h, type Child, type Tag } from '../dom.js';
import type { View, ViewContext } from '../views/context.js';
import { actions, button, detail, reconnectPrompt, spinner } from '../views/parts.js';

import { enLinking } from '../i18n/linking/en.js';
import { esLinking } from '../i18n/linking/es.js';
import { ptBRLinking } from '../i18n/linking/pt-BR.js';
import type { BuiltInLanguage } from '../i18n/resolve.js';
import type { WacLinkingStrings } from '../i18n/strings.js';

export { linkingStyles as styles } from './styles.js';

/**
 * The linking view's texts in every built-in language, in this chunk: the three
 * gzip to 0.4 KB less than three chunks of their own and need no second request
 * (a page that shows the linking view downloads about 0.35 KB more).
 */
export const texts: Readonly<Record<BuiltInLanguage, WacLinkingStrings>> = { en: enLinking, es: esLinking, 'pt-BR': ptBRLinking };

/** Numbered instructions. */
function steps(items: readonly string[]): Tag {
  return h('ol', { part: 'instructions', class: 'steps' }, items.map((item) => h('li', null, item)));
}

/** The view of a linking phase (see views/linking.ts `LINKING_PHASES`). */
export function linkingView(ctx: ViewContext): View {
  const { strings, snapshot } = ctx;
  switch (snapshot.phase) {
    // The phone must confirm.
    case 'passkey':
      return { status: strings.passkeyTitle, tone: 'progress', body: detail(strings.passkeyDetail) };
    // A calm "the code expired" and one click to a new code.
    case 'qr-expired':
      return reconnectPrompt(ctx, strings.expiredTitle, strings.expiredDetail, strings.showNewCode);
    default:
      return qrView(ctx);
  }
}

/** `qr`: the QR (drawn once its chunk is loaded) with instructions, or the phone-number flow. */
function qrView(ctx: ViewContext): View {
  const { strings, local, snapshot, chunks } = ctx;
  if (local.pairing === 'phone') {
    const code = snapshot.pairingCode;
    return code
      ? {
          status: strings.pairingTitle,
          tone: 'progress',
          body: [h('p', { part: 'pairing-code', class: 'pairing-code' }, code), steps(strings.pairingSteps), actions(useQr(ctx))],
        }
      : { status: strings.qrTitle, tone: 'progress', body: phoneForm(ctx) };
  }
  const { qr, qrImage } = snapshot;
  const drawing = chunks.drawing;
  // undefined: no payload, or the drawing is still loading; null: it cannot be drawn.
  const matrix = qr && drawing ? drawing.encodeQr(qr) : undefined;
  const image = !qr && isSafeQrImage(qrImage) ? qrImage : null;
  let code: Child;
  if (matrix && drawing) code = drawing.renderQrMatrix(matrix, strings.qrAlt);
  else if (image) code = h('img', { part: 'qr-code', class: 'qr-code', src: image, alt: strings.qrAlt });
  else if (matrix === null || (qr && chunks.encoderUnavailable)) code = h('p', { class: 'qr-placeholder', role: 'alert' }, strings.qrUnavailable);
  // Also without any payload: WAHA rotated the QR between two calls, the next poll brings it.
  else code = h('p', { class: 'qr-placeholder' }, spinner(), strings.qrPreparing);
  return {
    status: strings.qrTitle,
    tone: 'progress',
    body: [
      h('div', { class: 'qr-layout' }, h('div', { part: 'qr', class: 'qr' }, code), steps(strings.qrSteps)),
      actions(button(ctx, { label: strings.usePhoneInstead, variant: 'link', part: 'use-phone', onClick: () => switchTo(ctx, 'phone') })),
    ],
    shownQr: matrix ? { qr, qrImage: null } : image ? { qr: null, qrImage: image } : null,
  };
}

function switchTo(ctx: ViewContext, pairing: 'qr' | 'phone'): void {
  ctx.dismissError();
  ctx.set({ pairing }, pairing === 'qr' ? '[part~="use-phone"]' : ctx.snapshot.pairingCode ? '[part~="use-qr"]' : '#phone-input');
}

function useQr(ctx: ViewContext) {
  return button(ctx, { label: ctx.strings.useQrInstead, variant: 'link', part: 'use-qr', onClick: () => switchTo(ctx, 'qr') });
}

function submit(ctx: ViewContext, event: Event): void {
  event.preventDefault();
  if (ctx.busy) return;
  // What the field holds, also when something filled it without an input event.
  const digits = parsePhoneNumber(new FormData(event.target as HTMLFormElement).get('phone') as string);
  if (digits === null) ctx.set({ invalid: true }, '#phone-input');
  else ctx.requestCode(digits);
}

function phoneForm(ctx: ViewContext): Tag {
  const { strings, local } = ctx;
  return h(
    'form',
    { part: 'phone-form', class: 'phone-form', novalidate: true, '@submit': (event) => submit(ctx, event) },
    h('label', { for: 'phone-input' }, strings.phoneLabel),
    h('input', {
      id: 'phone-input',
      part: 'input',
      name: 'phone',
      type: 'tel',
      inputmode: 'tel',
      autocomplete: 'tel',
      required: true,
      '.value': local.input,
      'aria-invalid': String(local.invalid),
      'aria-describedby': local.invalid ? 'phone-hint phone-error' : 'phone-hint',
      '@input': (event) => ctx.set({ input: (event.target as HTMLInputElement).value, invalid: false }),
    }),
    detail(strings.phoneHint, { id: 'phone-hint' }),
    local.invalid && h('p', { id: 'phone-error', class: 'field-error', role: 'alert' }, strings.phoneInvalid),
    actions(button(ctx, { label: strings.requestCode, variant: 'primary', part: 'request-code', submit: true, action: 'request_code' }), useQr(ctx)),
  );
}
