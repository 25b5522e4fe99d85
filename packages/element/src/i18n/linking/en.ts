import type { WacLinkingStrings } from '../strings.js';

/** Built-in English texts of the linking view. */
export const enLinking: WacLinkingStrings = {
  qrAlt: 'QR code to link WhatsApp. Scan it with WhatsApp on your phone.',
  qrSteps: [
    'Open WhatsApp on your phone.',
    'Tap Menu or Settings, then Linked devices.',
    'Tap Link a device.',
    'Point your phone at this screen to scan the code.',
  ],
  usePhoneInstead: 'Link with phone number instead',
  useQrInstead: 'Use a QR code instead',
  phoneLabel: 'Phone number with country code',
  phoneHint: 'Digits only, country code first. Example: 5215512345678',
  phoneInvalid: 'Enter 7 to 15 digits, starting with the country code.',
  requestCode: 'Get code',
  pairingTitle: 'Enter this code on your phone',
  pairingSteps: [
    'Open WhatsApp on your phone.',
    'Tap Menu or Settings, then Linked devices.',
    'Tap Link a device, then Link with phone number instead.',
    'Enter the code shown here.',
  ],
  passkeyTitle: 'Confirm on your phone',
  passkeyDetail: 'WhatsApp is waiting for you to confirm on your phone.',
  expiredTitle: 'The code expired',
  expiredDetail: 'It was not scanned in time. Get a new one when your phone is ready.',
  showNewCode: 'Show a new code',
};
