/**
 * The table, reached through one DynamoDB document client. Reads go by key or index only (never a
 * Scan); bulk writes use BatchWriteItem with bounded concurrency and retry UnprocessedItems with
 * exponential backoff and full jitter. There are no transactions (dynalite lacks them): each state
 * change is one conditional write.
 */
import type * as DynamoDB from '@aws-sdk/client-dynamodb';
import type * as DynamoDBDocument from '@aws-sdk/lib-dynamodb';
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { clientConfig, resourceNames } from '../../aws/client-config.js';
import { requireSdk } from '../../aws/sdk.js';
import { keys } from './table-design.js';

const { ConditionalCheckFailedException, DynamoDBClient } = requireSdk<typeof DynamoDB>('@aws-sdk/client-dynamodb');
const { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } =
  requireSdk<typeof DynamoDBDocument>('@aws-sdk/lib-dynamodb');

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig()), {
  marshallOptions: { removeUndefinedValues: true },
});

/**
 * The client every request of this module goes through. The application never needs it; tests
 * and tools use it to observe requests or inject faults (`tableClient().middlewareStack.add`).
 */
export function tableClient(): DynamoDBDocument.DynamoDBDocumentClient {
  return ddb;
}

const table = () => resourceNames().table;

export type Item = Record<string, unknown> & { pk: string; sk: string };

const BATCH_SIZE = 25;
const WRITE_CONCURRENCY = 8;
const MAX_BATCH_ATTEMPTS = 12;

// --- single items ----------------------------------------------------------------------------

export async function getItem(pk: string, sk: string, consistent = true): Promise<Item | undefined> {
  const { Item: item } = await ddb.send(new GetCommand({ TableName: table(), Key: { pk, sk }, ConsistentRead: consistent }));
  return item as Item | undefined;
}

export async function putItem(item: Item): Promise<void> {
  await ddb.send(new PutCommand({ TableName: table(), Item: item }));
}

/** A put that only happens when `condition` holds: false when it did not. */
export async function putItemIf(item: Item, condition: Condition): Promise<boolean> {
  return ifConditionHolds(() =>
    ddb.send(new PutCommand({ TableName: table(), Item: item, ConditionExpression: condition.expression, ...expressionParts(condition) })),
  );
}

/**
 * An UpdateItem: `set` assigns attributes, `remove` deletes them, each named by placeholders so
 * reserved words (status, missing) need no care. With a condition, false when it did not hold.
 */
export async function updateItem(
  pk: string,
  sk: string,
  change: { set?: Record<string, unknown>; remove?: string[] },
  condition?: Condition,
): Promise<boolean> {
  const names: Record<string, string> = { ...condition?.names };
  const values: Record<string, unknown> = { ...condition?.values };
  const sets = Object.entries(change.set ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([name, value], i) => {
      names[`#s${i}`] = name;
      values[`:s${i}`] = value;
      return `#s${i} = :s${i}`;
    });
  const removes = (change.remove ?? []).map((name, i) => {
    names[`#r${i}`] = name;
    return `#r${i}`;
  });
  const expression = [sets.length > 0 ? `SET ${sets.join(', ')}` : '', removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '']
    .filter(Boolean)
    .join(' ');
  const send = () =>
    ddb.send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk, sk },
        UpdateExpression: expression,
        ...(condition ? { ConditionExpression: condition.expression } : {}),
        ExpressionAttributeNames: names,
        ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
      }),
    );
  if (!condition) {
    await send();
    return true;
  }
  return ifConditionHolds(send);
}

