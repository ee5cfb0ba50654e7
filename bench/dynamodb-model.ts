/**
 * A model of real DynamoDB's write limits, for the items the product actually writes: dynalite
 * has no partition limits, DynamoDB has. Each item is sized as DynamoDB sizes it and billed in
 * write units (one per started KB) on its table partition and, for each index whose keys it
 * carries (projection ALL: the whole item), on that index partition. A global secondary index has
 * its own throughput, and a table write waits for its indexes', so the least time those writes can
 * take is the largest of:
 *   - the busiest partition key's write units ÷ 1,000 a second (a partition's limit);
 *   - the table's write units, and each index's, ÷ a new on-demand table's starting throughput,
 *     about 4,000 a second.
 * Sources: the DynamoDB developer guide, "Item sizes and formats", "Service quotas" (per-partition
 * throughput), "On-demand capacity mode" (initial throughput) and "Global secondary indexes"
 * (provisioned throughput considerations).
 */

export const PARTITION_WRITE_UNITS_PER_SECOND = 1_000;
export const ON_DEMAND_INITIAL_WRITE_UNITS_PER_SECOND = 4_000;
const WRITE_UNIT_BYTES = 1_024;

export type ModelItem = Record<string, unknown>;

/** The indexes whose keys an item may carry: their partition-key attribute. */
export interface ModelIndex {
  name: string;
  partitionKey: string;
}

/** DynamoDB's size of a value: UTF-8 strings, numbers by significant digits, 1 byte for booleans and null, 3 + 1 a member for lists and maps. */
export function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') {
    const digits = String(Math.abs(value)).replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
    return Math.ceil(Math.max(1, digits.length) / 2) + 1;
  }
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + valueSize(v) + 1, 0);
  if (typeof value === 'object')
    return 3 + Object.entries(value).reduce((sum, [k, v]) => sum + Buffer.byteLength(k, 'utf8') + valueSize(v) + 1, 0);
  return Buffer.byteLength(String(value), 'utf8');
}

/** An item's size: each attribute's name and value. */
export function itemSize(item: ModelItem): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    size += Buffer.byteLength(name, 'utf8') + valueSize(value);
  }
  return size;
}

export interface WriteModel {
  items: number;
  writeUnits: number;
  /** Write units by table (`table`) and index name. */
  byTable: Record<string, number>;
  /** Partitions (table `pk`, or `index:key`) by write units, busiest first, at most 5. */
  busiest: { partition: string; writeUnits: number }[];
  /** The least seconds the writes can take under the limits above. */
  minSeconds: number;
}

/** Counts the write units of writing `items` once each, per partition. */
export function modelWrites(items: Iterable<ModelItem>, tablePartitionKey: string, indexes: readonly ModelIndex[]): WriteModel {
  const byPartition = new Map<string, number>();
  const byTable: Record<string, number> = { table: 0 };
  let count = 0;
  let total = 0;
  const add = (table: string, partition: string, units: number) => {
    byPartition.set(partition, (byPartition.get(partition) ?? 0) + units);
    byTable[table] = (byTable[table] ?? 0) + units;
    total += units;
  };
  for (const item of items) {
    count++;
    const units = Math.ceil(itemSize(item) / WRITE_UNIT_BYTES);
    add('table', String(item[tablePartitionKey]), units);
    for (const index of indexes) {
      const key = item[index.partitionKey];
      if (key !== undefined) add(index.name, `${index.name}:${String(key)}`, units);
    }
  }
  const busiest = [...byPartition.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([partition, writeUnits]) => ({ partition, writeUnits }));
  const hottest = busiest[0]?.writeUnits ?? 0;
  const busiestTable = Math.max(...Object.values(byTable));
  const minSeconds = Math.max(hottest / PARTITION_WRITE_UNITS_PER_SECOND, busiestTable / ON_DEMAND_INITIAL_WRITE_UNITS_PER_SECOND);
  return { items: count, writeUnits: total, byTable, busiest, minSeconds };
}

/**
 * Reads: a Query is billed by the size of what it reads, in read units of 4 KB (half a unit each
 * when eventually consistent, as the plan store's queries are). One partition serves at most
 * 3,000 read units a second, a new on-demand table about 12,000.
 */
export const PARTITION_READ_UNITS_PER_SECOND = 3_000;
export const ON_DEMAND_INITIAL_READ_UNITS_PER_SECOND = 12_000;
const READ_UNIT_BYTES = 4_096;

export interface ReadModel {
  items: number;
  readUnits: number;
  busiest: { partition: string; readUnits: number }[];
  minSeconds: number;
}

/** The read units of querying `items` (each partition read in full), per partition. */
export function modelReads(items: Iterable<ModelItem>, tablePartitionKey: string): ReadModel {
  const bytes = new Map<string, number>();
  let count = 0;
  for (const item of items) {
    count++;
    const partition = String(item[tablePartitionKey]);
    bytes.set(partition, (bytes.get(partition) ?? 0) + itemSize(item));
  }
  const units = [...bytes.entries()].map(([partition, size]) => ({ partition, readUnits: Math.ceil(size / READ_UNIT_BYTES) / 2 }));
  units.sort((a, b) => b.readUnits - a.readUnits);
  const readUnits = units.reduce((sum, u) => sum + u.readUnits, 0);
  const minSeconds = Math.max(
    (units[0]?.readUnits ?? 0) / PARTITION_READ_UNITS_PER_SECOND,
    readUnits / ON_DEMAND_INITIAL_READ_UNITS_PER_SECOND,
  );
  return { items: count, readUnits, busiest: units.slice(0, 5), minSeconds };
}
