import { css } from './css.js';

// Readable source: the build minifies the text of css`` templates
// (scripts/rollup/minify-templates.mjs). The linking view's rules live with it
// (linking/styles.ts) and arrive with its chunk.

// The dark palette, for theme="dark" and for theme="auto" on a dark system.
const dark = css`
  --wac-accent: #21c063;
  --wac-accent-text: #0b141a;
  --wac-text: #e9edef;
  --wac-muted: #aebac1;
  --wac-background: #111b21;
  --wac-border: #3b4a54;
  --wac-danger: #ff8a80;
  --wac-warning: #f5c451;
  --wac-focus: #8ab4f8;
`;

/** The element's styles: every color, size and font comes from a `--wac-*` custom property. */
export const styles = css`
  :host {
    --wac-accent: #008069;
    --wac-accent-text: #fff;
    --wac-text: #1f2328;
    --wac-muted: #54656f;
    --wac-background: #fff;
    --wac-border: #d1d7db;
    --wac-danger: #b42318;
    --wac-warning: #8a5a00;
    --wac-focus: #005fcc;
    --wac-radius: 12px;
    --wac-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --wac-qr-size: 220px;
    display: block;
    color: var(--wac-text);
    font-family: var(--wac-font);
    font-size: 1rem;
    line-height: 1.45;
  }
  :host([hidden]) {
    display: none;
  }
  :host([theme='dark']) {
    ${dark}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${dark}
    }
  }
  .base {
    box-sizing: border-box;
    display: grid;
    gap: 1rem;
    padding: 1.25rem;
    background: var(--wac-background);
    border: 1px solid var(--wac-border);
    border-radius: var(--wac-radius);
  }
  .status {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    font-weight: 600;
    font-size: 1.05rem;
  }
  .dot {
    inline-size: 0.65rem;
    block-size: 0.65rem;
    border-radius: 50%;
    background: var(--wac-muted);
    flex: none;
  }
  .tone-ok .dot {
    background: var(--wac-accent);
  }
  .tone-warn .dot {
    background: var(--wac-warning);
  }
  .tone-error .dot {
    background: var(--wac-danger);
  }
  p {
    margin: 0;
  }
  .detail,
  .reason,
  .name {
    color: var(--wac-muted);
  }
  .reason,
  .phone,
  .name {
    overflow-wrap: anywhere;
  }
  .reason {
    font-size: 0.9rem;
  }
  .alert {
    display: grid;
    gap: 0.35rem;
  }
  .account {
    display: grid;
    gap: 0.15rem;
  }
  .phone {
    font-size: 1.35rem;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  .confirm {
    display: grid;
    gap: 0.75rem;
  }
  /* Buttons and the linking view's phone field share their look. */
  .button,
  input {
    font: inherit;
    color: var(--wac-text);
    background: var(--wac-background);
    border: 1px solid var(--wac-border);
    border-radius: calc(var(--wac-radius) / 2);
  }
  .button {
    display: inline-flex;
    align-items: center;
    gap: 0.45rem;
    font-weight: 600;
    padding: 0.5rem 1rem;
    cursor: pointer;
  }
  .button.primary {
    background: var(--wac-accent);
    border-color: var(--wac-accent);
    color: var(--wac-accent-text);
  }
  .button.danger {
    color: var(--wac-danger);
  }
  .button:disabled {
    cursor: progress;
    opacity: 0.7;
  }
  .button:focus-visible,
  input:focus-visible {
    outline: 3px solid var(--wac-focus);
    outline-offset: 2px;
  }
  .spinner {
    inline-size: 1.1rem;
    block-size: 1.1rem;
    border: 2px solid currentColor;
    border-inline-end-color: transparent;
    border-radius: 50%;
    animation: wac-spin 0.8s linear infinite;
    flex: none;
  }
  .spinner.small {
    inline-size: 0.9rem;
    block-size: 0.9rem;
  }
  @keyframes wac-spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 2.4s;
    }
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
