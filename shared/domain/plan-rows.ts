/**
 * The plan as rows: one record per kept input row, in the column order of the output contract.
 * plan.csv, the report and (later) the stored plan items all read rows through here.
 */
import { type ActionFacts, actionFor } from './action.js';
import { PLANNER_INPUT_COLUMNS, type PlannerInputColumn } from './columns.js';
import { addCents, type Cents, cancelNowWaste, costCents, money, overlapDays } from './cost.js';
import { type Day, dayToIso, NO_DAY } from './dates.js';
import type { LifecycleDates } from './lifecycle-dates.js';
import { needsReassignment } from './offers.js';
import { graceEndOf, type Plan, RISKS } from './planner/plan.js';
import { INELIGIBLE_REASONS, type IneligibleReason, LIFECYCLES, type Portfolio, REJECTED } from './portfolio/portfolio.js';

export const PLAN_COLUMNS = [
  'row',
  'customer_id',
  'customer_name',
  'contact_email',
  'country',
  'subscription_id',
  'offer',
  'target_offer',
  'seats',
  'licensing_program',
  'end_date',
  'auto_renew',
  'invite_by',
  'move_on',
  'days_to_expiry',
  'overlap_days',
  'overlap_cost',
  'cancel_now_waste',
  'license_reassignment',
  'risk',
  'action',
  'invitation_status',
  'status',
  // Every planner input besides, and the lifecycle's dates: a plan.csv uploaded again loses nothing.
  'unit_price_monthly',
  'base_subscription_id',
  'start_date',
  'invited_on',
  'accepted_on',
  'provisioned_on',
] as const;

export type PlanRecord = (string | number)[];

const PROVISIONED = LIFECYCLES.indexOf('provisioned');

/** Facts about row i that the record, the report and reminders share. */
export function rowFacts(p: Portfolio, plan: Plan, partnerCountry: string, i: number) {
  const c = p.customer[i]!;
  const offer = p.strings.get(p.offer[i]!);
  const target = p.strings.get(p.target[i]!);
  const price = p.prices[p.priceRef[i]!]!;
  const end = p.endDay[i]!;
  const moveOn = plan.moveOn[i]!;
  const seats = p.seats[i]!;
  const hasPrice = !Number.isNaN(price);
  const overlap = moveOn === NO_DAY ? undefined : overlapDays(end, moveOn);
  return {
    customer: c,
    offer,
    target,
    seats,
    end,
    moveOn: moveOn === NO_DAY ? undefined : moveOn,
    inviteBy: plan.inviteBy[c] === NO_DAY ? undefined : plan.inviteBy[c]!,
    risk: RISKS[plan.risk[i]!]!,
    overlapDays: overlap,
    overlapCents: hasPrice && overlap !== undefined ? costCents(overlap, seats, price) : undefined,
    cancelNowWasteCents: hasPrice ? cancelNowWaste(end, plan.today, seats, price) : undefined,
    reassign: needsReassignment(offer, target),
    country: p.customers.country[c] ?? partnerCountry,
  };
}

/** What the action sentence of row i needs; `f` is rowFacts of the same row. */
export function actionFacts(p: Portfolio, plan: Plan, partnerCountry: string, i: number, f: RowFacts): ActionFacts {
  // A provisioned base has moved: the add-on moves on its own day, not "with" it.
  const written = p.base.get(i);
  const base = written !== -1 && p.lifecycle[written] === PROVISIONED ? -1 : written;
  return {
    risk: f.risk,
    provisioned: p.lifecycle[i] === PROVISIONED,
    lifecycle: LIFECYCLES[p.lifecycle[i]!]!,
    ineligibleReason: (INELIGIBLE_REASONS[p.reason[i]!] || undefined) as IneligibleReason | undefined,
    offer: f.offer,
    target: f.target,
    seats: f.seats,
    endDay: f.end,
    graceEnd: graceEndOf(p, i),
    today: plan.today,
    moveOn: f.moveOn,
    inviteBy: f.inviteBy,
    invitationAccepted: p.customers.invitation[f.customer] === 'accepted',
    autoRenew: p.autoRenew[i] === 1,
    reassign: f.reassign,
    baseId: base === -1 ? undefined : p.ids.get(base),
    baseRow: base === -1 ? undefined : p.row.get(base),
    customerCountry: p.customers.country[f.customer],
    partnerCountry,
  };
}

export type RowFacts = ReturnType<typeof rowFacts>;

/** Cell texts of the columns with few values. */
export function autoRenewText(value: number): string {
  return value === -1 ? '' : value === 1 ? 'yes' : 'no';
}

export function optionalDay(day: Day | undefined): string {
  return day === undefined ? '' : dayToIso(day);
}

