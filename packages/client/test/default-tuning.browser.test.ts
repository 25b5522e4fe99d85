// config.test's defaultTuning check runs in Node, where documentVisibility() IS alwaysVisible and
// globalThis.EventSource is undefined, so it cannot see the two defaults that only exist in a browser.
// The standalone build's element-owned client takes defaultTuning() as it is (ELEMENT_OWNED).
import { expect } from 'chai';
import { defaultTuning, resolveOptions } from '../src/config.js';
import { alwaysVisible } from '../src/visibility.js';

describe('defaultTuning in a browser (what the standalone element\'s client runs with)', () => {
  it('gives the page\'s EventSource, as resolveOptions does', () => {
    // Booleans only: a failed comparison of two constructors is not something to serialize to the runner.
    expect(typeof globalThis.EventSource).to.equal('function');
    expect(resolveOptions({}).EventSource === globalThis.EventSource, 'resolveOptions gives the page\'s EventSource').to.equal(true);
    expect(defaultTuning().EventSource === globalThis.EventSource, 'defaultTuning gives the page\'s EventSource').to.equal(true);
  });

  it('watches the document\'s visibility, as resolveOptions does', () => {
    const tuned = defaultTuning().visibility;
    expect(resolveOptions({}).visibility === alwaysVisible, 'resolveOptions watches the document').to.equal(false);
    expect(tuned === alwaysVisible, 'defaultTuning watches the document').to.equal(false);
    const heard: boolean[] = [];
    const off = tuned.subscribe((visible) => heard.push(visible));
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    try {
      document.dispatchEvent(new Event('visibilitychange'));
      expect(tuned.isVisible()).to.equal(false);
      expect(heard).to.deep.equal([false]);
    } finally {
      delete (document as { visibilityState?: string }).visibilityState;
      document.dispatchEvent(new Event('visibilitychange'));
      off();
    }
    expect(heard).to.deep.equal([false, true]);
  });
});
