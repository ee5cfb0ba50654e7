import { describe, expect, it } from 'vitest';
import { BaseRows } from '../../shared/columnar/base-rows.js';

describe('BaseRows', () => {
  it('gives back each row’s base, before or after it, and -1 for none', () => {
    const base = Int32Array.of(-1, 0, 0, 5, -1, -1, 3);
    const rows = BaseRows.from(base, base.length);
    expect(Array.from(base, (_, i) => rows.get(i))).toEqual([...base]);
  });

  it('keeps bases farther than 32,767 rows away', () => {
    const n = 40_000;
    const base = new Int32Array(n).fill(-1);
    base[39_999] = 1;
    base[2] = 39_000;
    const rows = BaseRows.from(base, n);
    expect([rows.get(39_999), rows.get(2), rows.get(3)]).toEqual([1, 39_000, -1]);
  });
});
