import type { SessionAnswerWire } from '../src/contract/types.js';

/** Session answers as a backend would send them. */
export const wire = {
  starting: (): SessionAnswerWire => ({ status: 'STARTING', sessionName: 'eagles_42', connected: false }),
  scanQr: (qr = 'qr-1'): SessionAnswerWire => ({ status: 'SCAN_QR_CODE', sessionName: 'eagles_42', connected: false, qr }),
  working: (id = '5215512345678@c.us'): SessionAnswerWire => ({
    status: 'WORKING',
    sessionName: 'eagles_42',
    connected: true,
    me: { id, pushName: 'Ana' },
  }),
  stopped: (): SessionAnswerWire => ({ status: 'STOPPED', sessionName: 'eagles_42', connected: true }),
  failed: (error = 'Session crashed'): SessionAnswerWire => ({ status: 'FAILED', sessionName: 'eagles_42', connected: false, error }),
  error: (): SessionAnswerWire => ({ status: 'ERROR', sessionName: 'eagles_42', connected: false }),
  passkey: (): SessionAnswerWire => ({ status: 'PASSKEY_REQUIRED', sessionName: 'eagles_42', connected: false }),
  unknown: (status = 'REBOOTING'): SessionAnswerWire => ({ status, sessionName: 'eagles_42', connected: false }),
};
