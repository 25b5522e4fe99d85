import { h, type Child, type Props, type Tag } from '../dom.js';
import type { SessionError } from '@whatsapp-connector/client';
import type { WacBaseStrings, WacStrings } from '../i18n/strings.js';
import type { WacActionName } from '../events.js';
import type { ButtonAction, View, ViewContext } from './context.js';

/** Visual weight of a button. */
export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'link';

/** What every {@link button} takes. */
export interface ButtonLook {
  /** The text. */
  readonly label: string;
  /** Visual weight. Default `secondary`. */
  readonly variant?: ButtonVariant;
  /** A name for `::part()` besides `button`. */
  readonly part?: string;
}

/**
 * Options of {@link button}: a button whose click starts `action` (or does
 * `onClick`), or a form's submit button, whose form acts on submit (the pairing
 * request, which needs the typed number, is one).
 */
export type ButtonOptions = ButtonLook &
  (
    | {
        /** The action whose progress this button shows. */
        readonly action?: ButtonAction;
        /** What a click does. Default: start `action`. */
        readonly onClick?: () => void;
        readonly submit?: never;
      }
    | {
        /** A form's submit button (no click handler). */
        readonly submit: true;
        /** The action whose progress this button shows. */
        readonly action: WacActionName;
      }
  );

/** A small spinner beside a text that says what is in progress (hidden from assistive technology). */
export const spinner = (): Tag => h('span', { class: 'spinner small', 'aria-hidden': 'true' });

/** The spinner of a busy button: its own text alternative (`working`), since the button's label says what, not that it runs. */
const busySpinner = (strings: WacStrings): Tag => h('span', { class: 'spinner small', role: 'img', 'aria-label': strings.working });

/**
 * A real `<button>`. While any action runs every button is disabled, and the one
 * that started it shows a spinner (named by the `working` text) and `aria-busy`.
 */
export function button(ctx: ViewContext, options: ButtonOptions): Tag {
  const running = options.action !== undefined && ctx.busy === options.action;
  const onClick = options.submit ? undefined : (options.onClick ?? (() => options.action && ctx.act(options.action)));
  return h(
    'button',
    {
      type: options.submit ? 'submit' : 'button',
      part: `button ${options.part ?? ''}`,
      class: `button ${options.variant ?? 'secondary'}`,
      disabled: ctx.busy !== null,
      'aria-busy': String(running),
      '@click': onClick,
    },
    running && busySpinner(ctx.strings),
    options.label,
  );
}

/** The row of buttons. */
export function actions(...buttons: Child[]): Tag {
  return h('div', { part: 'actions', class: 'actions' }, buttons);
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

/** The alert of a failed action: what failed in plain words, then the server's own words. */
export function actionError(error: SessionError, strings: WacStrings): Tag {
  return alert(`${strings.actionFailed} ${describeError(error, strings)}`, error.code === 'http' ? error.serverMessage : null, { part: 'error' });
}

/** A sentence under the status line, with any other attributes it needs (a `part`, a `role`, an `id`). */
export const detail = (content: Child, props?: Props): Tag => h('p', { class: 'detail', ...props }, content);

/**
 * An alert box: the sentence, then the server's own words (a backend reason or
 * error message) as text in a line of their own, so the localized sentence
 * stays first. A new `key` (a view's alerts use the phase) makes a new,
 * announced alert.
 */
export function alert(sentence: string, reason: string | null | undefined, props: { readonly key?: string; readonly part?: string }): Tag {
  const words = reason?.trim();
  return h('div', { ...props, class: 'alert', role: 'alert' }, detail(sentence), words && h('p', { part: 'reason', class: 'reason' }, words));
}

/** A calm warning with one way forward: the sentence, then a primary button that sends `reconnect`. */
export function reconnectPrompt(ctx: ViewContext, status: string, sentence: string, label: string): View {
  return {
    status,
    tone: 'warn',
    body: [detail(sentence), actions(button(ctx, { label, variant: 'primary', action: 'reconnect', part: 'reconnect' }))],
  };
}
