/**
 * The stored plan: one item per subscription (the plan.csv row) and per customer (its
 * invitation), each carrying the due-index keys of its next reminder.
 */
import { NO_DAY, dayToIso } from '../domain/dates.js';
import { PLAN_COLUMNS, type PlanRecord, planRecord, plannedRows } from '../domain/plan-rows.js';
import { INELIGIBLE_REASONS } from '../domain/portfolio.js';
import type { PlanRun } from '../plan-run.js';
import type { Item } from './repository.js';
import { dueKeys, nextReminderDay } from './item-schedule.js';
import { keys } from './table-design.js';

export type PlanRow = Record<(typeof PLAN_COLUMNS)[number], string | number>;

export function recordToRow(record: PlanRecord): PlanRow {
  return Object.fromEntries(PLAN_COLUMNS.map((c, i) => [c, record[i]!])) as PlanRow;
}

/** Items for every planned row and its customer, reminders due from `today` on. */
export function* planItems(run: PlanRun, partnerId: string, uploadId: string, updatedAt: string): Generator<Item> {
  const { portfolio: p, plan, settings } = run;
  const pk = keys.partner(partnerId);
  const today = plan.today;
  const customerSubs = new Int32Array(p.customers.count);
  const lastEnd = new Int32Array(p.customers.count).fill(NO_DAY);
  const firstMove = new Int32Array(p.customers.count).fill(NO_DAY);

  for (const i of plannedRows(p)) {
    const row = recordToRow(planRecord(p, plan, settings.country, i));
    const c = p.customer[i]!;
    customerSubs[c]!++;
    lastEnd[c] = Math.max(lastEnd[c]!, p.endDay[i]!);
    const move = plan.moveOn[i]!;
    if (move !== NO_DAY && (firstMove[c] === NO_DAY || move < firstMove[c]!)) firstMove[c] = move;
    const sk = keys.subscription(String(row.subscription_id));
    const item: Item = {
      pk,
      sk,
      type: 'subscription',
      partnerId,
      uploadId,
      updatedAt,
      missing: false,
      ...withoutEmpty(row),
      ...(p.reason[i] ? { ineligible_reason: INELIGIBLE_REASONS[p.reason[i]!] } : {}),
      ...(p.base[i] !== -1 ? { base_subscription_id: p.ids.get(p.base[i]!) } : {}),
    };
    Object.assign(item, dueKeys(partnerId, sk, nextReminderDay(item, settings, today)));
    yield item;
  }

  for (let c = 0; c < p.customers.count; c++) {
    if (customerSubs[c] === 0) continue;
    const sk = keys.customer(p.customers.id(c));
    const inviteBy = plan.inviteBy[c]!;
    const item: Item = {
      pk,
      sk,
      type: 'customer',
      partnerId,
      uploadId,
      updatedAt,
      ...withoutEmpty({
        customer_id: p.customers.id(c),
        customer_name: p.customers.name(c),
        contact_email: p.customers.email(c) ?? '',
        country: p.customers.country[c] ?? settings.country,
        invitation_status: p.customers.invitation[c]!,
        invite_by: inviteBy === NO_DAY ? '' : dayToIso(inviteBy),
        first_move: firstMove[c] === NO_DAY ? '' : dayToIso(firstMove[c]!),
        last_end_date: dayToIso(lastEnd[c]!),
        subscriptions: customerSubs[c]!,
      }),
    };
    Object.assign(item, dueKeys(partnerId, sk, nextReminderDay(item, settings, today)));
    yield item;
  }
}

/** DynamoDB keeps no empty strings here: an absent value is an absent attribute. */
function withoutEmpty(row: Record<string, string | number>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(row)) if (v !== '') out[k] = v;
  return out;
}
