/**
 * The single DynamoDB table, declared once: the local bootstrap creates it from here and the
 * CDK stack (infra/) reads the same constants.
 *
 * Items, all under the partner's partition `P#{partnerId}`:
 *   SETTINGS               partner settings; gsi2 lists all partners (weekly digest)
 *   UPLOAD#{uploadId}      one upload: status (processing → planned | rejected, or failed until retried),
 *                          counts, and `mailedAt` once its report e-mail is claimed
 *   CUST#{customerId}      a customer's invitation state; gsi1 while an invitation reminder is pending
 *   SUB#{subscriptionId}   what the reminders need of a subscription's plan; gsi1 while a reminder is pending
 *   DIGEST#{date}          the claim of one daily digest e-mail (at most one per partner per day)
 *   WEEKLY#{date}          the claim of one weekly digest e-mail
 *   INVITE#{customerId}    the claim of a customer's invitation e-mail (notify_customers)
 *   EVENT#{C|S}#{id}#{recordedAt}#{state}
 *                          one status event of a customer (C) or subscription (S), kept for its history
 * The due index (gsi1) is sparse: only items with a pending reminder carry its keys, so the daily
 * run reads what is due, not the table. TTL (`expiresAt`, epoch seconds) removes old claims.
 */
import { type Day, dayToIso } from '../../domain/dates.js';

export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  dueIndex: { name: 'due', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  partnersIndex: { name: 'partners', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ttlAttribute: 'expiresAt',
} as const;

/**
 * The stored plan (CUST# and SUB# items) carries only what the scheduled runs read — the full
 * plan row stays in plan.csv in S3. Each item is its keys, `uploadId` (the upload that wrote it:
 * the missing-subscription pass compares it), the due-index keys while a reminder is pending,
 * `missing`/`missingSince` once a newer upload no longer lists it, and one attribute `plan`: a
 * JSON array of the fields below, in this order (null when absent): a write costs per attribute
 * (dynalite validates and encodes each; DynamoDB bills by size), and these are only read together.
 * The subscription or customer id is the sort key's suffix; the partner id the partition key's.
 */
export const PLAN_ATTRIBUTE = 'plan';
export const SUBSCRIPTION_PLAN = [
  'customer_name',
  'offer',
  'target_offer',
  'seats',
  'end_date',
  'move_on',
  'risk',
  'auto_renew',
  'provisioned',
  'invitation_accepted',
  'state',
  'customer_id',
] as const;
export const CUSTOMER_PLAN = [
  'customer_name',
  'contact_email',
  'invitation_status',
  'invite_by',
  'first_move',
  'last_end_date',
  'subscriptions',
  'first_end_date',
  'first_access_end',
] as const;

/** Due items are spread over a few index partitions so no single key takes every write. */
export const DUE_SHARDS = 4;

export const keys = {
  partner: (partnerId: string) => `P#${partnerId}`,
  settings: 'SETTINGS',
  upload: (uploadId: string) => `UPLOAD#${uploadId}`,
  customer: (customerId: string) => `CUST#${customerId}`,
  subscription: (subscriptionId: string) => `SUB#${subscriptionId}`,
  digest: (date: string) => `DIGEST#${date}`,
  weekly: (date: string) => `WEEKLY#${date}`,
  invitation: (customerId: string) => `INVITE#${customerId}`,
  /** A subject's events sort by when they were recorded; the state ends the key, so a repeat is the same item. */
  events: (kind: 'customer' | 'subscription', id: string) => `EVENT#${kind === 'customer' ? 'C' : 'S'}#${id}#`,
  event: (kind: 'customer' | 'subscription', id: string, recordedAt: string, state: string) =>
    `EVENT#${kind === 'customer' ? 'C' : 'S'}#${id}#${recordedAt}#${state}`,
  dueShard: (partnerId: string) => dueShardKey(shardOf(partnerId)),
  /** Sorts by date first, so "due on or before D" is one key-range query per shard. */
  dueKey: (date: string, partnerId: string, sk: string) => `${date}#${partnerId}#${sk}`,
  partnersPk: 'PARTNER',
} as const;

/** The due-index keys of an item whose next reminder is on `day`; none once it has no reminder left. */
export function dueKeys(partnerId: string, sk: string, day: Day | undefined): { gsi1pk?: string; gsi1sk?: string } {
  if (day === undefined) return {};
  return { gsi1pk: keys.dueShard(partnerId), gsi1sk: keys.dueKey(dayToIso(day), partnerId, sk) };
}

/** The partner id of an item's partition key (`P#{partnerId}`). */
export function partnerOfKey(pk: string): string {
  return pk.slice(2);
}

/** The partition key of due-index shard `shard` (0 … DUE_SHARDS − 1). */
export function dueShardKey(shard: number): string {
  return `DUE#${shard}`;
}

function shardOf(partnerId: string): number {
  let h = 0;
  for (let i = 0; i < partnerId.length; i++) h = (h * 31 + partnerId.charCodeAt(i)) | 0;
  return Math.abs(h) % DUE_SHARDS;
}

/** The CreateTable request, for the local bootstrap (CDK declares the same from TABLE). */
export function createTableInput(tableName: string) {
  const attribute = (name: string) => ({ AttributeName: name, AttributeType: 'S' as const });
  const index = (i: { name: string; partitionKey: string; sortKey: string }) => ({
    IndexName: i.name,
    KeySchema: [
      { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [
      TABLE.partitionKey,
      TABLE.sortKey,
      TABLE.dueIndex.partitionKey,
      TABLE.dueIndex.sortKey,
      TABLE.partnersIndex.partitionKey,
      TABLE.partnersIndex.sortKey,
    ].map(attribute),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: [index(TABLE.dueIndex), index(TABLE.partnersIndex)],
  };
}
