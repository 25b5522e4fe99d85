import type { SessionError } from '@whatsapp-connector/client';
import { WAC_EVENT_NAMES, type WacEventMap, type WacEventName } from '@whatsapp-connector/element';

const MAX_ENTRIES = 200;

function describeError(error: SessionError | null | undefined): string {
  return error ? `${error.code}: ${error.message}` : '';
}

function shorten(text: string, max = 36): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** One line of text for an event; everything from the server stays text. */
export function describeEvent(name: WacEventName, e: Event): string {
  switch (name) {
    case 'wac-status-change': {
      const { previousStatus, status, phase } = (e as WacEventMap['wac-status-change']).detail;
      return `${previousStatus ?? '—'} → ${status} (shows ${phase})`;
    }
    case 'wac-connected': {
      const { me } = (e as WacEventMap['wac-connected']).detail;
      return me ? `${me.id}${me.pushName ? ` “${me.pushName}”` : ''}` : 'linked';
    }
    case 'wac-disconnected':
      return `now ${(e as WacEventMap['wac-disconnected']).detail.status ?? 'unknown'}`;
    case 'wac-failed': {
      const { status, error } = (e as WacEventMap['wac-failed']).detail;
      return [status, describeError(error)].filter(Boolean).join(' — ');
    }
    case 'wac-qr': {
      const { qr, qrImage } = (e as WacEventMap['wac-qr']).detail;
      return qr ? `payload ${shorten(qr)}` : qrImage ? 'image' : '';
    }
    case 'wac-action': {
      const { action, stage, error } = (e as WacEventMap['wac-action']).detail;
      return [`${action} ${stage}`, describeError(error)].filter(Boolean).join(' — ');
    }
    case 'wac-error':
      return describeError((e as WacEventMap['wac-error']).detail.error);
    default:
      return '';
  }
}

function entry(name: string, text: string): HTMLLIElement {
  const item = document.createElement('li');
  item.dataset['event'] = name;
  const time = document.createElement('time');
  const now = new Date();
  time.dateTime = now.toISOString();
  time.textContent = now.toLocaleTimeString([], { hour12: false });
  const label = document.createElement('span');
  label.className = 'name';
  label.textContent = name;
  const detail = document.createElement('span');
  detail.className = 'detail';
  detail.textContent = text;
  item.append(time, label, detail);
  return item;
}

/** Renders the `wac-*` events bubbling up to `source` into `list`, newest first. */
export function startEventLog(source: EventTarget, list: HTMLOListElement, clear: HTMLButtonElement | null): void {
  for (const name of WAC_EVENT_NAMES) {
    source.addEventListener(name, (event) => {
      list.prepend(entry(name, describeEvent(name, event)));
      while (list.childElementCount > MAX_ENTRIES) list.lastElementChild?.remove();
    });
  }
  clear?.addEventListener('click', () => list.replaceChildren());
}
