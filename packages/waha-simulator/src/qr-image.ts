import QRCode from 'qrcode';

/** Renders a raw QR value as a PNG, the way WAHA's `?format=image` answers. */
export function qrPng(value: string): Promise<Buffer> {
  return QRCode.toBuffer(value, { type: 'png', errorCorrectionLevel: 'L', margin: 2, scale: 4 });
}
