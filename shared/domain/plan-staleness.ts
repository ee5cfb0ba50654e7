/**
 * When a plan goes stale: the first day on which planning it again would move one of its moves.
 * The planner places a move no earlier than `earliest` — today for a customer that accepted the
 * invitation, today + invite_lead_days otherwise — so a move goes stale on the day its `earliest`
 * passes it: the day after it, or invite_lead_days before that for a customer yet to accept.
 * Until the first such day, planning again as of a later day gives the same dates (a passed
 * invitation deadline is kept), so the daily run plans a partner again only from that day, or once
 * a status changed.
 */
import { type Day, LAST_DAY, NO_DAY } from './dates.js';
import { plannedRows } from './plan-rows.js';
import type { Plan } from './planner/plan.js';
import { LIFECYCLES, type Portfolio } from './portfolio/portfolio.js';
import type { SubscriptionState } from './status-events.js';

const PROVISIONED = LIFECYCLES.indexOf('provisioned');

export function staleFrom(p: Portfolio, plan: Plan, inviteLeadDays: number, states?: ReadonlyMap<string, SubscriptionState>): Day {
  let first = LAST_DAY;
  for (const i of plannedRows(p)) {
    const move = plan.moveOn[i]!;
    if (move === NO_DAY || p.lifecycle[i] === PROVISIONED) continue;
    const stale = move + 1 - (p.customers.invitation[p.customer[i]!] === 'accepted' ? 0 : inviteLeadDays);
    if (stale >= first || (states && states.get(p.ids.get(i)) === 'excluded')) continue;
    first = stale;
  }
  return first;
}
