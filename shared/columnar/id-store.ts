/**
 * Subscription and customer ids of an upload: up to millions, almost always GUIDs. A GUID is kept
 * as its 16 bytes (not 36 characters of text) in a 16-byte record, its kind (lower or upper case,
 * or text) in 2 bits beside it; any other id as UTF-8 text. Records live in fixed blocks, so
 * growing never copies or doubles memory, and the hash index can be dropped once lookups are
 * over (dropIndex).
 */

import { release } from './typed-arrays.js';

const BLOCK_BITS = 16;
const BLOCK = 1 << BLOCK_BITS;
const INTS = 4; // 4 × 32 bits of GUID, or text block / offset / length
const TEXT_BLOCK = 1 << 20;

/** Kinds, 2 bits a record (4 to a byte). */
const LOWER_GUID = 0;
const UPPER_GUID = 1;
const TEXT = 2;

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let d = 0; d < 10; d++) HEX_VALUE[48 + d] = d;
for (let d = 0; d < 6; d++) HEX_VALUE[97 + d] = HEX_VALUE[65 + d] = 10 + d;
const HEX_LOWER_CODES = Buffer.from('0123456789abcdef', 'latin1');
const HEX_UPPER_CODES = Buffer.from('0123456789ABCDEF', 'latin1');

export class IdStore {
  private blocks: Int32Array[] = [];
  private kindBlocks: Uint8Array[] = [];
  private textBlocks: Buffer[] = [];
  private textUsed = TEXT_BLOCK; // no text block yet
  private slots: Int32Array | undefined = new Int32Array(1 << 12).fill(-1);
  count = 0;

  /** The probe of the last find(): its record, kind and hash, and the empty slot where it would go. */
  private readonly probe = new Int32Array(INTS);
  private probeKind = TEXT;
  private probeHash = 0;
  private probeText: string | undefined;
  private probeSlot = -1;
  private probeValue: string | undefined;
  private readonly scratch = Buffer.allocUnsafe(4 * 1024 * 3);

  /** The index of an equal id added before, or -1. */
  find(value: string): number {
    const slots = this.slots;
    if (!slots) throw new Error('IdStore: the index was dropped');
    this.probeValue = undefined; // the probe is about to hold `value`, found or not
    this.encode(value);
    const mask = slots.length - 1;
    for (let slot = this.probeHash & mask; ; slot = (slot + 1) & mask) {
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
    if (!this.slots) throw new Error('IdStore: the index was dropped');
    if (this.probeValue !== value) {
      if (this.find(value) !== -1) throw new Error('IdStore: the id is already stored');
    }
    this.probeValue = undefined;
    const index = this.count++;
    const block = index >>> BLOCK_BITS;
    if (block === this.blocks.length) {
      this.blocks.push(new Int32Array(BLOCK * INTS));
      this.kindBlocks.push(new Uint8Array(BLOCK / 4));
    }
    const at = (index & (BLOCK - 1)) * INTS;
    const record = this.blocks[block]!;
    const j = index & (BLOCK - 1);
    this.kindBlocks[block]![j >>> 2]! |= this.probeKind << ((j & 3) * 2);
    if (this.probeKind === TEXT) this.storeText(record, at);
    else record.set(this.probe, at);
    const slots = this.slots!;
    if (this.count * 2 > slots.length) this.rehash(slots.length * 2);
    else slots[this.probeSlot] = index;
    return index;
  }

  get(index: number): string {
    const record = this.blocks[index >>> BLOCK_BITS]!;
    const at = (index & (BLOCK - 1)) * INTS;
    const kind = this.kindOf(index);
    if (kind === TEXT) return this.textBlocks[record[at]!]!.toString('utf8', record[at + 1]!, record[at + 1]! + record[at + 2]!);
    // Hex digits into a reused buffer, then one flat string: a template of 20 pieces left
    // ~600 bytes of string fragments behind for every id written.
    const out = this.text;
    const digits = kind === UPPER_GUID ? HEX_UPPER_CODES : HEX_LOWER_CODES;
    let pos = 0;
    for (let w = 0; w < 4; w++) {
      const word = record[at + w]!;
      for (let shift = 28; shift >= 0; shift -= 4) {
        if (pos === 8 || pos === 13 || pos === 18 || pos === 23) out[pos++] = 45;
        out[pos++] = digits[(word >>> shift) & 15]!;
      }
    }
    return out.toString('latin1', 0, 36);
  }

  private readonly text = Buffer.alloc(36);

  private kindOf(index: number): number {
    const j = index & (BLOCK - 1);
    return (this.kindBlocks[index >>> BLOCK_BITS]![j >>> 2]! >>> ((j & 3) * 2)) & 3;
  }

  /** Sizes the index for about `count` ids at once (no rehashing while they come). */
  reserve(count: number): void {
    if (!this.slots) return;
    let size = this.slots.length;
    while (size < count * 2) size *= 2;
    if (size > this.slots.length) this.rehash(size);
  }

  /** Frees the hash index (about 8 bytes an id) once no more lookups will come. */
  dropIndex(): void {
    if (this.slots) release(this.slots);
    this.slots = undefined;
  }

  /** Fills the probe with the id's record (GUID words, or the text kept aside), kind and hash. */
  private encode(value: string): void {
    const p = this.probe;
    this.probeKind = parseGuid(value, p);
    if (this.probeKind !== TEXT) {
      this.probeText = undefined;
      this.probeHash = guidHash(p, 0);
      return;
    }
    this.probeText = value;
    this.probeHash = textHash(value);
  }

  private equals(index: number): boolean {
    if (this.kindOf(index) !== this.probeKind) return false;
    const record = this.blocks[index >>> BLOCK_BITS]!;
    const at = (index & (BLOCK - 1)) * INTS;
    const p = this.probe;
    if (this.probeKind !== TEXT)
      return record[at] === p[0] && record[at + 1] === p[1] && record[at + 2] === p[2] && record[at + 3] === p[3];
    const text = this.probeText!;
    const length = record[at + 2]!;
    if (length > this.scratch.length) return this.get(index) === text;
    const written = this.scratch.write(text, 0);
    if (written !== length || written === this.scratch.length) return this.get(index) === text;
    return this.textBlocks[record[at]!]!.compare(this.scratch, 0, written, record[at + 1]!, record[at + 1]! + length) === 0;
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
    record[at] = block;
    record[at + 1] = this.textUsed;
    record[at + 2] = length;
    this.textUsed += length;
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let index = 0; index < this.count; index++) {
      // the hash again, from the record (rare: reserve() sizes the index up front)
      const hash =
        this.kindOf(index) === TEXT
          ? textHash(this.get(index))
          : guidHash(this.blocks[index >>> BLOCK_BITS]!, (index & (BLOCK - 1)) * INTS);
      let slot = hash & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = index;
    }
    this.slots = slots;
  }
}

