/** Everything the table holds of one partner, for tests: its control items and its plan's shards. */
import { type Item, partnerItems, planPartitionItems } from '../../shared/storage/dynamodb/table-client.js';

/** A partner's items whose sort key starts with `prefix` (every item with none). */
export async function allPartnerItems(partnerId: string, prefix = ''): Promise<Item[]> {
  const list: Item[] = [];
  for await (const item of partnerItems(partnerId, prefix)) list.push(item);
  for await (const item of planPartitionItems(partnerId, prefix)) list.push(item);
  return list;
}
