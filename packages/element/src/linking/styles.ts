import { css } from '../css.js';

/**
 * The linking view's styles (QR box, instructions, pairing code, phone form):
 * adopted by the element's shadow root when the linking chunk arrives.
 */
export const linkingStyles = css`
  .qr-layout {
    display: flex;
    flex-wrap: wrap;
    gap: 1.25rem;
    align-items: center;
  }
  .qr {
    inline-size: var(--wac-qr-size);
    block-size: var(--wac-qr-size);
    display: grid;
    place-items: center;
    /* A QR code needs a light background and dark modules, whatever the theme. */
    background: #fff;
    color: #1f2328;
    border-radius: calc(var(--wac-radius) / 2);
    flex: none;
  }
  .qr-code {
    display: block;
    inline-size: 100%;
    block-size: 100%;
  }
  .qr-placeholder {
    display: grid;
    justify-items: center;
    gap: 0.5rem;
    padding: 1rem;
    text-align: center;
  }
  .steps {
    margin: 0;
    padding-inline-start: 1.25rem;
    display: grid;
    gap: 0.35rem;
    flex: 1 1 14rem;
  }
  .pairing-code {
    font-size: 2rem;
    font-weight: 700;
    letter-spacing: 0.15em;
    font-variant-numeric: tabular-nums;
    font-family: ui-monospace, Menlo, Consolas, monospace;
  }
  .phone-form {
    display: grid;
    gap: 0.35rem;
    max-inline-size: 24rem;
  }
  .field-error {
    color: var(--wac-danger);
    font-size: 0.9rem;
  }
  label {
    font-weight: 600;
  }
  /* Its look (font, colors, border) is the buttons' (styles.ts). */
  input {
    padding: 0.5rem 0.65rem;
  }
  input[aria-invalid='true'] {
    border-color: var(--wac-danger);
  }
  .button.link {
    border-color: transparent;
    background: none;
    text-decoration: underline;
    padding-inline: 0.25rem;
  }
`;
