/**
 * The plan store (../plan-store.ts) on the one DynamoDB table of table-design.ts: a partner's
 * control items under its partition `P#{partnerId}`, its plan over the shards `P#{partnerId}#{n}`;
 * reminders due are found through the sparse due index, partners through the partners index.
 */
import { dayToIso, isoToDay } from '../../domain/dates.js';
import { type PartnerSettings, type PartnerSettingsInput, parseSettings } from '../../domain/partner-settings.js';
import type { StatusEvent } from '../../domain/status-events.js';
import { subjectKey } from '../../domain/subject-key.js';
import type { TrackedRecord } from '../../domain/tracked-plan.js';
import { inParallel } from '../../in-parallel.js';
import type { DueReminder, MailClaim, MailStatus, OnceMail, PlanStore, UploadRecord, UploadRef } from '../plan-store.js';
import {
  isCustomerItem,
  isSubscriptionItem,
  packCustomer,
  packSubscription,
  partnerOf,
  readCustomer,
  readSubscription,
  readTracked,
} from './item-codec.js';
import { planItems } from './plan-items.js';
import {
  getItem,
  getItems,
  type Item,
  partitionItems,
  partnerItems,
  planPartitionItems,
  putItem,
  putItemIf,
  putItems,
  query,
  queryFirst,
  updateItem,
} from './table-client.js';
import { dueKeys, INPUT_ATTRIBUTE, keys, OWED_ATTRIBUTE, PLAN_ATTRIBUTE, planItemKey, REMINDED_ATTRIBUTE, TABLE } from './table-design.js';

/** Conditional writes of a re-plan in flight at once: a few changed items, each its own request. */
const REPLAN_WRITERS = 16;

/** Days an e-mail claim is kept (TTL): past the last reminder a digest or an invitation covers. */
const CLAIM_TTL_DAYS: Record<OnceMail['kind'], number> = { 'daily-digest': 120, 'weekly-digest': 120, invitation: 365 };

function mailKey(mail: OnceMail): string {
  switch (mail.kind) {
    case 'daily-digest':
      return keys.digest(mail.date);
    case 'weekly-digest':
      return keys.weekly(mail.date);
    case 'invitation':
      return keys.invitation(mail.customerId);
  }
}

const uploadKey = (upload: UploadRef) => [keys.partner(upload.partnerId), keys.upload(upload.uploadId)] as const;

/** Where a due reminder's item is, and the index key it had when read. */
interface DuePosition {
  pk: string;
  sk: string;
  dueKey: unknown;
}

