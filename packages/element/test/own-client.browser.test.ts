import { describeOwnClient } from './helpers/own-client-behaviour.js';

// The sources, as a bundler builds the element from npm (its client keeps every option); own-client-standalone.browser.test runs the same against the standalone build.

describeOwnClient('sources, ELEMENT_OWNED false', () => import('../src/define.js'));
