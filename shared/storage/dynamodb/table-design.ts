/**
 * The single DynamoDB table, declared once: the local bootstrap creates it from here and the
 * CDK stack (infra/) reads the same constants.
 *
 * A partner's few control items are under its partition `P#{partnerId}`:
 *   SETTINGS               partner settings; gsi2 lists all partners (the scheduled runs)
 *   REPLAN                 when its plan was last planned, the day that plan goes stale, when a
 *                          status last changed (whether it must be planned again), and whether a
 *                          re-plan is already asked for
 *   UPLOAD#{uploadId}      one upload: status (processing → planned | rejected, or failed until retried),
 *                          counts, and `mailedAt` once its report e-mail is claimed
 *   DIGEST#{date}          the claim of one daily digest e-mail (at most one per partner per day)
 *   WEEKLY#{date}          the claim of one weekly digest e-mail
 *   INVITE#{customerId}    the claim of a customer's invitation e-mail (notify_customers)
 *   EVENT#{C|S}#{id}#{recordedAt}#{state}
 *                          one status event of a customer (C) or subscription (S), kept for its history
 * Its plan, one item per customer and per subscription, is spread over PLAN_SHARDS partitions
 * `P#{partnerId}#{shard}`, the shard a hash of the customer's or subscription's id:
 *   CUST#{customerId}      a customer's invitation state and when it was last reminded; gsi1 while an
 *                          invitation reminder is pending
 *   SUB#{subscriptionId}   what the reminders need of a subscription's plan; gsi1 while a reminder is pending
 * The due index (gsi1) is sparse: only items with a pending reminder carry its keys, so the daily
 * run reads what is due, not the table; its partitions `DUE#{partnerId}#{shard}` mirror the plan's.
 * TTL (`expiresAt`, epoch seconds) removes old claims.
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
/**
 * A subscription item also keeps the planner's inputs, so the plan can be computed again with no
 * file: `input`, a JSON array of the row's spreadsheet row number, then its cells in the input
 * columns' order (shared/domain/columns.ts), as the file gave them once read.
 */
export const INPUT_ATTRIBUTE = 'input';
/**
 * A customer item also keeps `remindedOn`, the ISO date its last invitation reminder went out,
 * outside `plan`: a re-plan or a status rewrites `plan` and leaves it; an upload, whose put
 * replaces the item, carries it over. The invitation reminders follow it (domain/reminders.ts).
 */
export const REMINDED_ATTRIBUTE = 'remindedOn';
/**
 * And, after a digest SES refused, `owedOn`: the ISO date that digest would have recorded as the
 * customer's `remindedOn`. The next digest that carries the reminder records that day (so the
 * customer keeps the rhythm of a run without the fault); the one that records it removes it.
 */
export const OWED_ATTRIBUTE = 'owedOn';
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

/**
 * The partitions a partner's plan is spread over. DynamoDB takes at most 1,000 write units a
 * second on one partition key, and a new on-demand table about 4,000 a second in all: with eight
 * partitions, an upload's writes are bound by the table's limit, never by one partition's, for a
 * partner of any size (bench/dynamodb-model.ts). Reading a whole plan is one query per shard.
 * Fixed, because every stored key depends on it.
 */
export const PLAN_SHARDS = 8;

export const keys = {
  partner: (partnerId: string) => `P#${partnerId}`,
  settings: 'SETTINGS',
  /** When the plan was last planned, the day it goes stale, and when a status last changed. */
  replan: 'REPLAN',
  upload: (uploadId: string) => `UPLOAD#${uploadId}`,
  /** The partition of a customer's or subscription's plan item. */
  planPartition: (partnerId: string, id: string) => shardPartition(partnerId, shardOf(id)),
  /** Every partition of a partner's plan. */
  planPartitions: (partnerId: string) => Array.from({ length: PLAN_SHARDS }, (_, shard) => shardPartition(partnerId, shard)),
  /** Every partition of a partner's due index. */
  dueShards: (partnerId: string) => keys.planPartitions(partnerId).map(duePartitionOf),
  customer: (customerId: string) => `CUST#${customerId}`,
  subscription: (subscriptionId: string) => `SUB#${subscriptionId}`,
  digest: (date: string) => `DIGEST#${date}`,
  weekly: (date: string) => `WEEKLY#${date}`,
  invitation: (customerId: string) => `INVITE#${customerId}`,
  /** A subject's events sort by when they were recorded; the state ends the key, so a repeat is the same item. */
  events: (kind: 'customer' | 'subscription', id: string) => `EVENT#${kind === 'customer' ? 'C' : 'S'}#${id}#`,
  /** Every event of a partner. */
  allEvents: 'EVENT#',
  event: (kind: 'customer' | 'subscription', id: string, recordedAt: string, state: string) =>
    `EVENT#${kind === 'customer' ? 'C' : 'S'}#${id}#${recordedAt}#${state}`,
  /** Sorts by date first, so "due on or before D" is one key-range query per shard. */
  dueKey: (date: string, sk: string) => `${date}#${sk}`,
  partnersPk: 'PARTNER',
} as const;

/** The keys of a customer's or subscription's plan item: its shard's partition and its sort key. */
export function planItemKey(partnerId: string, kind: 'customer' | 'subscription', id: string): [pk: string, sk: string] {
  return [keys.planPartition(partnerId, id), kind === 'customer' ? keys.customer(id) : keys.subscription(id)];
}

/**
 * The due-index keys of the plan item at (`pk`, `sk`) whose next reminder is on `day`: the due
 * partition mirrors the item's. None once it has no reminder left.
 */
export function dueKeys(pk: string, sk: string, day: Day | undefined): { gsi1pk?: string; gsi1sk?: string } {
  if (day === undefined) return {};
  return { gsi1pk: duePartitionOf(pk), gsi1sk: keys.dueKey(dayToIso(day), sk) };
}

function shardPartition(partnerId: string, shard: number): string {
  return `P#${partnerId}#${shard}`;
}

/** The due-index partition of a plan partition: `DUE#{partnerId}#{shard}`. */
function duePartitionOf(planPartition: string): string {
  return `DUE#${planPartition.slice(2)}`;
}

/** The partner id of an item's partition key (`P#{partnerId}` or `P#{partnerId}#{shard}`). */
export function partnerOfKey(pk: string): string {
  const end = pk.indexOf('#', 2);
  return end < 0 ? pk.slice(2) : pk.slice(2, end);
}

/** The shard of an id: a hash every version must keep (Java's String.hashCode), modulo PLAN_SHARDS. */
export function shardOf(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) | 0;
  return Math.abs(h) % PLAN_SHARDS;
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
