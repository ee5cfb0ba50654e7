/**
 * The planner: pure, no I/O, no clock. Given a portfolio, the partner's settings and "today",
 * it picks the day each subscription is provisioned in CSP and when each customer must be
 * invited, following the planning rules (README, "Planning rules"). Its phases, in order, each
 * in its own file with the rule it implements:
 *
 * 1. customer windows (customer-windows.ts): each customer's business calendar and earliest
 *    move day; each subscription's latest;
 * 2. units (units.ts): what moves on one day — a subscription with its add-ons, or in co-term
 *    mode a customer's subscriptions — with its window, weight and urgency;
 * 3. backward sweep (backward-sweep.ts): each unit as late as possible in its window, under the
 *    daily capacity (day-load.ts);
 * 4. exact search (exact-search.ts): each small group of units competing for the same days
 *    placed by exhaustive search where the sweep's greedy rule falls short;
 * 5. forward placement (forward-placement.ts): urgent and unplaceable units on the first day
 *    with room from earliest;
 * 6. results (results.ts): each row's move day and risk (risk-classification.ts), each
 *    customer's invite-by.
 */

import { release } from '../../columnar/typed-arrays.js';
import type { BusinessCalendar } from '../calendar.js';
import { type Day, dayToIso, FIRST_DAY, LAST_DAY } from '../dates.js';
import type { PartnerSettings } from '../partner-settings.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import { sweepBackward } from './backward-sweep.js';
import { CustomerWindows } from './customer-windows.js';
import { DayLoad } from './day-load.js';
import { searchSmallGroups } from './exact-search.js';
import { placeForward } from './forward-placement.js';
import { results } from './results.js';
import { Units } from './units.js';

export { RISKS, type Risk } from '../risk.js';
export { graceEndOf } from './risk-classification.js';

export interface PlanOptions {
  today: Day;
  settings: Pick<PartnerSettings, 'country' | 'invite_lead_days' | 'buffer_business_days' | 'daily_capacity' | 'co_term'>;
}

export interface Plan {
  today: Day;
  coTerm: boolean;
  /** Day each row is provisioned in CSP; NO_DAY for ineligible, rejected and provisioned rows. */
  moveOn: Int32Array;
  /** Index into RISKS. */
  risk: Uint8Array;
  /** Per customer: send the reseller relationship request by; NO_DAY once accepted or nothing to move. */
  inviteBy: Int32Array;
  /** Per customer: first possible move day. */
  earliest: Int32Array;
  /** Moves placed on a day that was already full, because one unit is larger than a day's capacity. */
  oversizedUnits: number;
}

/** Something to do with the plan's own units before they are released: the capacity search places them again. */
export type WithUnits = (planned: Plan, units: Units, windows: CustomerWindows) => void;

export function plan(p: Portfolio, options: PlanOptions, withUnits?: WithUnits): Plan {
  const { today, settings } = options;
  // Keeps every deadline within the units' 16-bit days (earliest ≤ LAST_DAY + 365 lead days + a few holidays).
  if (!(today >= FIRST_DAY && today <= LAST_DAY))
    throw new RangeError(`A plan starts from 2000-01-01 to 2100-12-31, not ${dayToIso(today)}.`);

  const windows = new CustomerWindows(p, today, settings);
  const units = new Units(p, windows, today, settings.co_term);
  const oversizedUnits = placeUnits(p, units, windows.calendars, today, settings.daily_capacity);
  // With `withUnits`, the rows keep their units: the move days go to a column of their own.
  const { moveOn, risk, inviteBy } = results(p, units, windows, today, settings.invite_lead_days, withUnits === undefined);
  const planned: Plan = { today, coTerm: settings.co_term, moveOn, risk, inviteBy, earliest: windows.earliest, oversizedUnits };
  if (withUnits) {
    withUnits(planned, units, windows);
    release(units.ofRow);
  }
  units.release();
  return planned;
}

/**
 * Phases 3–5: gives every unit its move day under `capacity` moves a day (over any days set
 * before); returns how many units were larger than a day's capacity. The capacity search
 * (capacity-need.ts) runs it again on the same units at other capacities.
 */
export function placeUnits(p: Portfolio, units: Units, calendars: readonly BusinessCalendar[], today: Day, capacity: number): number {
  const days = new DayLoad(today, capacity);
  const swept = sweepBackward(units, calendars, days);
  const rest = searchSmallGroups(p, units, calendars, days, swept);
  return placeForward(units, rest, calendars, days);
}
