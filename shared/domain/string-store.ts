/**
 * Compact string storage for up to millions of rows. A JS string per row costs ~50–100 bytes
 * with its Map entry; these keep UTF-8 bytes in one growing buffer instead.
 */

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

/** Append-only strings as UTF-8 bytes with offsets: ~length + 4 bytes each. */
export class StringArena {
  protected bytes: Buffer = Buffer.allocUnsafe(1 << 16);
  protected used = 0;
  protected offsets = new Uint32Array(1 << 12);
  count = 0;

  add(value: string): number {
    const need = Buffer.byteLength(value);
    if (this.used + need > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + need));
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    if (this.count + 2 > this.offsets.length) {
      const bigger = new Uint32Array(this.offsets.length * 2);
      bigger.set(this.offsets);
      this.offsets = bigger;
    }
    this.used += this.bytes.write(value, this.used);
    this.count++;
    this.offsets[this.count] = this.used;
    return this.count - 1;
  }

  get(index: number): string {
    return this.bytes.toString('utf8', this.offsets[index], this.offsets[index + 1]);
  }

  /** Bytes held, for memory accounting in benchmarks. */
  get byteSize(): number {
    return this.bytes.length + this.offsets.byteLength;
  }
}

/** An arena that also finds a string's index: open addressing over FNV-1a of the bytes. */
export class IndexedArena extends StringArena {
  private slots = new Int32Array(1 << 13).fill(-1);
  /** Encodes the probe of find() without allocating. */
  private scratch = Buffer.allocUnsafe(4096);

  /** The string find() looked for last, and the empty slot where it would go. */
  private probed: { value: string | undefined; slot: number } = { value: undefined, slot: -1 };

  /** The index of an equal string added before, or -1. */
  find(value: string): number {
    if (value.length * 3 > this.scratch.length) this.scratch = Buffer.allocUnsafe(value.length * 3);
    const length = this.scratch.write(value);
    const probe = this.scratch.subarray(0, length);
    const mask = this.slots.length - 1;
    for (let slot = hash(probe, 0, length) & mask; ; slot = (slot + 1) & mask) {
      const index = this.slots[slot]!;
      if (index === -1) {
        this.probed.value = value;
        this.probed.slot = slot;
        return -1;
      }
      if (this.equals(index, probe)) return index;
    }
  }

  /**
   * Adds a string known to be absent (see find) and indexes it. Right after find() missed the
   * same string, its probe is reused: no second encoding and hashing.
   */
  override add(value: string): number {
    const probed = this.probed.value === value ? this.probed.slot : -1;
    this.probed.value = undefined;
    const index = super.add(value);
    if ((this.count << 1) > this.slots.length) this.rehash();
    else if (probed !== -1) this.slots[probed] = index;
    else this.place(index);
    return index;
  }

  private equals(index: number, probe: Buffer): boolean {
    const start = this.offsets[index]!;
    const end = this.offsets[index + 1]!;
    return end - start === probe.length && this.bytes.compare(probe, 0, probe.length, start, end) === 0;
  }

  private place(index: number): void {
    const mask = this.slots.length - 1;
    let slot = hash(this.bytes, this.offsets[index]!, this.offsets[index + 1]!) & mask;
    while (this.slots[slot] !== -1) slot = (slot + 1) & mask;
    this.slots[slot] = index;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    for (let i = 0; i < this.count; i++) this.place(i);
  }

  override get byteSize(): number {
    return super.byteSize + this.slots.byteLength;
  }
}

function hash(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}
