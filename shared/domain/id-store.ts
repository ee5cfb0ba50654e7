/**
 * Subscription and customer ids of an upload: up to millions, almost always GUIDs. A GUID is kept
 * as its 16 bytes (not 36 characters of text) in a 20-byte record with its hash; any other id
 * as UTF-8 text. Records live in fixed blocks, so growing never copies or doubles memory, and
 * the hash index can be dropped once lookups are over (dropIndex).
 */

const BLOCK_BITS = 16;
const BLOCK = 1 << BLOCK_BITS;
const INTS = 5; // tag, then 4 × 32 bits of GUID, or text block / offset / length
const TEXT_BLOCK = 1 << 20;

/** Kinds in the low 2 bits of a record's tag; the rest of the tag is the id's hash. */
const LOWER_GUID = 0;
const UPPER_GUID = 1;
const TEXT = 2;

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let d = 0; d < 10; d++) HEX_VALUE[48 + d] = d;
for (let d = 0; d < 6; d++) HEX_VALUE[97 + d] = HEX_VALUE[65 + d] = 10 + d;
const HEX_LOWER = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const HEX_UPPER = HEX_LOWER.map((h) => h.toUpperCase());
/** Where the 32 hex digits of a GUID stand in its 36 characters. */
const DIGIT_AT = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 17, 19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35];

export class IdStore {
  private blocks: Int32Array[] = [];
  private textBlocks: Buffer[] = [];
  private textUsed = TEXT_BLOCK; // no text block yet
  private slots: Int32Array | undefined = new Int32Array(1 << 12).fill(-1);
  count = 0;

  /** The probe of the last find(): its record, and the empty slot where it would go. */
  private readonly probe = new Int32Array(INTS);
  private probeText: string | undefined;
  private probeSlot = -1;
  private probeValue: string | undefined;
  private readonly scratch = Buffer.allocUnsafe(4 * 1024 * 3);

  /** The index of an equal id added before, or -1. */
  find(value: string): number {
    const slots = this.slots;
    if (!slots) throw new Error('IdStore: the index was dropped');
    this.encode(value);
    const tag = this.probe[0]!;
    const mask = slots.length - 1;
    for (let slot = (tag >>> 2) & mask; ; slot = (slot + 1) & mask) {
      const index = slots[slot]!;
      if (index === -1) {
        this.probeSlot = slot;
        this.probeValue = value;
        return -1;
      }
      if (this.equals(index)) return index;
    }
  }

  /** Adds an id that find() just missed, or any id known to be absent. */
  add(value: string): number {
    if (this.probeValue !== value) {
      if (this.find(value) !== -1) throw new Error('IdStore: the id is already stored');
    }
    this.probeValue = undefined;
    const index = this.count++;
    const block = index >>> BLOCK_BITS;
    if (block === this.blocks.length) this.blocks.push(new Int32Array(BLOCK * INTS));
    const at = (index & (BLOCK - 1)) * INTS;
    const record = this.blocks[block]!;
    record.set(this.probe, at);
    if ((this.probe[0]! & 3) === TEXT) this.storeText(record, at);
    const slots = this.slots!;
    if (this.count * 2 > slots.length) this.rehash(slots.length * 2);
    else slots[this.probeSlot] = index;
    return index;
  }

  get(index: number): string {
    const record = this.blocks[index >>> BLOCK_BITS]!;
    const at = (index & (BLOCK - 1)) * INTS;
    const kind = record[at]! & 3;
    if (kind === TEXT) return this.textBlocks[record[at + 1]!]!.toString('utf8', record[at + 2]!, record[at + 2]! + record[at + 3]!);
    const hex = kind === UPPER_GUID ? HEX_UPPER : HEX_LOWER;
    const a = record[at + 1]!;
    const b = record[at + 2]!;
    const c = record[at + 3]!;
    const d = record[at + 4]!;
    return `${hex[a >>> 24]}${hex[(a >>> 16) & 255]}${hex[(a >>> 8) & 255]}${hex[a & 255]}-${hex[b >>> 24]}${hex[(b >>> 16) & 255]}-${hex[(b >>> 8) & 255]}${hex[b & 255]}-${hex[c >>> 24]}${hex[(c >>> 16) & 255]}-${hex[(c >>> 8) & 255]}${hex[c & 255]}${hex[d >>> 24]}${hex[(d >>> 16) & 255]}${hex[(d >>> 8) & 255]}${hex[d & 255]}`;
  }

