import QRCode from 'qrcode';

// The quiet zone the QR specification asks for, in modules.
const QUIET_ZONE = 4;

/**
 * Draws `payload` as a QR code on a new `<canvas>`: `qrcode` computes the module
 * matrix, the canvas paints it. `scale` is the size of one module in CSS pixels.
 */
export function drawQr(payload: string, scale = 5): HTMLCanvasElement {
  const { modules } = QRCode.create(payload);
  const side = (modules.size + QUIET_ZONE * 2) * scale;
  const canvas = document.createElement('canvas');
  canvas.width = side;
  canvas.height = side;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', 'QR code to scan with WhatsApp');
  const context = canvas.getContext('2d');
  if (!context) return canvas;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, side, side);
  context.fillStyle = '#000000';
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size; x++) {
      if (modules.get(y, x)) context.fillRect((x + QUIET_ZONE) * scale, (y + QUIET_ZONE) * scale, scale, scale);
    }
  }
  return canvas;
}
