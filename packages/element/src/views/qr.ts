import { html, nothing } from 'lit';
import type { View, ViewContext } from './context.js';
import { actions, button, steps } from './parts.js';

/** `qr`: the QR with instructions, or the phone-number flow. */
export function qrView(ctx: ViewContext): View {
  const { strings, pairing, snapshot } = ctx;
  if (pairing.mode === 'phone') {
    return snapshot.pairingCode ? pairingCodeView(ctx, snapshot.pairingCode) : phoneFormView(ctx);
  }
  return {
    status: strings.qrTitle,
    tone: 'progress',
    body: html`<div class="qr-layout">
        <div part="qr" class="qr">${ctx.qrCode}</div>
        ${steps(strings.qrSteps)}
      </div>
      ${actions(button(ctx, { label: strings.usePhoneInstead, variant: 'link', part: 'use-phone', onClick: () => pairing.setMode('phone') }))}`,
  };
}

function phoneFormView(ctx: ViewContext): View {
  const { strings, pairing } = ctx;
  const running = ctx.busy === 'request_code';
  return {
    status: strings.qrTitle,
    tone: 'progress',
    body: html`<form part="phone-form" class="phone-form" novalidate @submit=${pairing.submit}>
      <label for="phone-input">${strings.phoneLabel}</label>
      <input
        id="phone-input"
        part="input"
        name="phone"
        type="tel"
        inputmode="tel"
        autocomplete="tel"
        required
        .value=${pairing.input}
        aria-invalid=${pairing.invalid ? 'true' : 'false'}
        aria-describedby=${pairing.invalid ? 'phone-hint phone-error' : 'phone-hint'}
        @input=${(event: Event) => pairing.setInput((event.target as HTMLInputElement).value)}
      />
      <p id="phone-hint" class="hint">${strings.phoneHint}</p>
      ${pairing.invalid ? html`<p id="phone-error" class="field-error" role="alert">${strings.phoneInvalid}</p>` : nothing}
      <div part="actions" class="actions">
        <button
          type="submit"
          part="button request-code"
          class="button primary"
          ?disabled=${ctx.busy !== null}
          aria-busy=${running ? 'true' : 'false'}
          data-action="request_code"
        >${running ? html`<span class="spinner small" aria-hidden="true"></span>` : nothing}${strings.requestCode}</button>
        ${button(ctx, { label: strings.useQrInstead, variant: 'link', part: 'use-qr', onClick: () => pairing.setMode('qr') })}
      </div>
    </form>`,
  };
}

function pairingCodeView(ctx: ViewContext, code: string): View {
  const { strings, pairing } = ctx;
  return {
    status: strings.pairingTitle,
    tone: 'progress',
    body: html`<p part="pairing-code" class="pairing-code">${code}</p>
      ${steps(strings.pairingSteps)}
      ${actions(button(ctx, { label: strings.useQrInstead, variant: 'link', part: 'use-qr', onClick: () => pairing.setMode('qr') }))}`,
  };
}
