/**
 * Compact string storage for up to millions of rows. A JS string per row costs ~50–100 bytes
 * with its Map entry; these keep UTF-8 bytes in fixed blocks instead.
 */
import { resized } from './typed-arrays.js';

/** Low-cardinality values (offers, programs, statuses): each distinct string stored once. */
export class StringTable {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  intern(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      const own = detach(value);
      this.values.push(own);
      this.ids.set(own, id);
    }
    return id;
  }

  get(id: number): string {
    return this.values[id]!;
  }
}

/**
 * A copy of `value` that shares no memory with the string it was cut from. Values parsed from a
 * CSV chunk are V8 "sliced strings": keeping one keeps its whole 64 KB chunk alive.
 */
export function detach(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8');
}

/**
 * Append-only strings as UTF-8 bytes in fixed 1 MiB blocks (growing never copies or doubles):
 * ~length + 6 bytes each. Cells are at most a few thousand bytes, so one always fits a block.
 */
export class StringArena {
  private static readonly BLOCK = 1 << 20;
  private blocks: Buffer[] = [];
  private used = StringArena.BLOCK;
  /** Block × BLOCK + offset of each string, and its byte length. */
  private starts = new Uint32Array(1 << 10);
  private lengths = new Uint32Array(1 << 10);
  count = 0;

  add(value: string): number {
    const need = Buffer.byteLength(value);
    if (this.used + need > StringArena.BLOCK) {
      this.blocks.push(Buffer.allocUnsafe(Math.max(StringArena.BLOCK, need)));
      this.used = 0;
    }
    if (this.count === this.starts.length) {
      this.starts = resized(this.starts, this.count * 2);
      this.lengths = resized(this.lengths, this.count * 2);
    }
    const block = this.blocks.length - 1;
    this.blocks[block]!.write(value, this.used);
    this.starts[this.count] = block * StringArena.BLOCK + this.used;
    this.lengths[this.count] = need;
    this.used += need;
    return this.count++;
  }

  get(index: number): string {
    const start = this.starts[index]!;
    const block = Math.floor(start / StringArena.BLOCK);
    const offset = start - block * StringArena.BLOCK;
    return this.blocks[block]!.toString('utf8', offset, offset + this.lengths[index]!);
  }
}
