/**
 * DynamoDB access for the plan, uploads, partners and e-mail claims. Reads go by key or index
 * only (never a Scan); bulk writes use BatchWriteItem with bounded concurrency and retry
 * UnprocessedItems with exponential backoff and full jitter. There are no transactions
 * (dynalite lacks them): each state change is one conditional write.
 */
import type * as DynamoDB from '@aws-sdk/client-dynamodb';
import type * as DynamoDBDocument from '@aws-sdk/lib-dynamodb';
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { type PartnerSettings, type PartnerSettingsInput, parseSettings } from '../../domain/partner-settings.js';
import { clientConfig, resourceNames } from '../../aws/client-config.js';
import { requireSdk } from '../../aws/sdk.js';
import { DUE_SHARDS, TABLE, keys } from './table-design.js';

const { ConditionalCheckFailedException, DynamoDBClient } = requireSdk<typeof DynamoDB>('@aws-sdk/client-dynamodb');
const { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } =
  requireSdk<typeof DynamoDBDocument>('@aws-sdk/lib-dynamodb');

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig()), {
  marshallOptions: { removeUndefinedValues: true },
});

/**
 * The client every request of this module goes through. The application never needs it; tests
 * and tools use it to observe requests or inject faults (`repositoryClient().middlewareStack.add`).
 */
export function repositoryClient(): DynamoDBDocument.DynamoDBDocumentClient {
  return ddb;
}

const table = () => resourceNames().table;

export type Item = Record<string, unknown> & { pk: string; sk: string };

const BATCH_SIZE = 25;
const WRITE_CONCURRENCY = 8;
const MAX_BATCH_ATTEMPTS = 12;

// --- partners ------------------------------------------------------------------------------

export async function getSettings(partnerId: string): Promise<PartnerSettings | undefined> {
  const { Item: item } = await ddb.send(new GetCommand({ TableName: table(), Key: { pk: keys.partner(partnerId), sk: keys.settings } }));
  if (!item) return undefined;
  return parseSettings({ ...(item.settings as PartnerSettingsInput), partner_id: partnerId });
}

export async function putSettings(settings: PartnerSettings & { partner_id: string }): Promise<void> {
  const id = settings.partner_id;
  await ddb.send(
    new PutCommand({
      TableName: table(),
      Item: { pk: keys.partner(id), sk: keys.settings, settings, gsi2pk: keys.partnersPk, gsi2sk: id },
    }),
  );
}

export async function* listPartnerIds(): AsyncGenerator<string> {
  for await (const item of query({
    IndexName: TABLE.partnersIndex.name,
    KeyConditionExpression: 'gsi2pk = :p',
    ExpressionAttributeValues: { ':p': keys.partnersPk },
    ProjectionExpression: 'gsi2sk',
  })) {
    yield item.gsi2sk as string;
  }
}

// --- uploads -------------------------------------------------------------------------------

export type UploadClaim = 'claimed' | 'duplicate';

/** One run of a function: when it started and, on Lambda, its request id. */
export interface Invocation {
  at: Date;
  /** Lambda keeps an asynchronous event's request id across its retries of that event. */
  requestId?: string | undefined;
}

/**
 * Claims an upload for processing. S3 delivers events at least once: the first delivery
 * claims it; a repeat finds it planned (or being planned) and does nothing. A claim can be
 * taken again when it failed; when it is still `processing` but the run behind it died (a
 * crash or a timeout leaves no chance to mark it), by Lambda's retry of that same invocation
 * (same request id: Lambda retries only once the attempt has ended) or, from any invocation,
 * once it is older than the Lambda timeout. Staleness is measured on the invocation's clock,
 * never the event's: a retried event carries its original time.
 */
