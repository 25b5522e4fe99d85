import { createWhatsAppApp } from './app.js';

// `?endpoint=` points the example at another backend (e.g. the demo's).
const endpoint = new URLSearchParams(location.search).get('endpoint') ?? '/api/whatsapp/session';
createWhatsAppApp({ endpoint }).mount('#app');
