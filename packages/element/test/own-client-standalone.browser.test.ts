import { describeOwnClient } from './helpers/own-client-behaviour.js';

// The file a page loads with <script type="module"> (npm run build). A variable keeps tsc from resolving it.
const standalone = '/packages/element/dist/standalone/whatsapp-connector.js';
describeOwnClient('standalone build, ELEMENT_OWNED true', () => import(/* @vite-ignore */ standalone));
