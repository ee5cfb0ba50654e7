import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdStore } from '../../shared/columnar/id-store.js';

const idArb = fc.oneof(
  fc.uuid(),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.uuid().map((u) => u.slice(0, 9) + u.slice(9).toUpperCase()), // mixed case: kept as text
  fc.uuid().map((u) => `{${u}}`),
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
  fc.constantFrom('SUB-1', 'sub-1', '00000000-0000-0000-0000-000000000000', '0000000g-0000-0000-0000-000000000000'),
);

describe('IdStore', () => {
  it('finds each distinct id once and gives back exactly the text it was given', () => {
    fc.assert(
      fc.property(fc.array(idArb, { maxLength: 300 }), (ids) => {
        const store = new IdStore();
        const seen = new Map<string, number>();
        for (const id of ids) {
          const found = store.find(id);
          if (seen.has(id)) expect(found).toBe(seen.get(id));
          else {
            expect(found).toBe(-1);
            seen.set(id, store.add(id));
          }
        }
        expect(store.count).toBe(seen.size);
        for (const [id, index] of seen) expect(store.get(index)).toBe(id);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps ids readable after the index is dropped, and refuses lookups then', () => {
    const store = new IdStore();
    const ids = Array.from({ length: 70_000 }, (_, i) => `${i.toString(16).padStart(8, '0')}-55b1-4bb3-939e-310eb786ec1c`);
    for (const id of ids) store.add(id);
    store.dropIndex();
    expect(store.get(0)).toBe(ids[0]);
    expect(store.get(69_999)).toBe(ids[69_999]);
    expect(() => store.find(ids[1]!)).toThrow(/dropped/);
  });
});

describe('IdStore GUIDs', () => {
  it('keeps the case of GUIDs written in one case, whatever their high bits', () => {
    const store = new IdStore();
    const ids = [
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFE',
      '80000000-0000-0000-0000-000000000000',
      '12345678-9abc-def0-1234-56789abcdef0',
    ];
    const indexes = ids.map((id) => store.add(id));
    expect(indexes.map((i) => store.get(i))).toEqual(ids);
    expect(ids.map((id) => store.find(id))).toEqual(indexes);
    expect(store.find('ffffffff-ffff-ffff-ffff-fffffffffffe')).toBe(-1); // case tells ids apart
  });
});

describe('IdStore probes', () => {
  it('adds the right id when another lookup came between find and add', () => {
    const store = new IdStore();
    const a = '11111111-1111-1111-1111-111111111111';
    const b = '22222222-2222-2222-2222-222222222222';
    store.add(b);
    expect(store.find(a)).toBe(-1);
    expect(store.find(b)).toBe(0); // a hit in between: the probe now holds b
    const index = store.add(a);
    expect(store.get(index)).toBe(a);
    expect(store.find(a)).toBe(index);
  });
});