export async function claimUpload(
  partnerId: string,
  uploadId: string,
  fields: Record<string, unknown>,
  invocation: Invocation,
  staleAfterMs = 16 * 60_000,
): Promise<UploadClaim> {
  const { at, requestId } = invocation;
  // An update, not a put: what the earlier attempt recorded about its e-mail (mailedAt) stays,
  // so a re-run does not send it again.
  const set = Object.entries({ ...fields, status: 'processing', claimedAt: at.toISOString(), requestId }).filter(([, v]) => v !== undefined);
  const names = Object.fromEntries(set.map(([k], i) => [`#f${i}`, k]));
  const values = Object.fromEntries(set.map(([, v], i) => [`:f${i}`, v]));
  const remove = ['#error', ...(requestId ? [] : ['#request'])];
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: keys.partner(partnerId), sk: keys.upload(uploadId) },
        UpdateExpression: `SET ${set.map((_, i) => `#f${i} = :f${i}`).join(', ')} REMOVE ${remove.join(', ')}`,
        ConditionExpression: `attribute_not_exists(pk) OR #s = :failed OR (#s = :processing AND (#claimedAt < :stale${requestId ? ' OR #request = :request' : ''}))`,
        ExpressionAttributeNames: { ...names, '#s': 'status', '#claimedAt': 'claimedAt', '#request': 'requestId', '#error': 'error' },
        ExpressionAttributeValues: {
          ...values,
          ':failed': 'failed',
          ':processing': 'processing',
          ':stale': new Date(at.getTime() - staleAfterMs).toISOString(),
          ...(requestId ? { ':request': requestId } : {}),
        },
      }),
    );
    return 'claimed';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'duplicate';
    throw error;
  }
}

export async function updateUpload(partnerId: string, uploadId: string, fields: Record<string, unknown>): Promise<void> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(fields).map(([k, v], i) => {
    names[`#f${i}`] = k;
    values[`:v${i}`] = v;
    return `#f${i} = :v${i}`;
  });
  await ddb.send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: keys.partner(partnerId), sk: keys.upload(uploadId) },
      UpdateExpression: `SET ${sets.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
}

/** Sets a state flag once: true when this call set it, false when it was already set. */
export async function setOnce(pk: string, sk: string, flag: string, at: string): Promise<boolean> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk, sk },
        UpdateExpression: 'SET #f = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#f)',
        ExpressionAttributeNames: { '#f': flag },
        ExpressionAttributeValues: { ':at': at },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Undoes setOnce, when the action the flag stood for failed and must be retried. */
export async function clearFlag(pk: string, sk: string, flag: string): Promise<void> {
  await ddb.send(
    new UpdateCommand({ TableName: table(), Key: { pk, sk }, UpdateExpression: 'REMOVE #f', ExpressionAttributeNames: { '#f': flag } }),
  );
}

export async function getItem(pk: string, sk: string): Promise<Item | undefined> {
  const { Item: item } = await ddb.send(new GetCommand({ TableName: table(), Key: { pk, sk }, ConsistentRead: true }));
  return item as Item | undefined;
}

// --- bulk writes ---------------------------------------------------------------------------

export interface WriteStats {
  items: number;
  requests: number;
  retries: number;
}

/**
 * Puts items with BatchWriteItem: 25 a request, `WRITE_CONCURRENCY` requests in flight.
 * Items DynamoDB leaves unprocessed (throttling) are sent again after a backoff with full
 * jitter; only after MAX_BATCH_ATTEMPTS does the write fail, and nothing is lost silently.
 */
export async function putItems(items: AsyncIterable<Item> | Iterable<Item>, sleep = defaultSleep): Promise<WriteStats> {
  const stats: WriteStats = { items: 0, requests: 0, retries: 0 };
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

async function writeBatch(items: Item[], stats: WriteStats, sleep: (ms: number) => Promise<void>): Promise<void> {
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

async function* query(input: Omit<QueryCommandInput, 'TableName'>): AsyncGenerator<Item> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(new QueryCommand({ ...input, TableName: table(), ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) yield item as Item;
    start = page.LastEvaluatedKey;
  } while (start);
}

/** A partner's items whose sort key starts with `prefix` (e.g. SUB#, CUST#). */
export function partnerItems(partnerId: string, prefix: string, projection?: string[]): AsyncGenerator<Item> {
  const names = projection ? Object.fromEntries(projection.map((p, i) => [`#p${i}`, p])) : undefined;
  return query({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.partner(partnerId), ':prefix': prefix },
    ...(names ? { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names } : {}),
  });
}

/** Whether the partner has an upload other than `uploadId` (in any state): one short key read. */
export async function hasOtherUploads(partnerId: string, uploadId: string): Promise<boolean> {
  const { Items: items = [] } = await ddb.send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.partner(partnerId), ':prefix': keys.upload('') },
      ProjectionExpression: 'sk',
      ConsistentRead: true,
      Limit: 2, // at most one of them is this upload
    }),
  );
  return items.some((item) => item.sk !== keys.upload(uploadId));
}

