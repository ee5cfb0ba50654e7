/**
 * What a planning says of each planned row and each of its customers, in the form the stored
 * plan keeps it: the plan store's items (storage/dynamodb/plan-items.ts) and the console's plan
 * view (storage/plan-view/) are both written from here, so they cannot disagree.
 */
import { type Day, NO_DAY } from './dates.js';
import { graceEndOf, type Plan } from './planner/plan.js';
import { LIFECYCLES, type Portfolio } from './portfolio/portfolio.js';
import { RISKS, type Risk } from './risk.js';
import type { SubscriptionState } from './status-events.js';
import type { ReconciledStatuses } from './upload-statuses.js';

const PROVISIONED = LIFECYCLES.indexOf('provisioned');

/** A planned file as these derivations read it (storage/plan-store.ts's PlannedFile is one). */
export interface PlannedInputs {
  portfolio: Portfolio;
  plan: Plan;
  statuses?: ReconciledStatuses | undefined;
}

/** Row i's planned subscription: its risk, and where its move stands. */
export interface PlannedSubscription {
  risk: Risk;
  /** Provisioned in CSP already (by the file or the recorded events): it is not moved again. */
  provisioned: boolean;
  /** The recorded or stated state; `planned` or `provisioned` as the file says otherwise. */
  state: SubscriptionState;
}

export function plannedSubscription(planned: PlannedInputs, i: number): PlannedSubscription {
  const { portfolio: p, plan } = planned;
  const provisioned = p.lifecycle[i] === PROVISIONED;
  const state = planned.statuses?.subscriptionStates.get(p.ids.get(i)) ?? (provisioned ? 'provisioned' : 'planned');
  return { risk: RISKS[plan.risk[i]!]!, provisioned, state };
}

/** Per customer (index of the portfolio's customers), over its planned rows; NO_DAY where there is none. */
export interface CustomerSummaries {
  /** Planned rows: a customer with none is not in the plan. */
  subscriptions: Int32Array;
  lastEnd: Int32Array;
  firstMove: Int32Array;
  /** Of the subscriptions still to move: the earliest end date and the earliest grace end. */
  firstEnd: Int32Array;
  firstAccessEnd: Int32Array;
}

/** Each customer's summary over `rows` (the planned rows, domain/plan-rows.ts's plannedRows). */
export function customerSummaries(planned: PlannedInputs, rows: Iterable<number>): CustomerSummaries {
  const { portfolio: p, plan } = planned;
  const count = p.customers.count;
  const s: CustomerSummaries = {
    subscriptions: new Int32Array(count),
    lastEnd: new Int32Array(count).fill(NO_DAY),
    firstMove: new Int32Array(count).fill(NO_DAY),
    firstEnd: new Int32Array(count).fill(NO_DAY),
    firstAccessEnd: new Int32Array(count).fill(NO_DAY),
  };
  for (const i of rows) {
    const c = p.customer[i]!;
    const end = p.endDay[i]!;
    const move = plan.moveOn[i]!;
    s.subscriptions[c]!++;
    if (end > s.lastEnd[c]!) s.lastEnd[c] = end;
    if (move === NO_DAY) continue;
    if (s.firstMove[c] === NO_DAY || move < s.firstMove[c]!) s.firstMove[c] = move;
    const access: Day = graceEndOf(p, i);
    if (s.firstEnd[c] === NO_DAY || end < s.firstEnd[c]!) s.firstEnd[c] = end;
    if (s.firstAccessEnd[c] === NO_DAY || access < s.firstAccessEnd[c]!) s.firstAccessEnd[c] = access;
  }
  return s;
}
