import { html, nothing } from 'lit';
import { lazy } from '../lazy.js';
import type { Renderable, View, ViewContext } from './context.js';
import { actions, button, spinner, steps } from './parts.js';

/**
 * The QR drawing and its encoder: one chunk, loaded when a QR payload is first
 * due (a linked session never downloads it). The rest of this view stays in the
 * main file, so that a backend's ready image and the phone-number alternative
 * work even when the chunk cannot be loaded.
 */
export const QR_DRAWING = lazy(() => import('../qr.js'));

const SAFE_QR_IMAGE = /^data:image\/(?:png|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/;

/** `true` only for a base64 PNG or SVG data URL (nothing that could run or fetch). */
export function isSafeQrImage(url: string | null | undefined): url is string {
  return typeof url === 'string' && SAFE_QR_IMAGE.test(url);
}

/** `qr`: the QR (drawn once its chunk is loaded) with instructions, or the phone-number flow. */
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
  const drawing = QR_DRAWING.value;
  // undefined: no payload, or the drawing is still loading; null: it cannot be drawn.
  const matrix = qr && drawing ? drawing.encodeQr(qr) : undefined;
  const image = !qr && isSafeQrImage(qrImage) ? qrImage : null;
  let code: Renderable;
  if (matrix && drawing) code = drawing.renderQrMatrix(matrix, strings.qrAlt);
  else if (image) code = html`<img part="qr-code" class="qr-code" src=${image} alt=${strings.qrAlt} />`;
  else if (matrix === null || (qr && ctx.encoderUnavailable)) code = html`<p class="qr-placeholder" role="alert">${strings.qrUnavailable}</p>`;
  // Also without any payload: WAHA rotated the QR between two calls, the next poll brings it.
  else code = html`<p class="qr-placeholder"><span class="spinner" aria-hidden="true"></span>${strings.qrPreparing}</p>`;
  return {
    status: strings.qrTitle,
    tone: 'progress',
    body: html`<div class="qr-layout"><div part="qr" class="qr">${code}</div>${steps(strings.qrSteps)}</div>${actions(
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
