import { expect } from 'chai';
import type { SessionAnswerWire } from '@whatsapp-connector/client';
import type { WhatsAppConnector } from '../src/whatsapp-connector.js';
import { WAC_EVENT_NAMES } from '../src/events.js';
import { buttonPart, flush, part, record, unmountAll, waitFor, type Recorded } from './helpers/dom.js';
import { mountOnRealClient, nextPoll, type RealClientRig } from './helpers/real-client.js';

const base = { sessionName: 'eagles_42', connected: false };
const me = { id: '5215512345678@c.us', pushName: 'Ventas' };

/** Event types with the fields that matter (errors reduced to their code). */
function summary(log: readonly Recorded[]): unknown[] {
  return log.map(({ type, detail }) => {
    const d = detail as Record<string, unknown> | null;
    const error = d?.error as { code?: string } | null | undefined;
    const fields = { ...d, ...(d && 'error' in d ? { error: error ? error.code : null } : {}) };
    return { type, ...fields };
  });
}

describe('<whatsapp-connector> events', () => {
  let rig: RealClientRig;
  let element: WhatsAppConnector;
  let events: ReturnType<typeof record>;

  async function start(session: SessionAnswerWire): Promise<void> {
    events = record(document, WAC_EVENT_NAMES);
    ({ rig, element } = await mountOnRealClient(session));
  }

  async function next(session: SessionAnswerWire, ms: number): Promise<void> {
    await nextPoll({ rig, element }, session, ms);
  }

  afterEach(() => {
    events?.stop();
    unmountAll();
    rig?.client.dispose();
  });

  it('are typed CustomEvents that bubble out of the shadow root to the document', async () => {
    await start({ ...base, status: 'STARTING' });
    const event = events.log[0];
    expect(event?.type).to.equal('wac-status-change');
    const seen: Event[] = [];
    const listener = (e: Event) => seen.push(e);
    document.addEventListener('wac-status-change', listener);
    await next({ ...base, status: 'SCAN_QR_CODE', qr: 'x' }, 8000);
    document.removeEventListener('wac-status-change', listener);
    expect(seen.length).to.equal(1);
    expect(seen[0]).to.be.instanceOf(CustomEvent);
    expect(seen[0]?.bubbles).to.equal(true);
    expect(seen[0]?.composed).to.equal(true);
    expect(seen[0]?.target === element, 'target is the element').to.equal(true);
  });

  it('follow a whole link in order: starting, QR shown, connected, dropped, failed', async () => {
    await start({ ...base, status: 'STARTING' });
    await next({ ...base, status: 'SCAN_QR_CODE', qr: 'code-1' }, 8000);
    await waitFor(() => events.log.some((e) => e.type === 'wac-qr'), 'wac-qr');
    await next({ ...base, status: 'WORKING', connected: true, me }, 8000);
    await next({ ...base, status: 'STOPPED' }, 30000);
    await next({ ...base, status: 'FAILED', error: 'broken' }, 8000);
    expect(summary(events.log)).to.deep.equal([
      { type: 'wac-status-change', status: 'STARTING', previousStatus: null, phase: 'starting' },
      { type: 'wac-status-change', status: 'SCAN_QR', previousStatus: 'STARTING', phase: 'qr' },
      { type: 'wac-qr', qr: 'code-1', qrImage: null },
      { type: 'wac-status-change', status: 'WORKING', previousStatus: 'SCAN_QR', phase: 'connected' },
      { type: 'wac-connected', me },
      { type: 'wac-status-change', status: 'STOPPED', previousStatus: 'WORKING', phase: 'reconnecting' },
      { type: 'wac-disconnected', me, status: 'STOPPED' },
      { type: 'wac-status-change', status: 'FAILED', previousStatus: 'STOPPED', phase: 'failed' },
      { type: 'wac-failed', status: 'FAILED', error: 'session_failed' },
    ]);
  });

  it('wac-qr fires once per new QR, after it is drawn', async () => {
    await start({ ...base, status: 'SCAN_QR_CODE', qr: 'code-1' });
    await waitFor(() => events.log.some((e) => e.type === 'wac-qr'), 'wac-qr');
    expect(part(element, 'qr-code')?.tagName.toLowerCase()).to.equal('svg');
    await next({ ...base, status: 'SCAN_QR_CODE', qr: 'code-1' }, 8000);
    await next({ ...base, status: 'SCAN_QR_CODE', qr: 'code-2' }, 8000);
    await waitFor(() => events.log.filter((e) => e.type === 'wac-qr').length === 2, 'the second wac-qr');
    expect(summary(events.log.filter((e) => e.type === 'wac-qr'))).to.deep.equal([
      { type: 'wac-qr', qr: 'code-1', qrImage: null },
      { type: 'wac-qr', qr: 'code-2', qrImage: null },
    ]);
  });

  it('wac-qr: a listener that changes the detail does not make the same QR new', async () => {
    const seen: string[] = [];
    const consume = (event: Event) => {
      const detail = (event as CustomEvent<{ qr: string | null }>).detail;
      seen.push(String(detail.qr));
      detail.qr = null;
    };
    document.addEventListener('wac-qr', consume);
    try {
      await start({ ...base, status: 'SCAN_QR_CODE', qr: 'code-1' });
      await waitFor(() => seen.length === 1, 'wac-qr');
      // Each answer re-renders the same QR.
      await next({ ...base, status: 'SCAN_QR_CODE', qr: 'code-1' }, 8000);
      await next({ ...base, status: 'SCAN_QR_CODE', qr: 'code-1' }, 8000);
      await flush(element, 3);
      expect(seen).to.deep.equal(['code-1']);
    } finally {
      document.removeEventListener('wac-qr', consume);
    }
  });

  it('wac-error reports a failed poll', async () => {
    await start({ ...base, status: 'SCAN_QR_CODE', qr: 'code-1' });
    rig.backend.reply({ networkError: true });
    await rig.clock.advance(8000);
    await waitFor(() => events.log.some((e) => e.type === 'wac-error'), 'wac-error');
    const errors = summary(events.log.filter((e) => e.type === 'wac-error'));
    expect(errors).to.deep.equal([{ type: 'wac-error', error: 'network' }]);
  });

  it('wac-error: none for a poll that stop() aborted (housekeeping: the client reports no error for it)', async () => {
    await start({ ...base, status: 'SCAN_QR_CODE', qr: 'code-1' });
    rig.backend.reply({ hang: true });
    await rig.clock.advance(8000);
    await waitFor(() => rig.backend.gets.length === 2, 'the poll that hangs');
    rig.client.stop();
    await flush(element, 5);
    expect(events.log.filter((e) => e.type === 'wac-error'), 'no wac-error for the aborted poll').to.deep.equal([]);
    // Still listening: the next failed poll is reported.
    rig.backend.reply({ networkError: true });
    rig.client.start();
    await waitFor(() => events.log.some((e) => e.type === 'wac-error'), 'wac-error for the next failed poll');
    expect(summary(events.log.filter((e) => e.type === 'wac-error'))).to.deep.equal([{ type: 'wac-error', error: 'network' }]);
  });

  it('wac-action: start then success around a click, in order with the status change it causes', async () => {
    await start({ ...base, status: 'FAILED' });
    events.log.length = 0;
    buttonPart(element, 'reconnect').click();
    await waitFor(() => events.log.some((e) => e.type === 'wac-action' && (e.detail as { stage: string }).stage === 'success'), 'success');
    expect(summary(events.log).filter((e) => (e as { type: string }).type !== 'wac-qr')).to.deep.equal([
      { type: 'wac-action', action: 'reconnect', stage: 'start' },
      { type: 'wac-status-change', status: 'SCAN_QR', previousStatus: 'FAILED', phase: 'qr' },
      { type: 'wac-action', action: 'reconnect', stage: 'success' },
    ]);
  });

  it('wac-action: error with the reason when the backend refuses', async () => {
    await start({ ...base, status: 'FAILED' });
    rig.backend.onPost = () => ({ status: 400, json: { error: { code: 'bad', message: 'nope' } } });
    events.log.length = 0;
    buttonPart(element, 'change-number').click();
    await waitFor(() => events.log.some((e) => e.type === 'wac-action' && (e.detail as { stage: string }).stage === 'error'), 'error');
    expect(summary(events.log.filter((e) => e.type === 'wac-action'))).to.deep.equal([
      { type: 'wac-action', action: 'change_number', stage: 'start' },
      { type: 'wac-action', action: 'change_number', stage: 'error', error: 'http' },
    ]);
  });
});