/** The keys of a partner's subscription items that another upload than `uploadId` wrote. */
export function subscriptionsNotFrom(partnerId: string, uploadId: string): AsyncGenerator<Item> {
  return query({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    FilterExpression: 'uploadId <> :upload',
    ExpressionAttributeValues: { ':pk': keys.partner(partnerId), ':prefix': keys.subscription(''), ':upload': uploadId },
    ProjectionExpression: 'pk, sk',
  });
}

/** Every item with a reminder due on or before `date` (ISO), from the sparse due index. */
export async function* dueOnOrBefore(date: string): AsyncGenerator<Item> {
  for (let shard = 0; shard < DUE_SHARDS; shard++) {
    yield* query({
      IndexName: TABLE.dueIndex.name,
      KeyConditionExpression: 'gsi1pk = :shard AND gsi1sk < :after',
      ExpressionAttributeValues: { ':shard': `DUE#${shard}`, ':after': `${date}#\uffff` },
    });
  }
}

/**
 * The latest claim (DIGEST#… or WEEKLY#…) of a partner strictly before `before` that did not
 * fail: a failed digest covered nothing, so the next one must cover its reminders.
 */
export async function latestClaim(partnerId: string, prefix: string, before: string): Promise<Item | undefined> {
  for await (const item of query({
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': keys.partner(partnerId), ':from': prefix, ':to': `${prefix}${before}` },
    ScanIndexForward: false,
  })) {
    if (item.sk !== `${prefix}${before}` && item.status !== 'failed') return item;
  }
  return undefined;
}

// --- claims and reminder progress ----------------------------------------------------------

export type ClaimResult = { claimed: true } | { claimed: false; existing: Item };

/**
 * Claims a digest e-mail (one per partner per day or week). A claim left `failed` (the send
 * was refused) can be taken again; any other existing claim means the e-mail is handled.
 */
export async function claim(pk: string, sk: string, fields: Record<string, unknown>, now: Date, ttlDays = 120): Promise<ClaimResult> {
  try {
    await ddb.send(
      new PutCommand({
        TableName: table(),
        Item: { pk, sk, ...fields, status: 'sending', claimedAt: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + ttlDays * 86_400 },
        ConditionExpression: 'attribute_not_exists(pk) OR #s = :failed',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':failed': 'failed' },
      }),
    );
    return { claimed: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return { claimed: false, existing: (await getItem(pk, sk))! };
  }
}

export async function setClaimStatus(pk: string, sk: string, status: 'sent' | 'failed' | 'empty', fields: Record<string, unknown> = {}): Promise<void> {
  await ddb.send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk, sk },
      UpdateExpression: `SET #s = :s${Object.keys(fields).map((_, i) => `, #f${i} = :f${i}`).join('')}`,
      ExpressionAttributeNames: { '#s': 'status', ...Object.fromEntries(Object.keys(fields).map((k, i) => [`#f${i}`, k])) },
      ExpressionAttributeValues: { ':s': status, ...Object.fromEntries(Object.values(fields).map((v, i) => [`:f${i}`, v])) },
    }),
  );
}

/**
 * Moves an item's reminder to its next due day (or off the index). Conditional on the index key
 * it had when read, so a newer upload that re-derived the item's reminders always wins.
 */
export async function advanceDue(item: Item, next: { shard: string; key: string } | undefined): Promise<boolean> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: next ? 'SET gsi1pk = :shard, gsi1sk = :key' : 'REMOVE gsi1pk, gsi1sk',
        ConditionExpression: 'gsi1sk = :old',
        ExpressionAttributeValues: { ':old': item.gsi1sk, ...(next ? { ':shard': next.shard, ':key': next.key } : {}) },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Marks a subscription a newer full upload no longer lists: kept, flagged, off the due index. */
export async function markMissing(pk: string, sk: string, uploadId: string, at: string): Promise<void> {
  await ddb.send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk, sk },
      UpdateExpression: 'SET #missing = :true, missingSince = :at REMOVE gsi1pk, gsi1sk',
      ConditionExpression: 'uploadId <> :upload',
      ExpressionAttributeNames: { '#missing': 'missing' }, // a reserved word
      ExpressionAttributeValues: { ':true': true, ':at': at, ':upload': uploadId },
    }),
  ).catch((error: unknown) => {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  });
}
