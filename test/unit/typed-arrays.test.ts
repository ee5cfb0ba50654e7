import { describe, expect, it } from 'vitest';
import { release, resized } from '../../shared/columnar/typed-arrays.js';

describe('resized', () => {
  it('copies into a new array of the same type, cut or zero-filled to the new length', () => {
    const a = Int16Array.of(1, -2, 3);
    expect(resized(a, 5)).toEqual(Int16Array.of(1, -2, 3, 0, 0));
    expect(resized(a, 2)).toEqual(Int16Array.of(1, -2));
    expect(a).toEqual(Int16Array.of(1, -2, 3));
  });
});

describe('release', () => {
  it('takes the memory of an array that owns its buffer: it reads as empty after', () => {
    const a = new Int32Array(1_000).fill(7);
    release(a);
    expect(a.length).toBe(0);
    expect(a.buffer.byteLength).toBe(0);
  });

  it('leaves alone a view of part of a buffer, such as a pooled Buffer', () => {
    const pooled = Buffer.from('shared pool');
    const part = new Uint8Array(new ArrayBuffer(16), 4, 8);
    release(pooled);
    release(part);
    expect(pooled.toString()).toBe('shared pool');
    expect(part.length).toBe(8);
  });
});
