/** What the phone panel needs from `/demo/config`. */
export interface PhonePanelConfig {
  /** The simulated WAHA session of this browser's organization. */
  readonly sessionName: string;
  /** URL prefix of the simulator's control routes (`/__simulator`). */
  readonly control: string;
}

/** The fields of the simulator's session view the panel shows. */
interface SimSession {
  name: string;
  status: string;
  me: { id: string; pushName: string } | null;
  qrIndex: number;
  qrExpiresAt: number | null;
  failureReason: string | null;
  flapsLeft: number;
}

type Control = 'scan' | 'unlink' | 'fail' | 'flap' | 'stop';

/** Which statuses each control accepts (the simulator refuses the others with a 422). */
const ENABLED_IN: Record<Control, (status: string | null) => boolean> = {
  scan: (status) => status === 'SCAN_QR_CODE',
  unlink: (status) => status === 'WORKING',
  fail: (status) => status !== null && status !== 'FAILED',
  flap: (status) => status === 'WORKING',
  stop: (status) => status !== null && status !== 'STOPPED',
};

const REFRESH_MS = 1000;

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

function detailOf(session: SimSession | null): string {
  if (!session) return 'not created yet (the widget creates it)';
  if (session.status === 'SCAN_QR_CODE') return `QR #${session.qrIndex} on screen`;
  if (session.status === 'WORKING') return `${session.me?.pushName ?? ''} ${session.me?.id ?? ''}`.trim();
  if (session.flapsLeft > 0) return `flapping, ${session.flapsLeft} drops left`;
  if (session.status === 'FAILED') return session.failureReason ?? 'failed';
  return '—';
}

async function readError(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    // Not JSON: fall through to the status line.
  }
  return `HTTP ${response.status}`;
}

/**
 * The "phone": shows the simulated session and plays the phone through the
 * simulator's control routes (scan, unlink, fail, flap, stop, latency, error rate).
 */
export function startPhonePanel(root: HTMLElement, config: PhonePanelConfig): void {
  const result = byId<HTMLParagraphElement>('phone-result');
  const statusText = byId<HTMLElement>('sim-status');
  const detailText = byId<HTMLElement>('sim-detail');
  const buttons = [...root.querySelectorAll<HTMLButtonElement>('button[data-control]')];
  const sessionUrl = `${config.control}/sessions/${encodeURIComponent(config.sessionName)}`;
  let status: string | null = null;

  byId<HTMLElement>('sim-name').textContent = config.sessionName;
  root.hidden = false;

  function say(text: string, tone: 'info' | 'error' = 'info'): void {
    result.textContent = text;
    result.dataset['tone'] = tone;
  }

  function show(session: SimSession | null): void {
    status = session?.status ?? null;
    statusText.textContent = status ?? '—';
    detailText.textContent = detailOf(session);
    for (const button of buttons) button.disabled = !ENABLED_IN[button.dataset['control'] as Control](status);
  }

  // The list always answers 200, so a session that does not exist yet is not a console error.
  async function refresh(): Promise<void> {
    try {
      const response = await fetch(`${config.control}/sessions`, { cache: 'no-store' });
      if (!response.ok) return;
      const sessions = (await response.json()) as SimSession[];
      show(sessions.find((session) => session.name === config.sessionName) ?? null);
    } catch {
      // The demo server stopped; the widget says so on its own.
    }
  }

  async function post(path: string, body: unknown, done: (answer: unknown) => string): Promise<void> {
    try {
      const response = await fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) return say(await readError(response), 'error');
      say(done(await response.json()));
    } catch (error) {
      say(error instanceof Error ? error.message : String(error), 'error');
    } finally {
      await refresh();
    }
  }

  function control(action: Control, body: Record<string, unknown> = {}): Promise<void> {
    return post(`${sessionUrl}/${action}`, body, (answer) => `${action}: now ${(answer as SimSession).status}`);
  }

  byId<HTMLFormElement>('scan-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const phone = byId<HTMLInputElement>('scan-phone').value.replace(/\D/g, '');
    const pushName = byId<HTMLInputElement>('scan-name').value.trim();
    void control('scan', { phone: phone || undefined, pushName: pushName || undefined });
  });

  for (const button of buttons) {
    const action = button.dataset['control'] as Control;
    if (action === 'scan') continue;
    button.addEventListener('click', () => {
      if (action === 'fail') void control('fail', { reason: 'Simulated failure from the phone panel' });
      else if (action === 'flap') void control('flap', { times: 3, intervalMs: 3000 });
      else void control(action);
    });
  }

  byId<HTMLFormElement>('network-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const ms = Math.max(0, Number(byId<HTMLInputElement>('latency').value) || 0);
    const rate = Math.min(100, Math.max(0, Number(byId<HTMLInputElement>('error-rate').value) || 0)) / 100;
    void (async () => {
      await post(`${config.control}/latency`, { ms }, () => `latency ${ms} ms`);
      await post(`${config.control}/error-rate`, { rate }, () => `latency ${ms} ms, ${Math.round(rate * 100)} % of WAHA calls fail`);
    })();
  });

  show(null);
  const tick = async (): Promise<void> => {
    if (document.visibilityState === 'visible') await refresh();
    setTimeout(() => void tick(), REFRESH_MS);
  };
  void tick();
}
