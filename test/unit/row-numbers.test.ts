import { describe, expect, it } from 'vitest';
import { RowNumbers } from '../../shared/columnar/row-numbers.js';

describe('RowNumbers', () => {
  it('gives back every row number pushed, in any order of reading', () => {
    // runs of consecutive numbers with gaps of every size, as rejected rows and blank lines leave
    const numbers: number[] = [];
    for (let row = 2, k = 0; numbers.length < 5_000; k++) {
      numbers.push(row);
      row += k % 7 === 0 ? 1 + (k % 5) : 1;
    }
    const rows = new RowNumbers();
    for (const n of numbers) rows.push(n);
    expect(rows.length).toBe(numbers.length);
    expect([...rows]).toEqual(numbers);
    const order = numbers.map((_, i) => (i * 7_919) % numbers.length);
    for (const i of order) expect(rows.get(i)).toBe(numbers[i]);
  });

  it('refuses a row it does not have', () => {
    const rows = new RowNumbers();
    rows.push(2);
    expect(() => rows.get(1)).toThrow(RangeError);
    expect(() => rows.get(-1)).toThrow(RangeError);
  });
});
