/**
 * Columns that start narrow and widen the first time a value does not fit: most files have a few
 * dozen distinct offers, programs and statuses and seat counts under 65,536, so a million rows
 * take one or two bytes a column, not four. A setter returns the column, widened or not: keep it.
 */

/** Small ids: 8-bit until a value needs more, then 16-bit, then 32-bit. */
export type SmallIds = Int8Array | Int16Array | Int32Array;

/** Counts: 16-bit unsigned until a value needs more, then 32-bit. */
export type Counts = Uint16Array | Int32Array;

/** Stores an id (≥ -1) at `i`, widening the column when it does not fit. */
export function setSmallId(column: SmallIds, i: number, id: number): SmallIds {
  if (id > 127 && column instanceof Int8Array) column = Int16Array.from(column);
  if (id > 32_767 && column instanceof Int16Array) column = Int32Array.from(column);
  column[i] = id;
  return column;
}

/** Stores a count (≥ 0) at `i`, widening the column to 32 bits when it does not fit 16. */
export function setCount(column: Counts, i: number, count: number): Counts {
  if (count > 0xffff && column instanceof Uint16Array) column = Int32Array.from(column);
  column[i] = count;
  return column;
}
