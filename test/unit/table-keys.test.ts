/** The table's keys (shared/storage/dynamodb/table-design.ts): where a partner's items live. */
import { describe, expect, it } from 'vitest';
import { isoToDay } from '../../shared/domain/dates.js';
import { dueKeys, keys, PLAN_SHARDS, partnerOfKey, shardOf } from '../../shared/storage/dynamodb/table-design.js';

describe('the table keys', () => {
  it("spreads a partner's plan items over its shards by a hash of the id that never changes", () => {
    // Stored keys depend on it: these values are String.hashCode's, pinned.
    expect(shardOf('')).toBe(0);
    expect(shardOf('a')).toBe(97 % PLAN_SHARDS);
    expect(shardOf('sub-1')).toBe(109_786_084 % PLAN_SHARDS);
    expect(keys.planPartition('contoso', 'sub-1')).toBe(`P#contoso#${shardOf('sub-1')}`);
    const used = new Set(Array.from({ length: 1_000 }, (_, i) => keys.planPartition('contoso', `sub-${i}`)));
    expect([...used].sort()).toEqual(keys.planPartitions('contoso').sort());
  });

  it("puts an item's due-index keys on the due partition of its own shard, by date first", () => {
    const pk = keys.planPartition('contoso', 'sub-1');
    expect(dueKeys(pk, 'SUB#sub-1', isoToDay('2027-01-04'))).toEqual({
      gsi1pk: `DUE#contoso#${shardOf('sub-1')}`,
      gsi1sk: '2027-01-04#SUB#sub-1',
    });
    expect(dueKeys(pk, 'SUB#sub-1', undefined)).toEqual({});
    expect(keys.dueShards('contoso')).toContain(`DUE#contoso#${shardOf('sub-1')}`);
  });

  it('reads the partner back from a control partition and from a plan shard alike', () => {
    expect(partnerOfKey(keys.partner('contoso.it'))).toBe('contoso.it');
    expect(partnerOfKey(keys.planPartition('contoso.it', 'c-9'))).toBe('contoso.it');
  });
});
