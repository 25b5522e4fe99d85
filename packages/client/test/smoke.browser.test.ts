import { normalizeStatus } from '../src/contract/status.js';
import QRCode from 'qrcode';

describe('browser harness', () => {
  it('runs TypeScript sources from the workspace', () => {
    if (normalizeStatus('SCAN_QR_CODE') !== 'SCAN_QR') throw new Error('bad normalization');
  });
  it('loads the CommonJS qrcode package as ESM', () => {
    const qr = QRCode.create('hello');
    if (qr.modules.size < 21) throw new Error('unexpected size');
  });
});