export const planStore: PlanStore = {
  // --- partners ----------------------------------------------------------------------------

  async partnerSettings(partnerId) {
    const item = await getItem(keys.partner(partnerId), keys.settings, false);
    if (!item) return undefined;
    return parseSettings({ ...(item.settings as PartnerSettingsInput), partner_id: partnerId });
  },

  async savePartnerSettings(settings: PartnerSettings & { partner_id: string }) {
    const id = settings.partner_id;
    await putItem({ pk: keys.partner(id), sk: keys.settings, settings, gsi2pk: keys.partnersPk, gsi2sk: id });
  },

  async *partnerIds() {
    for await (const item of query({
      IndexName: TABLE.partnersIndex.name,
      KeyConditionExpression: 'gsi2pk = :p',
      ExpressionAttributeValues: { ':p': keys.partnersPk },
      ProjectionExpression: 'gsi2sk',
    })) {
      yield item.gsi2sk as string;
    }
  },

  // --- uploads -----------------------------------------------------------------------------

  async claimUpload(upload, details, invocation, staleAfterMs) {
    const { at, requestId } = invocation;
    const [pk, sk] = uploadKey(upload);
    // Lambda's retry of this same invocation may take over its own `processing` claim.
    const sameRequest = requestId ? ' OR #request = :request' : '';
    // An update, not a put: what the earlier attempt recorded about its e-mail (mailedAt) stays,
    // so a re-run does not send it again. Staleness is measured on the invocation's clock, never
    // the event's: a retried event carries its original time.
    const claimed = await updateItem(
      pk,
      sk,
      {
        set: { ...details, status: 'processing', claimedAt: at.toISOString(), requestId },
        remove: ['error', ...(requestId ? [] : ['requestId'])],
      },
      {
        expression: `attribute_not_exists(pk) OR #status = :failed OR (#status = :processing AND (#claimedAt < :stale${sameRequest}))`,
        names: { '#status': 'status', '#claimedAt': 'claimedAt', ...(requestId ? { '#request': 'requestId' } : {}) },
        values: {
          ':failed': 'failed',
          ':processing': 'processing',
          ':stale': new Date(at.getTime() - staleAfterMs).toISOString(),
          ...(requestId ? { ':request': requestId } : {}),
        },
      },
    );
    return claimed ? 'claimed' : 'duplicate';
  },

  async recordUploadPlanned(upload, counts, plannedAt) {
    await updateItem(...uploadKey(upload), { set: { status: 'planned', ...counts, plannedAt } });
  },

  async recordUploadRejected(upload, code, message) {
    await updateItem(...uploadKey(upload), { set: { status: 'rejected', code, message } });
  },

  async recordUploadFailed(upload, error) {
    await updateItem(...uploadKey(upload), { set: { status: 'failed', error } });
  },

  async claimUploadMail(upload, at) {
    return updateItem(
      ...uploadKey(upload),
      { set: { mailedAt: at.toISOString() } },
      { expression: 'attribute_exists(pk) AND attribute_not_exists(#mailed)', names: { '#mailed': 'mailedAt' } },
    );
  },

  async releaseUploadMail(upload) {
    await updateItem(...uploadKey(upload), { remove: ['mailedAt'] });
  },

  async findUpload(upload) {
    const item = await getItem(...uploadKey(upload));
    return item && uploadRecord(item);
  },

  async *uploads(partnerId) {
    for await (const item of partnerItems(partnerId, keys.upload(''))) yield uploadRecord(item);
  },

  // --- the tracked plan --------------------------------------------------------------------

  async savePlan(upload, planned) {
    // The put replaces each item: when each customer was last reminded is carried over, so an
    // upload (the same file again, or the plan.csv edited) never brings a reminder round again.
    const reminded = await remindedCustomers(upload);
    return putItems(planItems(planned, upload.partnerId, upload.uploadId, undefined, reminded));
  },

  async flagSubscriptionsNotIn(upload, at) {
    const { partnerId, uploadId } = upload;
    // Only another upload can have left any: a partner's first upload reads nothing back.
    if (!(await hasOtherUploads(partnerId, uploadId))) return;
    for (const pk of keys.planPartitions(partnerId)) {
      const others = query({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: 'uploadId <> :upload',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': keys.subscription(''), ':upload': uploadId },
        ProjectionExpression: 'pk, sk',
      });
      for await (const item of others) {
        // Conditional: an item this upload writes meanwhile is not flagged.
        await updateItem(
          item.pk,
          item.sk,
          { set: { missing: true, missingSince: at.toISOString() }, remove: ['gsi1pk', 'gsi1sk'] },
          { expression: 'uploadId <> :upload', values: { ':upload': uploadId } },
        );
      }
    }
  },

  async trackedPlan(partnerId) {
    const subscriptions = [];
    const customers = [];
    for await (const item of planPartitionItems(partnerId, keys.subscription(''))) subscriptions.push(readSubscription(item));
    for await (const item of planPartitionItems(partnerId, keys.customer(''))) customers.push(readCustomer(item));
    return { subscriptions, customers };
  },

  async storedPlan(partnerId) {
    const rows: { row: number; cells: string[] }[] = [];
    const inviteBy = new Map<string, string>();
    const plans = new Map<string, unknown>();
    const reminded = new Map<string, string>();
    let withoutInputs = 0;
    // One query per shard reads its customers and subscriptions alike; the shards side by side.
    const shards = await Promise.all(keys.planPartitions(partnerId).map((pk) => allItems(partitionItems(pk, ''))));
    for (const item of shards.flat()) {
      if (isCustomerItem(item)) {
        plans.set(`${item.pk}\n${item.sk}`, item[PLAN_ATTRIBUTE]);
        const customer = readCustomer(item);
        if (customer.inviteBy) inviteBy.set(customer.customerId, customer.inviteBy);
        if (customer.remindedOn) reminded.set(customer.customerId, customer.remindedOn);
        continue;
      }
      if (!isSubscriptionItem(item) || item.missing === true) continue;
      plans.set(`${item.pk}\n${item.sk}`, item[PLAN_ATTRIBUTE]);
      if (typeof item[INPUT_ATTRIBUTE] !== 'string') {
        withoutInputs++;
        continue;
      }
      const [row, ...cells] = JSON.parse(item[INPUT_ATTRIBUTE]) as [number, ...string[]];
      rows.push({ row, cells });
    }
    rows.sort((a, b) => a.row - b.row);
    const position: StoredPosition = { plans, reminded };
    return { partnerId, rows: rows.map((r) => r.cells), inviteBy, withoutInputs, position };
  },

  async saveReplan(stored, planned, remindFrom) {
    const { plans, reminded } = stored.position as StoredPosition;
    let items = 0;
    const changes: (() => Promise<boolean>)[] = [];
    // The next invitation reminders follow when each customer was last reminded, as read; a digest
    // that reminds one meanwhile makes that day early, which is harmless (it is moved on).
    for (const item of planItems(planned, stored.partnerId, '', remindFrom, reminded)) {
      items++;
      const before = plans.get(`${item.pk}\n${item.sk}`);
      if (before === undefined || before === item[PLAN_ATTRIBUTE]) continue;
      // remindedOn is the digests' to write: the update leaves it as it is.
      const { pk, sk, uploadId: _none, gsi1pk, gsi1sk, [REMINDED_ATTRIBUTE]: _kept, ...fields } = item;
      // Conditional on the plan read: a status or an upload that changed it meanwhile stands.
      changes.push(() =>
        updateItem(pk, sk, gsi1pk && gsi1sk ? { set: { ...fields, gsi1pk, gsi1sk } } : { set: fields, remove: ['gsi1pk', 'gsi1sk'] }, {
          expression: '#plan = :before',
          names: { '#plan': PLAN_ATTRIBUTE },
          values: { ':before': before },
        }),
      );
    }
    const results = await inParallel(changes, REPLAN_WRITERS);
    return { items, written: results.filter(Boolean).length };
  },

  async replanState(partnerId) {
    const item = await getItem(keys.partner(partnerId), keys.replan);
    if (!item || typeof item.plannedAt !== 'string' || typeof item.staleFrom !== 'string') return undefined;
    return {
      plannedAt: item.plannedAt,
      changedAt: typeof item.changedAt === 'string' ? item.changedAt : undefined,
      staleFrom: item.staleFrom,
    };
  },

  async recordPlanned(partnerId, at, staleFrom) {
    await updateItem(keys.partner(partnerId), keys.replan, { set: { plannedAt: at.toISOString(), staleFrom } });
  },

  async recordStatusChanged(partnerId, at, pendingSince) {
    // The change first: a re-plan that takes the request after this sees it.
    await updateItem(keys.partner(partnerId), keys.replan, { set: { changedAt: at.toISOString() } });
    return updateItem(
      keys.partner(partnerId),
      keys.replan,
      { set: { requestedAt: at.toISOString() } },
      {
        expression: 'attribute_not_exists(#requested) OR #requested < :pending',
        names: { '#requested': 'requestedAt' },
        values: { ':pending': pendingSince.toISOString() },
      },
    );
  },

  async takeReplanRequest(partnerId) {
    await updateItem(keys.partner(partnerId), keys.replan, { remove: ['requestedAt'] });
  },

  async trackedRecord(partnerId, subject) {
    const item = await getItem(...planItemKey(partnerId, subject.kind, subject.id));
    return item ? readTracked(item) : undefined;
  },

  async trackedRecords(partnerId, subjects) {
    const located = subjects.map((subject) => {
      const [pk, sk] = planItemKey(partnerId, subject.kind, subject.id);
      return { pk, sk, subject };
    });
    const bySlot = new Map(located.map((l) => [`${l.pk}\n${l.sk}`, l.subject]));
    const records = new Map<string, TrackedRecord>();
    for (const item of await getItems(located)) {
      const subject = bySlot.get(`${item.pk}\n${item.sk}`);
      if (subject) records.set(subjectKey(subject), readTracked(item));
    }
    return records;
  },

  async saveTrackedRecord(partnerId, record, nextReminder) {
    const id = record.kind === 'customer' ? record.customer.customerId : record.subscription.subscriptionId;
    const [pk, sk] = planItemKey(partnerId, record.kind, id);
    const plan = record.kind === 'customer' ? packCustomer(record.customer) : packSubscription(record.subscription);
    const { gsi1pk, gsi1sk } = dueKeys(pk, sk, nextReminder);
    await updateItem(
      pk,
      sk,
      gsi1pk && gsi1sk
        ? { set: { [PLAN_ATTRIBUTE]: plan, gsi1pk, gsi1sk } }
        : { set: { [PLAN_ATTRIBUTE]: plan }, remove: ['gsi1pk', 'gsi1sk'] },
      { expression: 'attribute_exists(pk)' },
    );
  },

  // --- the lifecycle -----------------------------------------------------------------------

  async recordStatusEvent(partnerId, event) {
    const { subject, ...fields } = event;
    return putItemIf(
      {
        pk: keys.partner(partnerId),
        sk: keys.event(subject.kind, subject.id, event.recordedAt, event.state),
        subjectKind: subject.kind,
        subjectId: subject.id,
        ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
      },
      { expression: 'attribute_not_exists(pk)' },
    );
  },

  async statusEvents(partnerId, subject) {
    const events: StatusEvent[] = [];
    for await (const item of partnerItems(partnerId, keys.events(subject.kind, subject.id))) events.push(readEvent(item));
    return events;
  },

  async partnerStatusEvents(partnerId) {
    const events: StatusEvent[] = [];
    for await (const item of partnerItems(partnerId, keys.allEvents)) events.push(readEvent(item));
    return events;
  },

  // --- reminders ---------------------------------------------------------------------------

  async *remindersDue(partnerId, date) {
    for (const shard of keys.dueShards(partnerId)) {
      for await (const item of query({
        IndexName: TABLE.dueIndex.name,
        KeyConditionExpression: 'gsi1pk = :shard AND gsi1sk < :after',
        ExpressionAttributeValues: { ':shard': shard, ':after': `${date}#\uffff` },
      })) {
        const position: DuePosition = { pk: item.pk, sk: item.sk, dueKey: item.gsi1sk };
        yield {
          ...readTracked(item),
          partnerId: partnerOf(item),
          dueDay: isoToDay(String(item.gsi1sk).slice(0, 10)),
          position,
        } satisfies DueReminder;
      }
    }
  },

  async nextReminderAfter(partnerId, date) {
    let next: string | undefined;
    for (const shard of keys.dueShards(partnerId)) {
      for await (const item of query({
        IndexName: TABLE.dueIndex.name,
        KeyConditionExpression: 'gsi1pk = :shard AND gsi1sk > :after',
        ExpressionAttributeValues: { ':shard': shard, ':after': `${date}#\uffff` },
        Limit: 1,
      })) {
        const day = String(item.gsi1sk).slice(0, 10);
        if (next === undefined || day < next) next = day;
        break;
      }
    }
    return next;
  },

  async rescheduleReminder(reminder, next) {
    const { pk, sk, dueKey } = reminder.position as DuePosition;
    const { gsi1pk, gsi1sk } = dueKeys(pk, sk, next);
    // Conditional on the index key it had when read, so a newer upload that re-derived the
    // item's reminders always wins.
    return updateItem(pk, sk, gsi1pk && gsi1sk ? { set: { gsi1pk, gsi1sk } } : { remove: ['gsi1pk', 'gsi1sk'] }, {
      expression: 'gsi1sk = :old',
      values: { ':old': dueKey },
    });
  },

  async markReminded(reminder, day, owed) {
    const { pk, sk } = reminder.position as DuePosition;
    const set: Record<string, string> = {};
    const remove: string[] = [];
    if (day === undefined) remove.push(REMINDED_ATTRIBUTE);
    else set[REMINDED_ATTRIBUTE] = dayToIso(day);
    if (owed === undefined) remove.push(OWED_ATTRIBUTE);
    else set[OWED_ATTRIBUTE] = dayToIso(owed);
    // Whatever rewrote the item since it was read: `plan` is not touched, and an upload's put
    // carried `remindedOn` over.
    await updateItem(pk, sk, { set, remove }, { expression: 'attribute_exists(pk)' });
  },

  // --- e-mails sent at most once -----------------------------------------------------------

  async claimMail(partnerId, mail, at, details = {}) {
    const [pk, sk] = [keys.partner(partnerId), mailKey(mail)];
    const expiresAt = Math.floor(at.getTime() / 1000) + CLAIM_TTL_DAYS[mail.kind] * 86_400;
    const claimed = await putItemIf(
      { pk, sk, partnerId, ...details, status: 'sending', claimedAt: at.toISOString(), expiresAt },
      { expression: 'attribute_not_exists(pk) OR #status = :failed', names: { '#status': 'status' }, values: { ':failed': 'failed' } },
    );
    if (claimed) return { claimed: true };
    return { claimed: false, status: (await getItem(pk, sk))?.status as MailStatus } satisfies MailClaim;
  },

  async recordMail(partnerId, mail, status, details = {}) {
    await updateItem(keys.partner(partnerId), mailKey(mail), { set: { status, ...details } });
  },

  async mailStatus(partnerId, mail) {
    return (await getItem(keys.partner(partnerId), mailKey(mail)))?.status as MailStatus | undefined;
  },

  async lastDailyDigest(partnerId, before) {
    const prefix = keys.digest('');
    for await (const item of query({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.partner(partnerId), ':from': prefix, ':to': keys.digest(before) },
      ScanIndexForward: false,
    })) {
      // A failed digest covered nothing: the next one covers its reminders.
      if (item.sk !== keys.digest(before) && item.status !== 'failed') return item.sk.slice(prefix.length);
    }
    return undefined;
  },
};

