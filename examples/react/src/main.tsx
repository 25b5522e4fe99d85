import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { LegacyApp } from './LegacyApp.js';

// `?endpoint=` points the example at another backend (e.g. the demo's); `?variant=legacy`
// shows the @lit/react wrapper instead of the native React 19 element.
const params = new URLSearchParams(location.search);
const endpoint = params.get('endpoint') ?? '/api/whatsapp/session';
const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>{params.get('variant') === 'legacy' ? <LegacyApp endpoint={endpoint} /> : <App endpoint={endpoint} />}</StrictMode>,
  );
}
