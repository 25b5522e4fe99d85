import { createSessionClient } from '@whatsapp-connector/client';
// Logs are opt-in: withLogger builds the structured records (a page without it carries no logging code).
import { withLogger } from '@whatsapp-connector/client/metrics';
import { logSessionEvents } from './event-log.js';
import { mountSessionPanel } from './session-panel.js';

// `?endpoint=` points the example at another backend (e.g. the demo's).
const endpoint = new URLSearchParams(location.search).get('endpoint') ?? '/api/whatsapp/session';
const client = createSessionClient(withLogger({ endpoint, logger: (record) => console.debug(record) }));

const container = document.getElementById('whatsapp');
const log = document.getElementById('events');
if (container) mountSessionPanel(container, client);
if (log) logSessionEvents(client, log);
client.start();
addEventListener('pagehide', () => client.dispose());