/** What storedPlan reads for saveReplan: each item's packed plan, and when each customer was last reminded. */
interface StoredPosition {
  plans: Map<string, unknown>;
  reminded: Map<string, string>;
}

/**
 * When each of the partner's customers was last sent an invitation reminder (ISO), for an upload
 * to carry over: one query per shard of the customer items, none for a partner's first upload.
 */
async function remindedCustomers(upload: UploadRef): Promise<Map<string, string>> {
  const reminded = new Map<string, string>();
  if (!(await hasOtherUploads(upload.partnerId, upload.uploadId))) return reminded;
  const prefix = keys.customer('');
  for (const pk of keys.planPartitions(upload.partnerId)) {
    for await (const item of query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'attribute_exists(#reminded)',
      ExpressionAttributeNames: { '#reminded': REMINDED_ATTRIBUTE },
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
      ProjectionExpression: 'sk, #reminded',
    })) {
      if (typeof item[REMINDED_ATTRIBUTE] === 'string') reminded.set(item.sk.slice(prefix.length), item[REMINDED_ATTRIBUTE]);
    }
  }
  return reminded;
}

/** Whether the partner has an upload other than `uploadId` (in any state): one short key read. */
async function hasOtherUploads(partnerId: string, uploadId: string): Promise<boolean> {
  const items = await queryFirst(
    {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.partner(partnerId), ':prefix': keys.upload('') },
      ProjectionExpression: 'sk',
    },
    2, // at most one of them is this upload
  );
  return items.some((item) => item.sk !== keys.upload(uploadId));
}

function uploadRecord(item: Item): UploadRecord {
  return {
    uploadId: item.sk.slice(keys.upload('').length),
    key: String(item.key ?? ''),
    fileName: String(item.fileName ?? ''),
    uploadedAt: typeof item.uploadedAt === 'string' ? item.uploadedAt : undefined,
    status: item.status as UploadRecord['status'],
    planned: item.planned as number | undefined,
    rejected: item.rejected as number | undefined,
    items: item.items as number | undefined,
    code: item.code as string | undefined,
    message: item.message as string | undefined,
    error: item.error as string | undefined,
  };
}

function readEvent(item: Item): StatusEvent {
  return {
    subject: { kind: item.subjectKind === 'customer' ? 'customer' : 'subscription', id: String(item.subjectId) },
    state: item.state as StatusEvent['state'],
    effective: String(item.effective),
    recordedAt: String(item.recordedAt),
    source: item.source as StatusEvent['source'],
    by: String(item.by),
    reason: item.reason as string | undefined,
    correction: item.correction === true ? true : undefined,
  };
}

async function allItems(items: AsyncIterable<Item>): Promise<Item[]> {
  const all: Item[] = [];
  for await (const item of items) all.push(item);
  return all;
}
