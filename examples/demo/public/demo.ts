/**
 * The demo page: mounts `<whatsapp-connector>`, logs its events and, with the
 * embedded simulator, shows the phone panel. Loaded as a module from the page
 * (no inline script: the page runs under `default-src 'self'`).
 */
import '@whatsapp-connector/element/define';
import { startEventLog } from './event-log.js';
import { startPhonePanel } from './phone-panel.js';

/** The answer of `GET /demo/config` (see `DemoConfig` in server.ts). */
interface DemoConfig {
  mode: 'simulator' | 'waha';
  organization: string;
  sessionName: string;
  simulatorControl: string | null;
  wahaOrigin: string | null;
}

const params = new URLSearchParams(location.search);

function mountWidget(): void {
  const widget = document.createElement('whatsapp-connector');
  widget.endpoint = '/api/whatsapp/session';
  // Page options for trying things out (and for the end-to-end test's short cadence).
  const qrInterval = Number(params.get('qrInterval'));
  if (qrInterval > 0) widget.qrInterval = qrInterval;
  const lang = params.get('lang');
  if (lang) widget.lang = lang;
  const theme = params.get('theme');
  if (theme === 'light' || theme === 'dark') {
    widget.theme = theme;
    document.documentElement.dataset['theme'] = theme;
  }
  document.getElementById('widget-slot')?.append(widget);
}

async function loadConfig(): Promise<DemoConfig> {
  const response = await fetch('/demo/config', { cache: 'no-store' });
  if (!response.ok) throw new Error(`/demo/config answered ${response.status}`);
  return (await response.json()) as DemoConfig;
}

function showMode(config: DemoConfig): void {
  const badge = document.getElementById('mode');
  if (badge) {
    badge.dataset['mode'] = config.mode;
    badge.textContent = config.mode === 'simulator' ? 'Embedded WAHA simulator' : `Real WAHA at ${config.wahaOrigin ?? '?'}`;
  }
  const org = document.getElementById('org');
  if (org) org.textContent = config.organization;
}

// The log listens first so that it sees the widget's very first events.
const log = document.getElementById('log') as HTMLOListElement;
startEventLog(document, log, document.getElementById('clear-log') as HTMLButtonElement | null);
mountWidget();

const config = await loadConfig();
showMode(config);
const phone = document.getElementById('phone');
if (config.mode === 'simulator' && config.simulatorControl && phone) {
  startPhonePanel(phone, { sessionName: config.sessionName, control: config.simulatorControl });
}
