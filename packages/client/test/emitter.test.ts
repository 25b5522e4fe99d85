import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEmitter } from '../src/emitter.js';

describe('createEmitter', () => {
  it('calls listeners in order; subscribe returns an idempotent unsubscribe', () => {
    const heard: string[] = [];
    const emitter = createEmitter<number>();
    const offA = emitter.subscribe((n) => heard.push(`a${n}`));
    emitter.subscribe((n) => heard.push(`b${n}`));
    emitter.emit(1);
    offA();
    offA();
    emitter.emit(2);
    assert.deepEqual(heard, ['a1', 'b1', 'b2']);
    assert.equal(emitter.size, 1);
  });

  it('a throwing listener is reported and the others still hear', () => {
    const errors: unknown[] = [];
    const heard: number[] = [];
    const emitter = createEmitter<number>({ onError: (error, value) => errors.push([(error as Error).message, value]) });
    emitter.subscribe(() => {
      throw new Error('bug');
    });
    emitter.subscribe((n) => heard.push(n));
    emitter.emit(7);
    assert.deepEqual(errors, [['bug', 7]]);
    assert.deepEqual(heard, [7]);
  });

  it('listeners may unsubscribe or subscribe while being called; a new one hears the next value', () => {
    const emitter = createEmitter<number>();
    const heard: string[] = [];
    const off = emitter.subscribe((n) => {
      heard.push(`once${n}`);
      off();
      emitter.subscribe((m) => heard.push(`late${m}`));
    });
    emitter.emit(1);
    emitter.emit(2);
    assert.deepEqual(heard, ['once1', 'late2']);
  });

  it('onEmpty tells when the last listener leaves, once; clear() does not', () => {
    let empty = 0;
    const emitter = createEmitter<never>({ onEmpty: () => empty++ });
    const offA = emitter.subscribe(() => {});
    const offB = emitter.subscribe(() => {});
    offA();
    assert.equal(empty, 0);
    offB();
    offB();
    assert.equal(empty, 1);
    emitter.subscribe(() => {});
    emitter.clear();
    assert.equal(empty, 1);
    assert.equal(emitter.size, 0);
  });
});
