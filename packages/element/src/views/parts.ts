import { html, nothing, type TemplateResult } from 'lit';
import type { SessionError } from '@whatsapp-connector/client';
import type { WacBaseStrings, WacStrings } from '../i18n/strings.js';
import type { ButtonAction, ViewContext } from './context.js';

/** Visual weight of a button. */
export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'link';

/** Options of {@link button}. */
export interface ButtonOptions {
  /** The text. */
  readonly label: string;
  /** Visual weight. Default `secondary`. */
  readonly variant?: ButtonVariant;
  /** The action whose progress this button shows. */
  readonly action?: ButtonAction;
  /** What a click does. Default: start `action`. */
  readonly onClick?: () => void;
  /** A name for `::part()` besides `button`. */
  readonly part?: string;
}

/** The small spinner inside a busy button. */
export const spinner = html`<span class="spinner small" aria-hidden="true"></span>`;

/**
 * A real `<button>`. While any action runs every button is disabled, and the one
 * that started it shows a spinner and `aria-busy`.
 */
export function button(ctx: ViewContext, options: ButtonOptions): TemplateResult {
  const running = options.action !== undefined && ctx.busy === options.action;
  const onClick = options.onClick ?? (() => options.action && ctx.act(options.action));
  return html`<button type="button" part="button ${options.part ?? ''}" class="button ${options.variant ?? 'secondary'}" ?disabled=${ctx.busy !== null} aria-busy=${running} data-action=${options.action ?? nothing} @click=${onClick}>${running ? spinner : nothing}${options.label}</button>`;
}

/** The row of buttons. */
export function actions(...buttons: TemplateResult[]): TemplateResult {
  return html`<div part="actions" class="actions">${buttons}</div>`;
}

/** The texts that say a request failure's code in plain words; any other code is `errorServer`. */
const ERROR_TEXTS: ReadonlyMap<string, keyof WacBaseStrings> = new Map([
  ['network', 'errorNetwork'],
  ['timeout', 'errorTimeout'],
  ['not_found', 'errorNotFound'],
  ['rate_limited', 'errorRateLimited'],
  ['invalid_response', 'errorInvalidResponse'],
  ['unauthorized', 'unauthorizedDetail'],
]);

/** A request failure in plain words, in the chosen language. */
export function describeError(error: SessionError | null, strings: WacStrings): string {
  return strings[ERROR_TEXTS.get(error?.code ?? '') ?? 'errorServer'] as string;
}

/**
 * The server's own words (a backend reason or error message), rendered as text
 * in a separate line so the localized sentence stays first.
 */
export function serverReason(message: string | null | undefined): TemplateResult | typeof nothing {
  const text = message?.trim();
  return text ? html`<p part="reason" class="reason">${text}</p>` : nothing;
}

/** The alert of a failed action: what failed in plain words, then the server's own words. */
export function actionError(error: SessionError, strings: WacStrings): TemplateResult {
  return html`<div part="error" class="alert" role="alert">
    <p class="detail">${strings.actionFailed} ${describeError(error, strings)}</p>
    ${serverReason(error.code === 'http' ? error.serverMessage : null)}
  </div>`;
}