  /** Frees the hash index (about 8 bytes an id) once no more lookups will come. */
  dropIndex(): void {
    this.slots = undefined;
  }

  /** Bytes held, for memory accounting in benchmarks. */
  get byteSize(): number {
    return this.blocks.length * BLOCK * INTS * 4 + this.textBlocks.length * TEXT_BLOCK + (this.slots?.byteLength ?? 0);
  }

  /** Fills `probe` with the id's record (tag with hash and kind, then bytes or text). */
  private encode(value: string): void {
    const p = this.probe;
    const kind = guidKind(value);
    if (kind !== TEXT) {
      let word = 0;
      for (let k = 0; k < 32; k++) {
        word = (word << 4) | HEX_VALUE[value.charCodeAt(DIGIT_AT[k]!)]!;
        if ((k & 7) === 7) p[1 + (k >>> 3)] = word;
      }
      const h = mix(mix(mix(mix(0x9e3779b9, p[1]!), p[2]!), p[3]!), p[4]!);
      p[0] = (h & ~3) | kind;
      this.probeText = undefined;
      return;
    }
    let h = 0x811c9dc5;
    for (let k = 0; k < value.length; k++) h = Math.imul(h ^ value.charCodeAt(k), 0x01000193);
    p[0] = (h & ~3) | TEXT;
    p[1] = p[2] = p[3] = p[4] = 0;
    this.probeText = value;
  }

  private equals(index: number): boolean {
    const record = this.blocks[index >>> BLOCK_BITS]!;
    const at = (index & (BLOCK - 1)) * INTS;
    const p = this.probe;
    if (record[at] !== p[0]) return false;
    if ((p[0]! & 3) !== TEXT) return record[at + 1] === p[1] && record[at + 2] === p[2] && record[at + 3] === p[3] && record[at + 4] === p[4];
    const text = this.probeText!;
    const length = record[at + 3]!;
    if (length > this.scratch.length) return this.get(index) === text;
    const written = this.scratch.write(text, 0);
    if (written !== length || written === this.scratch.length) return this.get(index) === text;
    return this.textBlocks[record[at + 1]!]!.compare(this.scratch, 0, written, record[at + 2]!, record[at + 2]! + length) === 0;
  }

  private storeText(record: Int32Array, at: number): void {
    const text = this.probeText!;
    const length = Buffer.byteLength(text);
    if (this.textUsed + length > TEXT_BLOCK) {
      this.textBlocks.push(Buffer.allocUnsafe(Math.max(TEXT_BLOCK, length)));
      this.textUsed = 0;
    }
    const block = this.textBlocks.length - 1;
    this.textBlocks[block]!.write(text, this.textUsed);
    record[at + 1] = block;
    record[at + 2] = this.textUsed;
    record[at + 3] = length;
    this.textUsed += length;
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let index = 0; index < this.count; index++) {
      const tag = this.blocks[index >>> BLOCK_BITS]![(index & (BLOCK - 1)) * INTS]!;
      let slot = (tag >>> 2) & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = index;
    }
    this.slots = slots;
  }
}

/** LOWER_GUID or UPPER_GUID when `value` is a GUID written in one case (or only digits), else TEXT. */
function guidKind(value: string): number {
  if (value.length !== 36) return TEXT;
  if (value.charCodeAt(8) !== 45 || value.charCodeAt(13) !== 45 || value.charCodeAt(18) !== 45 || value.charCodeAt(23) !== 45) return TEXT;
  let lower = false;
  let upper = false;
  for (let k = 0; k < 32; k++) {
    const code = value.charCodeAt(DIGIT_AT[k]!);
    if (code >= 128 || HEX_VALUE[code]! < 0) return TEXT;
    if (code >= 97) lower = true;
    else if (code >= 65) upper = true;
  }
  return lower && upper ? TEXT : upper ? UPPER_GUID : LOWER_GUID;
}

function mix(h: number, word: number): number {
  h = Math.imul(h ^ word, 0x85ebca6b);
  return h ^ (h >>> 13);
}