/** A condition expression with its own placeholders (`#name`, `:value`). */
export interface Condition {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

function expressionParts(condition: Condition) {
  return {
    ...(condition.names && Object.keys(condition.names).length > 0 ? { ExpressionAttributeNames: condition.names } : {}),
    ...(condition.values && Object.keys(condition.values).length > 0 ? { ExpressionAttributeValues: condition.values } : {}),
  };
}

async function ifConditionHolds(send: () => Promise<unknown>): Promise<boolean> {
  try {
    await send();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

// --- bulk writes ---------------------------------------------------------------------------

export interface BatchStats {
  items: number;
  requests: number;
  retries: number;
}

/**
 * Puts items with BatchWriteItem: 25 a request, `WRITE_CONCURRENCY` requests in flight.
 * Items DynamoDB leaves unprocessed (throttling) are sent again after a backoff with full
 * jitter; only after MAX_BATCH_ATTEMPTS does the write fail, and nothing is lost silently.
 */
export async function putItems(items: AsyncIterable<Item> | Iterable<Item>, sleep = defaultSleep): Promise<BatchStats> {
  const stats: BatchStats = { items: 0, requests: 0, retries: 0 };
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let batch: Item[] = [];
  const launch = (chunk: Item[]) => {
    const p = writeBatch(chunk, stats, sleep)
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  for await (const item of items) {
    batch.push(item);
    stats.items++;
    if (batch.length === BATCH_SIZE) {
      launch(batch);
      batch = [];
      if (inFlight.size >= WRITE_CONCURRENCY) await Promise.race(inFlight);
      if (failure) break;
    }
  }
  if (batch.length > 0 && !failure) launch(batch);
  await Promise.all(inFlight);
  if (failure) throw failure;
  return stats;
}

async function writeBatch(items: Item[], stats: BatchStats, sleep: (ms: number) => Promise<void>): Promise<void> {
  let pending: Record<string, unknown>[] = items.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 0; ; attempt++) {
    stats.requests++;
    const result = await ddb.send(new BatchWriteCommand({ RequestItems: { [table()]: pending } }));
    const unprocessed = result.UnprocessedItems?.[table()] ?? [];
    if (unprocessed.length === 0) return;
    if (attempt + 1 >= MAX_BATCH_ATTEMPTS) {
      throw new Error(`DynamoDB left ${unprocessed.length} items unprocessed after ${MAX_BATCH_ATTEMPTS} attempts.`);
    }
    stats.retries++;
    pending = unprocessed as Record<string, unknown>[];
    await sleep(backoffMs(attempt));
  }
}

/** Full jitter (AWS Architecture Blog): random in [0, min(cap, base × 2^attempt)]. */
export function backoffMs(attempt: number, baseMs = 50, capMs = 5_000): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// --- reads ---------------------------------------------------------------------------------

const GET_BATCH_SIZE = 100;

/**
 * The items at the keys given that exist, by BatchGetItem (100 keys a request, strongly consistent). Keys
 * DynamoDB leaves unprocessed are asked for again after a backoff, as writes are.
 */
export async function getItems(keysWanted: readonly { pk: string; sk: string }[], sleep = defaultSleep): Promise<Item[]> {
  // A request naming a key twice is refused as a whole.
  const itemKeys = [...new Map(keysWanted.map(({ pk, sk }) => [`${pk}\n${sk}`, { pk, sk }])).values()];
  const found: Item[] = [];
  for (let i = 0; i < itemKeys.length; i += GET_BATCH_SIZE) {
    let pending: Record<string, unknown>[] = itemKeys.slice(i, i + GET_BATCH_SIZE).map(({ pk, sk }) => ({ pk, sk }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_BATCH_ATTEMPTS)
        throw new Error(`DynamoDB left ${pending.length} keys unprocessed after ${MAX_BATCH_ATTEMPTS} attempts.`);
      if (attempt > 0) await sleep(backoffMs(attempt - 1));
      const result = await ddb.send(new BatchGetCommand({ RequestItems: { [table()]: { Keys: pending, ConsistentRead: true } } }));
      found.push(...((result.Responses?.[table()] ?? []) as Item[]));
      pending = (result.UnprocessedKeys?.[table()]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return found;
}

/** Every item a query matches, page by page. */
export async function* query(input: Omit<QueryCommandInput, 'TableName'>): AsyncGenerator<Item> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(new QueryCommand({ ...input, TableName: table(), ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) yield item as Item;
    start = page.LastEvaluatedKey;
  } while (start);
}

/** The first `limit` items a query matches (one request, strongly consistent). */
export async function queryFirst(input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ConsistentRead'>, limit: number): Promise<Item[]> {
  const { Items: items = [] } = await ddb.send(new QueryCommand({ ...input, TableName: table(), Limit: limit, ConsistentRead: true }));
  return items as Item[];
}

/** The items of partition `pk` whose sort key starts with `prefix`. */
export function partitionItems(pk: string, prefix: string, projection?: string[]): AsyncGenerator<Item> {
  const names = projection ? Object.fromEntries(projection.map((p, i) => [`#p${i}`, p])) : undefined;
  return query({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    ...(names ? { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names } : {}),
  });
}

/** A partner's control items whose sort key starts with `prefix` (e.g. UPLOAD#, EVENT#). */
export function partnerItems(partnerId: string, prefix: string, projection?: string[]): AsyncGenerator<Item> {
  return partitionItems(keys.partner(partnerId), prefix, projection);
}

/** A partner's plan items whose sort key starts with `prefix` (SUB#, CUST#), shard by shard. */
export async function* planPartitionItems(partnerId: string, prefix: string, projection?: string[]): AsyncGenerator<Item> {
  for (const pk of keys.planPartitions(partnerId)) yield* partitionItems(pk, prefix, projection);
}