export function optionalMoney(cents: Cents | undefined): string {
  return cents === undefined ? '' : money(cents);
}

/** A string-table id's text; '' for -1 (absent). */
export function tableText(p: Portfolio, id: number): string {
  return id === -1 ? '' : p.strings.get(id);
}

/** Row i in the column order of PLAN_COLUMNS (shared/csv/plan-csv.ts writes the same as text). */
export function planRecord(p: Portfolio, plan: Plan, partnerCountry: string, i: number, lifecycle?: LifecycleDates): PlanRecord {
  const f = rowFacts(p, plan, partnerCountry, i);
  const c = f.customer;
  return [
    p.row.get(i),
    p.customers.id(c),
    p.customers.name(c),
    p.customers.email(c) ?? '',
    f.country,
    p.ids.get(i),
    f.offer,
    f.target,
    f.seats,
    tableText(p, p.program[i]!),
    dayToIso(f.end),
    autoRenewText(p.autoRenew[i]!),
    optionalDay(f.inviteBy),
    optionalDay(f.moveOn),
    f.end - plan.today,
    f.overlapDays ?? '',
    optionalMoney(f.overlapCents),
    optionalMoney(f.cancelNowWasteCents),
    f.reassign ? 'yes' : 'no',
    f.risk,
    actionFor(actionFacts(p, plan, partnerCountry, i, f)),
    p.customers.invitation[c]!,
    tableText(p, p.status[i]!),
    ...inputCells(p, i, lifecycle),
  ];
}

/**
 * The columns after `status`: the price, base subscription and start date as read, then the
 * lifecycle's dates (invited_on, accepted_on, provisioned_on) from the status events, empty
 * offline (no events) or until reached.
 */
export function inputCells(p: Portfolio, i: number, lifecycle?: LifecycleDates): [string, string, string, string, string, string] {
  const customerId = p.customers.id(p.customer[i]!);
  return [
    priceText(p.prices[p.priceRef[i]!]!),
    baseIdText(p, i),
    startText(p, i),
    lifecycle?.invitedOn(customerId) ?? '',
    lifecycle?.acceptedOn(customerId) ?? '',
    lifecycle?.provisionedOn(p.ids.get(i)) ?? '',
  ];
}

/**
 * Row i as input again: its cells in the input columns' order (columns.ts), as read — the
 * planner's every input, so the row can be planned again without its file.
 */
export function inputRow(p: Portfolio, i: number): string[] {
  const c = p.customer[i]!;
  const offer = p.strings.get(p.offer[i]!);
  const target = p.strings.get(p.target[i]!);
  const cells: Record<PlannerInputColumn, string> = {
    customer_id: p.customers.id(c),
    customer_name: p.customers.name(c),
    contact_email: p.customers.email(c) ?? '',
    country: p.customers.country[c] ?? '',
    subscription_id: p.ids.get(i),
    offer,
    target_offer: target === offer ? '' : target,
    seats: String(p.seats[i]!),
    licensing_program: tableText(p, p.program[i]!),
    end_date: dayToIso(p.endDay[i]!),
    start_date: startText(p, i),
    auto_renew: autoRenewText(p.autoRenew[i]!),
    unit_price_monthly: priceText(p.prices[p.priceRef[i]!]!),
    base_subscription_id: baseIdText(p, i),
    status: tableText(p, p.status[i]!),
    invitation_status: p.customers.invitation[c]!,
  };
  return PLANNER_INPUT_COLUMNS.map((name) => cells[name]);
}

/** The base_subscription_id as written; '' for a row that is no add-on. */
export function baseIdText(p: Portfolio, i: number): string {
  const base = p.base.get(i);
  return base === -1 ? '' : p.ids.get(base);
}

export function startText(p: Portfolio, i: number): string {
  const start = p.startDay[i]!;
  return start === 0 ? '' : dayToIso(start);
}

/** A price as plan.csv writes it: the shortest decimal that reads back as the same number, never in exponent form. */
export function priceText(price: number): string {
  if (Number.isNaN(price)) return '';
  const text = String(price);
  return text.includes('e') ? price.toFixed(20).replace(/\.?0+$/, '') : text;
}

/** Indexes of the rows plan.csv lists, in input order. */
export function* plannedRows(p: Portfolio): Generator<number> {
  for (let i = 0; i < p.size; i++) if (p.state[i] !== REJECTED) yield i;
}

/** The overlap cost of a plan: the sum over its priced rows. */
export function totalOverlapCost(p: Portfolio, plan: Plan, partnerCountry: string): Cents {
  let total: Cents = 0;
  for (const i of plannedRows(p)) total = addCents(total, rowFacts(p, plan, partnerCountry, i).overlapCents ?? 0);
  return total;
}
