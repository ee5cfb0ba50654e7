/**
 * Co-term mode moves all of a customer's subscriptions on one day. The report shows what that
 * costs in overlap against moving each subscription on its own best day.
 */
import type { Cents } from './cost.js';
import { totalOverlapCost } from './plan-rows.js';
import { type Plan, type PlanOptions, plan } from './planner/plan.js';
import type { Portfolio } from './portfolio/portfolio.js';

export interface CoTermCost {
  /** The overlap cost of the co-term plan. */
  coTermCents: Cents;
  /** The overlap cost had each subscription moved on its own day. */
  perSubscriptionCents: Cents;
}

export function coTermCost(p: Portfolio, coTermPlan: Plan, options: PlanOptions): CoTermCost {
  const perSubscription = plan(p, { ...options, settings: { ...options.settings, co_term: false } });
  const country = options.settings.country;
  return { coTermCents: totalOverlapCost(p, coTermPlan, country), perSubscriptionCents: totalOverlapCost(p, perSubscription, country) };
}
