/**
 * The test kit shared by the client, element and React tests (not published): one
 * fake clock, one scripted backend, a fake page visibility, a fake `EventSource`,
 * typical session answers, and the client's small emitter for test fakes.
 *
 * Element and React tests import it by path: `../../client/test-kit/index.js`.
 */
export { FakeBackend, type ActionBody, type RecordedRequest, type Reply } from './fake-backend.js';
export { FakeClock, settle } from './fake-clock.js';
export { FakeEventSource } from './fake-event-source.js';
export { FakeVisibility } from './fake-visibility.js';
export { wire } from './answers.js';
export { createEmitter, type Emitter, type EmitterHooks } from '../src/emitter.js';
