/**
 * The input row number of each kept row, without 4 bytes a row. Kept rows come in input order
 * and mostly one after another (only rejected rows and blank lines leave gaps), so only where a
 * run of consecutive numbers starts is stored: a million rows with 1 % rejected take ~80 KB.
 */
import { resized } from './typed-arrays.js';

export class RowNumbers {
  /** Index of the first row of each run, and that row's number. */
  private starts = new Int32Array(64);
  private numbers = new Int32Array(64);
  private runs = 0;
  length = 0;
  /** The run of the last get(): reads mostly go row after row. */
  private last = 0;

  /** The number of row `length`; numbers must increase. */
  push(rowNumber: number): void {
    const i = this.length++;
    const k = this.runs - 1;
    if (k >= 0 && this.numbers[k]! + (i - this.starts[k]!) === rowNumber) return;
    if (this.runs === this.starts.length) {
      this.starts = resized(this.starts, this.runs * 2);
      this.numbers = resized(this.numbers, this.runs * 2);
    }
    this.starts[this.runs] = i;
    this.numbers[this.runs++] = rowNumber;
  }

  get(i: number): number {
    if (!(i >= 0 && i < this.length)) throw new RangeError(`RowNumbers: no row ${i}`);
    let k = this.last;
    if (!(this.starts[k]! <= i && (k + 1 === this.runs || this.starts[k + 1]! > i))) {
      // the last run starting at or before i
      let lo = 0;
      let hi = this.runs - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (this.starts[mid]! <= i) lo = mid;
        else hi = mid - 1;
      }
      k = this.last = lo;
    }
    return this.numbers[k]! + (i - this.starts[k]!);
  }

  *[Symbol.iterator](): IterableIterator<number> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}
