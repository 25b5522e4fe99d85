// The standalone build's entry (dist/standalone/whatsapp-connector.js, for a plain
// <script type="module">): registers the tag, and exports only the class and the
// registration, so the file carries nothing a page cannot use from a script tag.
// Bundlers use the package's `define` entry point instead.
import './define.js';

export { defineWhatsAppConnector, TAG_NAME } from './registration.js';
export { WhatsAppConnector } from './whatsapp-connector.js';
