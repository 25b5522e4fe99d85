import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alwaysVisible, documentVisibility, type VisibilityDocument } from '../src/visibility.js';

class FakeDocument implements VisibilityDocument {
  visibilityState = 'visible';
  readonly listeners = new Set<() => void>();
  addEventListener(_type: 'visibilitychange', listener: () => void): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'visibilitychange', listener: () => void): void {
    this.listeners.delete(listener);
  }
  setState(state: string): void {
    this.visibilityState = state;
    for (const listener of [...this.listeners]) listener();
  }
}

describe('visibility', () => {
  it('without a document (Node) the page is always visible', () => {
    assert.equal(typeof (globalThis as { document?: unknown }).document, 'undefined');
    const source = documentVisibility();
    assert.equal(source, alwaysVisible);
    assert.equal(source.isVisible(), true);
    const off = source.subscribe(() => assert.fail('never changes'));
    off();
  });

  it('reads visibilityState and reports real changes only', () => {
    const doc = new FakeDocument();
    const source = documentVisibility(doc);
    const seen: boolean[] = [];
    const off = source.subscribe((visible) => seen.push(visible));
    doc.setState('hidden');
    doc.setState('hidden');
    assert.equal(source.isVisible(), false);
    doc.setState('visible');
    doc.setState('prerender');
    assert.deepEqual(seen, [false, true]);
    off();
    assert.equal(doc.listeners.size, 0);
  });
});
