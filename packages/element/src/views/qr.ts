import { html, nothing } from 'lit';
import { encodeQr, isSafeQrImage, renderQrMatrix } from '../qr.js';
import type { Renderable, View, ViewContext } from './context.js';
import { actions, button, qrLayout, qrPlaceholder, spinner, steps } from './parts.js';

/**
 * `qr`: the QR with instructions, or the phone-number flow. This module, the
 * drawing and the encoder are one chunk, loaded when a session first needs a
 * code (see index.ts): a linked session never downloads them.
 */
export function qrView(ctx: ViewContext): View {
  const { strings, pairing, snapshot } = ctx;
  if (pairing.mode === 'phone') {
    const code = snapshot.pairingCode;
    return code
      ? {
          status: strings.pairingTitle,
          tone: 'progress',
          body: html`<p part="pairing-code" class="pairing-code">${code}</p>${steps(strings.pairingSteps)}${actions(useQr(ctx))}`,
        }
      : { status: strings.qrTitle, tone: 'progress', body: phoneForm(ctx) };
  }
  const { qr, qrImage } = snapshot;
  // null: the payload cannot be encoded (too long for a QR code).
  const matrix = qr ? encodeQr(qr) : null;
  const image = !qr && isSafeQrImage(qrImage) ? qrImage : null;
  let code: Renderable = nothing;
  if (matrix) code = renderQrMatrix(matrix, strings.qrAlt);
  else if (image) code = html`<img part="qr-code" class="qr-code" src=${image} alt=${strings.qrAlt} />`;
  else if (qr) code = qrPlaceholder(strings, true);
  return {
    status: strings.qrTitle,
    tone: 'progress',
    body: html`${qrLayout(code, strings)}${actions(
      button(ctx, { label: strings.usePhoneInstead, variant: 'link', part: 'use-phone', onClick: () => pairing.setMode('phone') }),
    )}`,
    shownQr: matrix ? { qr, qrImage: null } : image ? { qr: null, qrImage: image } : null,
  };
}

function useQr(ctx: ViewContext) {
  return button(ctx, { label: ctx.strings.useQrInstead, variant: 'link', part: 'use-qr', onClick: () => ctx.pairing.setMode('qr') });
}

function phoneForm(ctx: ViewContext) {
  const { strings, pairing, busy } = ctx;
  const running = busy === 'request_code';
  return html`<form part="phone-form" class="phone-form" novalidate @submit=${pairing.submit}>
<label for="phone-input">${strings.phoneLabel}</label>
<input id="phone-input" part="input" name="phone" type="tel" inputmode="tel" autocomplete="tel" required .value=${pairing.input} aria-invalid=${pairing.invalid} aria-describedby=${pairing.invalid ? 'phone-hint phone-error' : 'phone-hint'} @input=${(event: Event) => pairing.setInput((event.target as HTMLInputElement).value)} />
<p id="phone-hint" class="hint">${strings.phoneHint}</p>
${pairing.invalid ? html`<p id="phone-error" class="field-error" role="alert">${strings.phoneInvalid}</p>` : nothing}
<div part="actions" class="actions"><button type="submit" part="button request-code" class="button primary" ?disabled=${busy !== null} aria-busy=${running} data-action="request_code">${running ? spinner : nothing}${strings.requestCode}</button>${useQr(ctx)}</div>
</form>`;
}
