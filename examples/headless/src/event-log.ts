import type { SessionClient } from '@whatsapp-connector/client';

/**
 * Writes the client's typed events into a list on the page (as text). Returns the
 * function that stops listening.
 */
export function logSessionEvents(client: SessionClient, list: HTMLElement): () => void {
  const note = (line: string) => {
    const item = document.createElement('li');
    item.textContent = line;
    list.append(item);
  };
  const offs = [
    client.on('status-change', ({ status }) => note(`status: ${status}`)),
    client.on('connected', ({ me }) => note(`connected: ${me?.id ?? 'unknown'}`)),
    client.on('failed', ({ error }) => note(`failed: ${error?.message ?? 'no reason given'}`)),
    client.on('error', ({ error }) => note(`error: ${error.code}`)),
  ];
  return () => offs.forEach((off) => off());
}
