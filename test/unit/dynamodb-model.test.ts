/** The DynamoDB write model of the bench (bench/dynamodb-model.ts): sizes, write units and the limits that bound them. */
import { describe, expect, it } from 'vitest';
import { itemSize, modelReads, modelWrites, valueSize } from '../../bench/dynamodb-model.js';

describe('the DynamoDB write model', () => {
  it('sizes values as DynamoDB does: UTF-8 strings, numbers by significant digits, 1 byte for booleans and null', () => {
    expect(valueSize('abc')).toBe(3);
    expect(valueSize('é')).toBe(2);
    expect(valueSize(true)).toBe(1);
    expect(valueSize(null)).toBe(1);
    expect(valueSize(7)).toBe(2);
    expect(valueSize(123_456)).toBe(4);
    expect(valueSize(1_000)).toBe(2);
    expect(itemSize({ pk: 'P#p', n: 12 })).toBe(2 + 3 + 1 + 2);
  });

  it('bills a write unit per started KB, on the table partition and on each index partition the item carries', () => {
    const small = { pk: 'P#a', sk: 'x' };
    const large = { pk: 'P#a', sk: 'y', gsi1pk: 'DUE#0', blob: 'z'.repeat(1_500) };
    const model = modelWrites([small, large], 'pk', [{ name: 'due', partitionKey: 'gsi1pk' }]);
    expect(model.items).toBe(2);
    expect(model.writeUnits).toBe(1 + 2 + 2);
    expect(model.busiest[0]).toEqual({ partition: 'P#a', writeUnits: 3 });
    expect(model.busiest[1]).toEqual({ partition: 'due:DUE#0', writeUnits: 2 });
  });

  it('takes at least the busiest partition ÷ 1,000 a second, or all writes ÷ 4,000 a second', () => {
    const onePartition = Array.from({ length: 5_000 }, (_, i) => ({ pk: 'P#a', sk: `s${i}` }));
    expect(modelWrites(onePartition, 'pk', []).minSeconds).toBe(5);
    const spread = Array.from({ length: 20_000 }, (_, i) => ({ pk: `P#a#${i % 100}`, sk: `s${i}` }));
    expect(modelWrites(spread, 'pk', []).minSeconds).toBe(5);
  });

  it('gives the table and each index their own throughput: spread writes take the busiest one ÷ 4,000 a second', () => {
    const indexed = Array.from({ length: 20_000 }, (_, i) => ({ pk: `P#a#${i % 100}`, sk: `s${i}`, gsi1pk: `DUE#a#${i % 100}` }));
    const model = modelWrites(indexed, 'pk', [{ name: 'due', partitionKey: 'gsi1pk' }]);
    expect(model.byTable).toEqual({ table: 20_000, due: 20_000 });
    expect(model.minSeconds).toBe(5);
  });
});

describe('the DynamoDB read model', () => {
  /** An item of exactly `bytes`: the names `pk` and `v`, the partition key, then padding. */
  const item = (pk: string, bytes: number) => ({ pk, v: 'x'.repeat(bytes - 3 - pk.length) });
  it('sizes the test items as asked', () => expect(itemSize(item('p1', 4_096))).toBe(4_096));

  it('bills half a read unit per started 4 KB a partition returns (eventually consistent): 4,097 bytes are two', () => {
    const read = modelReads([item('a', 4_000), item('a', 97), item('b', 100)], 'pk');
    expect(read.items).toBe(3);
    expect(read.busiest).toEqual([
      { partition: 'a', readUnits: 1 },
      { partition: 'b', readUnits: 0.5 },
    ]);
    expect(read.readUnits).toBe(1.5);
  });

  it('takes at least the busiest partition ÷ 3,000 a second, or all reads ÷ 12,000 a second', () => {
    const one = Array.from({ length: 6_000 }, () => item('hot', 4_096));
    expect(modelReads(one, 'pk').minSeconds).toBe(1);
    const spread = Array.from({ length: 48_000 }, (_, i) => item(`p${i % 16}`, 4_096));
    expect(modelReads(spread, 'pk').minSeconds).toBe(2);
  });
});