/** Case seen in hex digits, accumulated by hexDigits. */
let sawLower = false;
let sawUpper = false;

/** `count` hex digits of `value` from `at` as a number, or -1 when one is not a hex digit. */
function hexDigits(value: string, at: number, count: number): number {
  let word = 0;
  for (let k = at; k < at + count; k++) {
    const code = value.charCodeAt(k);
    const digit = code < 128 ? HEX_VALUE[code]! : -1;
    if (digit < 0) return -1;
    if (code >= 97) sawLower = true;
    else if (code >= 65) sawUpper = true;
    word = word * 16 + digit;
  }
  return word;
}

/**
 * Reads a GUID written in one case (or only digits) into words 0–3 of `record`; returns its kind,
 * or TEXT (words untouched) when `value` is anything else, mixed case included.
 */
function parseGuid(value: string, record: Int32Array): number {
  if (
    value.length !== 36 ||
    value.charCodeAt(8) !== 45 ||
    value.charCodeAt(13) !== 45 ||
    value.charCodeAt(18) !== 45 ||
    value.charCodeAt(23) !== 45
  )
    return TEXT;
  sawLower = sawUpper = false;
  const a = hexDigits(value, 0, 8);
  const b1 = hexDigits(value, 9, 4);
  const b2 = hexDigits(value, 14, 4);
  const c1 = hexDigits(value, 19, 4);
  const c2 = hexDigits(value, 24, 4);
  const d = hexDigits(value, 28, 8);
  if (a < 0 || b1 < 0 || b2 < 0 || c1 < 0 || c2 < 0 || d < 0 || (sawLower && sawUpper)) return TEXT;
  record[0] = a;
  record[1] = b1 * 65536 + b2;
  record[2] = c1 * 65536 + c2;
  record[3] = d;
  return sawUpper ? UPPER_GUID : LOWER_GUID;
}

function guidHash(words: Int32Array, at: number): number {
  return mix(mix(mix(mix(0x9e3779b9, words[at]!), words[at + 1]!), words[at + 2]!), words[at + 3]!) >>> 0;
}

function textHash(value: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < value.length; k++) h = Math.imul(h ^ value.charCodeAt(k), 0x01000193);
  return h >>> 0;
}

function mix(h: number, word: number): number {
  h = Math.imul(h ^ word, 0x85ebca6b);
  return h ^ (h >>> 13);
}
