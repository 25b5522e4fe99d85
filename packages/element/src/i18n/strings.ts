/**
 * The texts every page may show: status lines, buttons, errors (what a page
 * downloads with its language).
 */
export interface WacBaseStrings {
  /** Progress text before the first answer. */
  loading: string;
  /** Progress text while WAHA boots the session (`STARTING`). */
  starting: string;
  /** Neutral text for a status this version does not know. */
  checking: string;
  /** Heading while a QR code waits to be scanned. */
  qrTitle: string;
  /** Shown while the QR is being prepared: its drawing loads, or the answer has no code yet. */
  qrPreparing: string;
  /** Shown when the QR could not be drawn. */
  qrUnavailable: string;
  /** Status text while linked. */
  active: string;
  /** Label before the linked number. */
  linkedNumber: string;
  /** Button: change the linked number. */
  changeNumber: string;
  /** Button: unlink the phone. */
  logout: string;
  /** Question asked before logging out. */
  logoutConfirm: string;
  /** Button that confirms the logout. */
  logoutConfirmYes: string;
  /** Button that cancels a confirmation or a form. */
  cancel: string;
  /** Status text while the session is `STOPPED` (usually transient). */
  reconnecting: string;
  /** Note while the link is flapping (WORKING ↔ STOPPED several times a minute). */
  unstable: string;
  /** Calm explanation while reconnecting. */
  reconnectingDetail: string;
  /** Shown instead of `reconnectingDetail` when a linked session has stayed `STOPPED` for minutes: what linking again means. */
  stoppedLongDetail: string;
  /** Button offered then: link again (`reconnect`, a new code to scan). */
  linkAgain: string;
  /** Heading while `STOPPED` with no linked number (nothing will start it but a person). */
  stoppedTitle: string;
  /** Explanation while `STOPPED` with no linked number. */
  stoppedDetail: string;
  /** Heading when the session failed. */
  failedTitle: string;
  /** Explanation when the session failed. */
  failedDetail: string;
  /** Button: (re)link WhatsApp (`reconnect`). */
  linkWhatsApp: string;
  /** Heading when the backend cannot be reached. */
  unreachableTitle: string;
  /** Heading when the backend refuses the caller (401/403). */
  unauthorizedTitle: string;
  /** Explanation when the backend refuses the caller. */
  unauthorizedDetail: string;
  /** Button: poll again now. */
  tryAgain: string;
  /** Plain words for a network failure. */
  errorNetwork: string;
  /** Plain words for a timeout. */
  errorTimeout: string;
  /** Plain words for a 404. */
  errorNotFound: string;
  /** Plain words for a 429. */
  errorRateLimited: string;
  /** Plain words for an unusable answer. */
  errorInvalidResponse: string;
  /** Plain words for any other server error. */
  errorServer: string;
  /** Shown when a manual action failed. */
  actionFailed: string;
  /** Text alternative of the progress indicator inside a busy button. */
  working: string;
}

/**
 * The texts of the linking view (QR instructions, pairing code, phone form,
 * the passkey confirmation, an expired code): they arrive with that view's
 * chunk, in the page's language.
 */
export interface WacLinkingStrings {
  /** Text alternative of the QR code image. */
  qrAlt: string;
  /** Instruction steps for the phone (QR flow). */
  qrSteps: readonly string[];
  /** Switch from the QR to linking with a phone number. */
  usePhoneInstead: string;
  /** Switch back from the phone number form to the QR code. */
  useQrInstead: string;
  /** Label of the phone number field. */
  phoneLabel: string;
  /** Hint under the phone number field. */
  phoneHint: string;
  /** Error when the phone number is not valid. */
  phoneInvalid: string;
  /** Button that asks for a pairing code. */
  requestCode: string;
  /** Heading above a pairing code. */
  pairingTitle: string;
  /** Instruction steps for the phone (pairing code flow). */
  pairingSteps: readonly string[];
  /** Heading while the phone must confirm (passkey). */
  passkeyTitle: string;
  /** Detail while the phone must confirm (passkey). */
  passkeyDetail: string;
  /** Heading when the QR expired unscanned. */
  expiredTitle: string;
  /** Explanation when the QR expired. */
  expiredDetail: string;
  /** Button: get a new QR (`reconnect`). */
  showNewCode: string;
}

/**
 * Every text the element shows. Override any of them with the element's
 * `strings` property; missing keys fall back to the built-in language.
 *
 * Texts are plain strings, never markup: they are rendered as text.
 */
export interface WacStrings extends WacBaseStrings, WacLinkingStrings {}
