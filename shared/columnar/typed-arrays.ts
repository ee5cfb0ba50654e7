/** Growing the typed-array columns, arenas and tables of a portfolio. */
export type TypedArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** A copy of `array` in a new array of the same type and `length` elements (zeros after it). */
export function resized<T extends TypedArray>(array: T, length: number): T {
  const copy = new (array.constructor as new (length: number) => T)(length);
  copy.set(array.subarray(0, Math.min(array.length, length)) as never);
  return copy;
}

/**
 * Gives a typed array's memory back now rather than at the next full garbage collection, which
 * may come only after the next phase has allocated its own (at 1M rows, an 8 MB hash index
 * outlived ingest into the planner's peak). The buffer is transferred away — every view of it
 * reads as empty after — so only for an array nothing else refers to. A view of part of a
 * buffer (a pooled Buffer) is left alone.
 */
export function release(array: TypedArray): void {
  const buffer = array.buffer;
  if (!(buffer instanceof ArrayBuffer) || array.byteOffset !== 0 || array.byteLength !== buffer.byteLength) return;
  structuredClone(undefined, { transfer: [buffer] });
}
