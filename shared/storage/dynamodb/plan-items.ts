/**
 * The stored plan: one item per planned row (its subscription) and per customer (its
 * invitation), each with what the scheduled runs read (item-codec.ts) and the due-index keys
 * of its next reminder. Built straight from the portfolio and the plan, not from plan.csv
 * records: the action sentence, costs and the other plan.csv columns stay in plan.csv.
 */
import { type Day, dayToIso, isoToDay, NO_DAY } from '../../domain/dates.js';
import { inputRow, plannedRows } from '../../domain/plan-rows.js';
import { customerSummaries, plannedSubscription } from '../../domain/planned-records.js';
import { nextInvitationReminder, nextSubscriptionReminder } from '../../domain/tracked-plan.js';
import type { PlannedFile } from '../plan-store.js';
import { packCustomer, packSubscription } from './item-codec.js';
import type { Item } from './table-client.js';
import { dueKeys, INPUT_ATTRIBUTE, PLAN_ATTRIBUTE, planItemKey, REMINDED_ATTRIBUTE } from './table-design.js';

const iso = (day: Day) => (day === NO_DAY ? undefined : dayToIso(day));

/**
 * Items for every planned row and its customer, reminders due from `remindFrom` (the plan's
 * `today`) on. `reminded`: when each customer was last sent an invitation reminder, as stored;
 * a customer item carries it over (`remindedOn`) and its next invitation reminder follows it.
 */
export function* planItems(
  planned: PlannedFile,
  partnerId: string,
  uploadId: string,
  remindFrom?: Day,
  reminded: ReadonlyMap<string, string> = new Map(),
): Generator<Item> {
  const { portfolio: p, plan, settings } = planned;
  const today = remindFrom ?? plan.today;
  const { subscriptions: customerSubs, lastEnd, firstMove, firstEnd, firstAccessEnd } = customerSummaries(planned, plannedRows(p));

  for (const i of plannedRows(p)) {
    const c = p.customer[i]!;
    const end = p.endDay[i]!;
    const move = plan.moveOn[i]!;
    const { risk, provisioned, state } = plannedSubscription(planned, i);
    const id = p.ids.get(i);
    const [pk, sk] = planItemKey(partnerId, 'subscription', id);
    const item: Item = {
      pk,
      sk,
      uploadId,
      [INPUT_ATTRIBUTE]: JSON.stringify([p.row.get(i), ...inputRow(p, i)]),
      [PLAN_ATTRIBUTE]: packSubscription({
        customerId: p.customers.id(c),
        customerName: p.customers.name(c),
        offer: p.strings.get(p.offer[i]!),
        targetOffer: p.strings.get(p.target[i]!),
        seats: p.seats[i]!,
        endDate: dayToIso(end),
        moveOn: iso(move),
        risk,
        autoRenew: p.autoRenew[i] === 1,
        provisioned,
        state,
        invitationAccepted: p.customers.invitation[c] === 'accepted',
      }),
    };
    const schedule = {
      endDay: end,
      moveOn: move === NO_DAY ? undefined : move,
      provisioned,
      active: risk !== 'ineligible' && state !== 'excluded',
    };
    Object.assign(item, dueKeys(pk, sk, nextSubscriptionReminder(schedule, settings, today)));
    yield item;
  }

  for (let c = 0; c < p.customers.count; c++) {
    if (customerSubs[c] === 0) continue;
    const id = p.customers.id(c);
    const [pk, sk] = planItemKey(partnerId, 'customer', id);
    const remindedOn = reminded.get(id);
    const invitation = p.customers.invitation[c]!;
    const inviteBy = plan.inviteBy[c]!;
    const item: Item = {
      pk,
      sk,
      uploadId,
      [PLAN_ATTRIBUTE]: packCustomer({
        customerName: p.customers.name(c),
        contactEmail: p.customers.email(c),
        invitationStatus: invitation,
        inviteBy: iso(inviteBy),
        firstMove: iso(firstMove[c]!),
        lastEndDate: dayToIso(lastEnd[c]!),
        subscriptions: customerSubs[c]!,
        firstEndDate: iso(firstEnd[c]!),
        firstAccessEnd: iso(firstAccessEnd[c]!),
      }),
    };
    if (remindedOn !== undefined) item[REMINDED_ATTRIBUTE] = remindedOn;
    const schedule = {
      inviteBy: inviteBy === NO_DAY ? undefined : inviteBy,
      accepted: invitation === 'accepted',
      until: lastEnd[c]!,
      remindedOn: remindedOn === undefined ? undefined : isoToDay(remindedOn),
    };
    Object.assign(item, dueKeys(pk, sk, nextInvitationReminder(schedule, settings, today)));
    yield item;
  }
}
